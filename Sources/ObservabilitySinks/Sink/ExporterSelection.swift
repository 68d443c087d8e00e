import TelemetryModel

/// Picks a sink's exporters from its endpoint and configuration, and the `detail` its status shows.
struct ExporterSelection {
  var spanExporter: (any SpanExporter)?
  var metricExporter: (any MetricExporter)?
  var detail: String

  init(endpoint: String?, metricsEnabled: Bool, configuration: OpenTelemetrySinkConfiguration) throws {
    let console = ConsoleOutput.standardOutput
    if let custom = configuration.spanExporter {
      spanExporter = custom
    } else {
      switch configuration.tracesExporter {
      case .console: spanExporter = ConsoleSpanExporter(output: console)
      case .otlp:
        spanExporter = try endpoint.flatMap {
          try OTLPExporterFactory.spanExporter(endpoint: $0, configuration: configuration)
        }
      case .none: spanExporter = nil
      }
    }
    if !metricsEnabled {
      metricExporter = nil
    } else if let custom = configuration.metricExporter {
      metricExporter = custom
    } else {
      switch configuration.metricsExporter {
      case .console: metricExporter = ConsoleMetricExporter(output: console)
      case .otlp:
        metricExporter = try endpoint.flatMap {
          try OTLPExporterFactory.metricExporter(endpoint: $0, configuration: configuration)
        }
      case .none: metricExporter = nil
      }
    }
    if let endpoint {
      detail = endpoint
    } else if configuration.spanExporter != nil {
      detail = "custom exporter"
    } else if spanExporter != nil {
      detail = "console"
    } else {
      detail = "in-memory (no exporter)"
    }
  }
}
