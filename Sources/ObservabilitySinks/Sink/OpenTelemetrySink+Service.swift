public import ServiceLifecycle

extension OpenTelemetrySink: Service {
  /// Runs until the service group shuts down gracefully (or the task is cancelled), then
  /// delivers what is left within
  /// ``OpenTelemetrySinkConfiguration/gracefulShutdownTimeout``.
  ///
  /// Add the sink to a `ServiceGroup` after the services that record into it, so that it shuts
  /// down last and their final runs are delivered.
  public func run() async throws {
    try? await gracefulShutdown()
    await shutdown(timeout: gracefulShutdownTimeout)
  }
}
