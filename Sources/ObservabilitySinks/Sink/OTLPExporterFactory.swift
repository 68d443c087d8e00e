import Logging
import OTLPExporter
import TelemetryModel

/// Makes the OTLP/gRPC exporters for an endpoint.
enum OTLPExporterFactory {
  struct Unavailable: Error, CustomStringConvertible {
    var description: String { "the OTLP/gRPC exporter is not part of this build" }
  }

  static func spanExporter(options: OTLPExporterOptions, logger: Logger) throws -> any SpanExporter {
    throw Unavailable()
  }

  static func metricExporter(
    options: OTLPExporterOptions, temporality: AggregationTemporality, logger: Logger
  ) throws -> any MetricExporter {
    throw Unavailable()
  }
}
