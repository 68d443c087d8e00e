import Logging
import OTLPExporter
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
/// A property left `nil` takes its value from the standard OpenTelemetry environment variable, else
/// the specification's default (batch span processor: queue 2048, batch 512, 5 s delay, 30 s
/// timeout; periodic metric reader: 60 s interval, 30 s timeout; OTLP: 10 s timeout, no
/// compression). A value set here wins over the environment. See `docs/configuration.md`.
public struct OpenTelemetrySinkConfiguration: Sendable {
  /// A span exporter to use instead of the one ``tracesExporter`` chooses (e.g. an in-memory one).
  public var spanExporter: (any SpanExporter)?
  /// A metric exporter to use instead of the one ``metricsExporter`` chooses.
  public var metricExporter: (any MetricExporter)?
  /// Where spans go when ``spanExporter`` is `nil` (`OTEL_TRACES_EXPORTER`; default OTLP, which
  /// needs an endpoint).
  public var tracesExporter: ExporterKind?
  /// Where metrics go when ``metricExporter`` is `nil` (`OTEL_METRICS_EXPORTER`; default OTLP).
  public var metricsExporter: ExporterKind?
  /// OTLP settings for spans (`OTEL_EXPORTER_OTLP_TRACES_*`, then `OTEL_EXPORTER_OTLP_*`).
  public var traces = OTLPExporterOptions()
  /// OTLP settings for metrics (`OTEL_EXPORTER_OTLP_METRICS_*`, then `OTEL_EXPORTER_OTLP_*`).
  public var metrics = OTLPExporterOptions()
  /// The temporality metrics are exported in (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`;
  /// default cumulative).
  public var metricsTemporality: AggregationTemporality?
  /// Finished spans waiting for export at most; beyond it spans are dropped and counted
  /// (`OTEL_BSP_MAX_QUEUE_SIZE`, 2048).
  public var maxQueueSize: Int?
  /// Spans per export call at most; a full batch is exported at once
  /// (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, 512).
  public var maxExportBatchSize: Int?
  /// How long a partial batch may wait (`OTEL_BSP_SCHEDULE_DELAY`, 5 s).
  public var scheduleDelay: Duration?
  /// How long one span export may take (`OTEL_BSP_EXPORT_TIMEOUT`, 30 s).
  public var exportTimeout: Duration?
  /// How often metrics are collected and exported (`OTEL_METRIC_EXPORT_INTERVAL`, 60 s).
  public var metricExportInterval: Duration?
  /// How long one metric export may take (`OTEL_METRIC_EXPORT_TIMEOUT`, 30 s).
  public var metricExportTimeout: Duration?
  /// Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES` adds to them); `service.name` from
  /// the sink wins.
  public var resourceAttributes: [Attribute] = []
  /// How failed OTLP exports are retried (the specification's codes, `RetryInfo`, backoff).
  public var retryPolicy = RetryPolicy()
  /// Attribute sets per instrument at most; later ones go to one `otel.metric.overflow` series.
  public var cardinalityLimit = 2000
  /// How long a process that exits without calling `shutdown` waits for this sink to deliver
  /// what it holds; `nil` turns the exit flush off.
  public var exitFlushTimeout: Duration? = .seconds(2)
  /// How many ended runs `getTraceID` still answers for.
  public var recentRunCapacity = 1024
  /// The environment the standard variables are read from; `nil` is the process's.
  public var environment: [String: String]?
  /// Where the sink's warnings go.
  public var logger = Logger(label: "ObservabilitySinks")
  /// Set by `createOtelSinkFromEnv`: the endpoint argument came from `OTEL_EXPORTER_OTLP_ENDPOINT`,
  /// so the per-signal variables win over it.
  var endpointIsFromEnvironment = false

  /// Nothing set: everything from the environment or the defaults.
  public init() {}
}
