public import ObservabilitySinks
public import ServiceLifecycle

extension OpenTelemetrySink: Service {
  /// Runs until the service group shuts down gracefully (or the task is cancelled), then
  /// delivers what is left within
  /// `OpenTelemetrySinkConfiguration.gracefulShutdownTimeout` (5 seconds by default).
  ///
  /// A `ServiceGroup` shuts its services down in reverse order, so list the sink *before* the
  /// services that record into it (and after a tracing backend such as swift-otel's): it then
  /// shuts down after them, and the runs they finish while shutting down are delivered.
  public func run() async throws {
    try? await gracefulShutdown()
    await shutdown(timeout: gracefulShutdownTimeout)
  }
}
