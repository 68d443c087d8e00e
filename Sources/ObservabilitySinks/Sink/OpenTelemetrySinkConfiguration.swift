import Logging
import TelemetryModel

/// Where a signal goes, as `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` name it.
public enum ExporterKind: String, Hashable, Sendable, CaseIterable {
  /// OTLP over gRPC to the sink's endpoint.
  case otlp
  /// A readable rendering on standard output.
  case console
  /// Nowhere: recorded in memory only.
  case none
}

/// Everything about an ``OpenTelemetrySink`` beyond the reference's four constructor arguments.
///
/// Defaults follow the OpenTelemetry SDK specification (batch span processor: queue 2048,
/// batch 512, 5 s delay, 30 s timeout; periodic metric reader: 60 s interval, 30 s timeout).
public struct OpenTelemetrySinkConfiguration: Sendable {
  /// A span exporter to use instead of the one ``tracesExporter`` chooses (e.g. an in-memory one).
  public var spanExporter: (any SpanExporter)?
  /// A metric exporter to use instead of the one ``metricsExporter`` chooses.
  public var metricExporter: (any MetricExporter)?
  /// Where spans go when ``spanExporter`` is `nil`: OTLP needs an endpoint.
  public var tracesExporter: ExporterKind = .otlp
  /// Where metrics go when ``metricExporter`` is `nil`: OTLP needs an endpoint.
  public var metricsExporter: ExporterKind = .otlp
  /// Finished spans waiting for export at most; beyond it spans are dropped and counted.
  public var maxQueueSize = 2048
  /// Spans per export call at most; a full batch is exported at once.
  public var maxExportBatchSize = 512
  /// How long a partial batch may wait before it is exported.
  public var scheduleDelay: Duration = .seconds(5)
  /// How long one span export may take.
  public var exportTimeout: Duration = .seconds(30)
  /// How often metrics are collected and exported.
  public var metricExportInterval: Duration = .seconds(60)
  /// How long one metric export may take.
  public var metricExportTimeout: Duration = .seconds(30)
  /// Attribute sets per instrument at most; later ones go to one `otel.metric.overflow` series.
  public var cardinalityLimit = 2000
  /// How many ended runs `getTraceId` still answers for.
  public var recentRunCapacity = 1024
  /// Extra resource attributes (as `OTEL_RESOURCE_ATTRIBUTES`); `service.name` from the sink wins.
  public var resourceAttributes: [Attribute] = []
  /// Where the sink's warnings go.
  public var logger = Logger(label: "ObservabilitySinks")

  /// The defaults.
  public init() {}
}
