public import Logging

/// Where a signal goes, as `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` name it.
///
/// Specification: SDK environment variables, *Exporter Selection* (`otlp`, `console`, `none`).
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
/// compression). A value set here wins over the environment. See <doc:Configuration>.
///
/// Specification: SDK environment variables (*General SDK Configuration*, *Batch Span Processor*,
/// *Periodic exporting MetricReader*, *Exporter Selection*) and the OTLP exporter's
/// *Configuration Options*.
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
  ///
  /// Specification: OTLP exporter, *Configuration Options* (a signal's own variable wins).
  public var traces = OTLPExporterOptions()
  /// OTLP settings for metrics (`OTEL_EXPORTER_OTLP_METRICS_*`, then `OTEL_EXPORTER_OTLP_*`).
  ///
  /// Specification: OTLP exporter, *Configuration Options* (a signal's own variable wins).
  public var metrics = OTLPExporterOptions()
  /// The temporality metrics are exported in (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`;
  /// default cumulative).
  ///
  /// Specification: OTLP metrics exporter, `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`
  /// (`lowmemory` is delta for synchronous counters and histograms, which these four all are).
  public var metricsTemporality: AggregationTemporality?
  /// Finished spans waiting for export at most; beyond it spans are dropped and counted
  /// (`OTEL_BSP_MAX_QUEUE_SIZE`, 2048).
  ///
  /// Specification: Tracing SDK, *Batching processor* (`maxQueueSize`).
  public var maxQueueSize: Int?
  /// Spans per export call at most; a full batch is exported at once
  /// (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, 512).
  ///
  /// Specification: Tracing SDK, *Batching processor* (`maxExportBatchSize`).
  public var maxExportBatchSize: Int?
  /// How long a partial batch may wait (`OTEL_BSP_SCHEDULE_DELAY`, 5 s).
  ///
  /// Specification: Tracing SDK, *Batching processor* (`scheduledDelayMillis`).
  public var scheduleDelay: Duration?
  /// How long one span export may take (`OTEL_BSP_EXPORT_TIMEOUT`, 30 s).
  ///
  /// Specification: Tracing SDK, *Batching processor* (`exportTimeoutMillis`).
  public var exportTimeout: Duration?
  /// How often metrics are collected and exported (`OTEL_METRIC_EXPORT_INTERVAL`, 60 s).
  ///
  /// Specification: Metrics SDK, *Periodic exporting MetricReader* (`exportIntervalMillis`).
  public var metricExportInterval: Duration?
  /// How long one metric export may take (`OTEL_METRIC_EXPORT_TIMEOUT`, 30 s).
  ///
  /// Specification: Metrics SDK, *Periodic exporting MetricReader* (`exportTimeoutMillis`).
  public var metricExportTimeout: Duration?
  /// Which traces are recorded and exported (`OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`;
  /// default ``TraceSampler/default``, the caller's decision else every trace). Metrics count
  /// every run whatever the sampler says.
  ///
  /// Specification: Tracing SDK, *Sampling*; SDK environment variables, `OTEL_TRACES_SAMPLER`.
  public var sampler: TraceSampler?
  /// Bounds on each span's attributes, events and links; a limit left `nil` here takes its
  /// `OTEL_*_LIMIT` variable, else the SDK's default (128 entries, values whole).
  ///
  /// Specification: Tracing SDK, *Span Limits*; SDK environment variables, *Attribute Limits*.
  public var spanLimits = SpanLimits()
  /// A directory where the sink keeps what it records until the collector has it
  /// (`DSPY_RLM_OTEL_SPOOL_DIR`; `nil`: the environment's, else none, all in memory as the
  /// specification's processor keeps it).
  ///
  /// With a spool, spans go to disk off the hooks' threads (within 50 ms) before they are sent,
  /// and are removed once the collector has them: a collector that is down through `shutdown`,
  /// or a burst larger than the queue, loses nothing, and a later sink on the same directory
  /// sends what an earlier process left — with each run that process never ended as its
  /// `rlm.run` span, in ERROR ("the process ended before the run did"), so a run killed midway
  /// still arrives as one trace. Needs an OTLP exporter. See docs/reliability.md, "Durable delivery".
  public var spoolDirectory: String?
  /// The most the spool keeps on disk for this process, in bytes (`DSPY_RLM_OTEL_SPOOL_MAX_BYTES`,
  /// 512 MiB; at least 256 KiB). When an outage fills it, the oldest unsent spans go first,
  /// counted as dropped and said in the log.
  public var spoolMaxBytes: Int?
  /// How often what the spool wrote is synced to the disk (`DSPY_RLM_OTEL_SPOOL_SYNC_INTERVAL`,
  /// milliseconds; 1 s, at most 60 s; zero: after every write). A process crash loses at most
  /// the ~50 ms not yet written whatever this says; a machine crash or power loss also loses what
  /// was written since the last sync.
  public var spoolSyncInterval: Duration?
  /// How often a sink with a spool looks again for what other processes on the same directory
  /// left when they died or shut down with a collector down (`DSPY_RLM_OTEL_SPOOL_RESCAN_INTERVAL`,
  /// milliseconds; 60 s, at most 24 h; zero: at start only). A long-lived process thus sends
  /// what a crashed neighbour left without waiting for a restart.
  public var spoolRescanInterval: Duration?
  /// Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES` adds to them); `service.name` from
  /// the sink wins.
  ///
  /// Specification: Resource SDK, *Specifying resource information via an environment variable*.
  public var resourceAttributes: [Attribute] = []
  /// How failed OTLP exports are retried (the specification's codes, `RetryInfo`, backoff).
  ///
  /// Specification: OTLP, *OTLP/gRPC Response* (*Failures*) and *OTLP/gRPC Throttling*; OTLP
  /// exporter, *Retry*.
  public var retryPolicy = RetryPolicy()
  /// Attribute sets per instrument at most; later ones go to one `otel.metric.overflow` series.
  ///
  /// Specification: Metrics SDK, *Cardinality limits* (default 2000, the overflow attribute).
  public var cardinalityLimit = 2000
  /// How long a process that exits without calling `shutdown` waits for this sink to deliver
  /// what it holds; `nil` turns the exit flush off.
  public var exitFlushTimeout: Duration? = .seconds(2)
  /// How long the sink, run as a `Service`, waits for delivery after a graceful shutdown.
  public var gracefulShutdownTimeout: Duration = .seconds(5)
  /// How many ended runs ``OpenTelemetrySink/traceID(forRun:)`` still answers for.
  public var recentRunCapacity = 1024
  /// Runs between `onRunStart` and `onRunEnd` at most (`DSPY_RLM_OTEL_MAX_ACTIVE_RUNS`, 10,000).
  /// Starting one more ends the oldest active run: its span gets an ERROR status ("run evicted:
  /// more than N active runs") and is exported, and `status().runsEvicted` counts it. A runtime
  /// that crashes mid-run never ends its runs; this keeps a long-lived process's memory bounded.
  public var maxActiveRuns: Int?
  /// The LLM-observability conventions added to spans and metrics; `nil` reads
  /// `DSPY_RLM_OTEL_CONVENTIONS` and `OTEL_SEMCONV_STABILITY_OPT_IN` (none by default).
  public var conventions: LLMConventions?
  /// Whether the prompts and responses of ``LLMCall``s are recorded on their spans; `nil` reads
  /// `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` (off by default: prompts can hold
  /// private data). The reference's `code_execution` and `output` events are not affected.
  public var captureMessageContent: Bool?
  /// The environment the standard variables are read from; `nil` is the process's.
  public var environment: [String: String]?
  /// Where the sink's warnings go: invalid settings, failed exports, dropped spans.
  public var logger = Logger(label: "ObservabilitySinks")
  /// How often, at most, a problem that goes on (exports failing, spans dropped) is logged again
  /// with how many more there were; the first one is always logged at once.
  public var problemLogInterval: Duration = .seconds(30)
  /// Set by `OpenTelemetrySink.fromEnvironment`: the endpoint came from `OTEL_EXPORTER_OTLP_ENDPOINT`,
  /// so the per-signal variables win over it.
  var endpointIsFromEnvironment = false

  /// Nothing set: everything from the environment or the defaults.
  public init() {}
}
