/// Picks a sink's exporters from its settings, and the `detail` its status shows.
struct ExporterSelection {
  var spanExporter: (any SpanExporter)?
  var metricExporter: (any MetricExporter)?
  var detail: String
  /// Where spans and metrics go, as problems in the log name it.
  var spanDestination: String
  var metricDestination: String

  init(
    settings: SinkSettings, metricsEnabled: Bool, configuration: OpenTelemetrySinkConfiguration,
    source: TelemetrySource
  ) throws {
    let console = ConsoleOutput.standardOutput
    if let custom = configuration.spanExporter {
      spanExporter = custom
    } else {
      switch settings.tracesExporter {
      case .console: spanExporter = ConsoleSpanExporter(output: console)
      case .otlp:
        spanExporter = try settings.traces.endpoint.map { _ in
          try OTLPExporterFactory.spanExporter(
            options: settings.traces, retry: configuration.retryPolicy, logger: configuration.logger)
        }
      case .none: spanExporter = nil
      }
    }
    if !metricsEnabled {
      metricExporter = nil
    } else if let custom = configuration.metricExporter {
      metricExporter = custom
    } else {
      switch settings.metricsExporter {
      case .console: metricExporter = ConsoleMetricExporter(output: console)
      case .otlp:
        metricExporter = try settings.metrics.endpoint.map { _ in
          try OTLPExporterFactory.metricExporter(
            options: settings.metrics, temporality: settings.metricsTemporality,
            retry: configuration.retryPolicy,
            logger: configuration.logger)
        }
      case .none: metricExporter = nil
      }
    }
    spanDestination =
      configuration.spanExporter != nil
      ? "the custom span exporter"
      : settings.tracesExporter == .otlp ? settings.traces.destination(for: .traces) : "the console"
    metricDestination =
      configuration.metricExporter != nil
      ? "the custom metric exporter"
      : settings.metricsExporter == .otlp ? settings.metrics.destination(for: .metrics) : "the console"
    if settings.traces.endpoint ?? settings.metrics.endpoint != nil,
      spanExporter != nil || metricExporter != nil,
      configuration.spanExporter == nil
    {
      detail =
        settings.traces.endpoint != nil
        ? settings.traces.destination(for: .traces) : settings.metrics.destination(for: .metrics)
    } else if configuration.spanExporter != nil {
      detail = "custom exporter"
    } else if spanExporter != nil {
      detail = "console"
    } else {
      detail = "in-memory (no exporter)"
    }
  }
}
