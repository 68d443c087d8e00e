import Logging

/// Makes the OTLP exporters (gRPC or HTTP) for the resolved options.
enum OTLPExporterFactory {
  static func spanExporter(options: OTLPExporterOptions, retry: RetryPolicy, logger: Logger) throws
    -> any SpanExporter
  {
    try OTLPSpanExporter(options: options, retry: retry, logger: logger)
  }

  static func metricExporter(
    options: OTLPExporterOptions, temporality: AggregationTemporality, retry: RetryPolicy, logger: Logger
  ) throws -> any MetricExporter {
    try OTLPMetricExporter(options: options, temporality: temporality, retry: retry, logger: logger)
  }
}
