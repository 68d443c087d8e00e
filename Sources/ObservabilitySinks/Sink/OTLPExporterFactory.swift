import TelemetryModel

/// Makes the OTLP/gRPC exporters for an endpoint.
enum OTLPExporterFactory {
  static func spanExporter(endpoint: String, configuration: OpenTelemetrySinkConfiguration) throws -> (
    any SpanExporter
  )? {
    nil
  }

  static func metricExporter(endpoint: String, configuration: OpenTelemetrySinkConfiguration) throws -> (
    any MetricExporter
  )? {
    nil
  }
}
