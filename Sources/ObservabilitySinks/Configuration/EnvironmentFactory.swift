/// Creates the sink from the process environment, as the reference's `create_otel_sink_from_env`:
/// `DSPY_RLM_OTEL_ENABLED` (default false), `OTEL_EXPORTER_OTLP_ENDPOINT` (default none),
/// `OTEL_SERVICE_NAME` (default `rlm-code`), `DSPY_RLM_OTEL_METRICS_ENABLED` (default true); the
/// sink also reads every standard `OTEL_*` variable of `docs/configuration.md`.
public func OpenTelemetrySink.fromEnvironment() -> OpenTelemetrySink {
  OpenTelemetrySink.fromEnvironment(ProcessEnvironment.current())
}

/// Creates the sink from `environment` instead of the process's (for tests and embedding).
public func OpenTelemetrySink.fromEnvironment(
  _ environment: [String: String],
  configuration: OpenTelemetrySinkConfiguration = OpenTelemetrySinkConfiguration()
) -> OpenTelemetrySink {
  var configuration = configuration
  configuration.environment = configuration.environment ?? environment
  configuration.endpointIsFromEnvironment = true
  return OpenTelemetrySink(
    enabled: EnvironmentValues.bool(environment["DSPY_RLM_OTEL_ENABLED"], default: false),
    serviceName: environment["OTEL_SERVICE_NAME"] ?? "rlm-code",
    endpoint: environment["OTEL_EXPORTER_OTLP_ENDPOINT"],
    metricsEnabled: EnvironmentValues.bool(environment["DSPY_RLM_OTEL_METRICS_ENABLED"], default: true),
    configuration: configuration
  )
}
