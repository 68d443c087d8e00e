import ObservabilitySinks
import TestSupport

/// A sink exporting spans (and metrics, if asked) over OTLP/gRPC to `endpoint`, configured in code
/// only (the process environment is ignored), retrying fast so that fault tests stay short.
func otlpSink(
  _ endpoint: String, metricsEnabled: Bool = false,
  configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
) -> OpenTelemetrySink {
  var configuration = OpenTelemetrySinkConfiguration()
  configuration.environment = [:]
  configuration.retryPolicy = RetryPolicy(
    initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(400), maxAttempts: 20)
  configure(&configuration)
  return OpenTelemetrySink(
    enabled: true, endpoint: endpoint, metricsEnabled: metricsEnabled, configuration: configuration)
}

/// ``otlpSink(_:metricsEnabled:configure:)`` pointed at the test receiver, metrics on by default.
func otlpSink(
  _ receiver: OTLPTestReceiver, metricsEnabled: Bool = true,
  configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
) -> OpenTelemetrySink {
  otlpSink(receiver.endpoint, metricsEnabled: metricsEnabled, configure: configure)
}
