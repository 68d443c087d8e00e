extension OpenTelemetrySink {
  /// Creates the sink from the process environment, as the reference's `create_otel_sink_from_env`:
  /// `DSPY_RLM_OTEL_ENABLED` (default false), `OTEL_EXPORTER_OTLP_ENDPOINT` (default none),
  /// `OTEL_SERVICE_NAME` (default `rlm-code`), `DSPY_RLM_OTEL_METRICS_ENABLED` (default true); the
  /// sink also reads every standard `OTEL_*` variable (see <doc:Configuration>).
  public static func fromEnvironment() -> OpenTelemetrySink {
    fromEnvironment(ProcessEnvironment.current())
  }

  /// Creates the sink from `environment` instead of the process's (for tests and embedding).
  public static func fromEnvironment(
    _ environment: [String: String],
    configuration: OpenTelemetrySinkConfiguration = OpenTelemetrySinkConfiguration()
  ) -> OpenTelemetrySink {
    var configuration = configuration
    configuration.environment = configuration.environment ?? environment
    configuration.endpointIsFromEnvironment = true
    let reader = EnvironmentReader(values: environment, logger: configuration.logger)
    return OpenTelemetrySink(
      enabled: reader[SettingsTable.enabled] ?? false,
      serviceName: reader[SettingsTable.serviceName] ?? "rlm-code",
      // The raw value, as the reference: an empty one means none.
      endpoint: environment[SettingsTable.endpoint.name],
      metricsEnabled: reader[SettingsTable.metricsEnabled] ?? true,
      configuration: configuration
    )
  }
}

/// Creates the sink from the process environment: the entry point of the reference's
/// `create_otel_sink_from_env()` and of the package's design card, the same sink as
/// ``OpenTelemetrySink/fromEnvironment()``.
///
/// It reads `DSPY_RLM_OTEL_ENABLED` (default false), `OTEL_EXPORTER_OTLP_ENDPOINT` (default none),
/// `OTEL_SERVICE_NAME` (default `rlm-code`), `DSPY_RLM_OTEL_METRICS_ENABLED` (default true), and
/// every standard `OTEL_*` variable (see <doc:Configuration>).
///
/// ```swift
/// let sink = createOtelSinkFromEnv()
/// let observability = RLMObservability(sinks: [sink])
/// ```
public func createOtelSinkFromEnv() -> OpenTelemetrySink {
  OpenTelemetrySink.fromEnvironment()
}
