/// What an ``OpenTelemetrySink`` is doing: the reference's six fields, then our own counters.
public struct OpenTelemetrySinkStatus: SinkStatusReport, Hashable {
  /// Always `"opentelemetry"`.
  public var name: String
  /// Whether the sink was enabled.
  public var enabled: Bool
  /// Whether the sink is recording (enabled and set up).
  public var available: Bool
  /// `"disabled"`, the endpoint, `"in-memory (no exporter)"`, or why setup failed.
  public var detail: String
  /// The service name on the resource.
  public var serviceName: String
  /// Whether the four metric instruments are recorded.
  public var metricsEnabled: Bool

  /// Spans finished by the hooks.
  public var spansRecorded = 0
  /// Spans the receiver accepted.
  public var spansExported = 0
  /// Spans refused because the queue was full (or the sink shut down).
  public var spansDropped = 0
  /// Spans whose export failed.
  public var spansFailed = 0
  /// Spans the receiver rejected in a partial success.
  ///
  /// Specification: OTLP, *OTLP/gRPC Response*, *Partial Success* (`rejected_spans`; not retried).
  public var spansRejected = 0
  /// Spans waiting in the queue or in an export under way (0 without an exporter).
  public var spansPending = 0
  /// Span export calls that failed.
  public var exportFailures = 0
  /// Metric export calls made.
  public var metricExports = 0
  /// Metric export calls that failed.
  public var metricExportFailures = 0
  /// Data points the receiver accepted.
  public var dataPointsExported = 0
  /// Data points the receiver rejected in a partial success.
  ///
  /// Specification: OTLP, *OTLP/gRPC Response*, *Partial Success* (`rejected_data_points`).
  public var dataPointsRejected = 0
  /// Data points whose export failed.
  public var dataPointsFailed = 0
  /// Export requests sent again after a retryable failure (spans and metrics).
  ///
  /// Specification: OTLP, *OTLP/gRPC Response* (*Failures*: the retryable codes) and
  /// *OTLP/gRPC Throttling* (`RetryInfo`).
  public var exportRetries = 0
  /// Histogram values refused (negative or not finite), as the SDK refuses them.
  ///
  /// Specification: Metrics API, *Histogram* (values are non-negative).
  public var metricValuesRejected = 0
  /// Runs replaced by a second `onRunStart` with the same id (their span ended with ERROR).
  public var runsSuperseded = 0
  /// Runs ended by the sink because more than
  /// ``OpenTelemetrySinkConfiguration/maxActiveRuns`` were active: the oldest was pushed out, its
  /// span ended with ERROR ("run evicted: more than N active runs") and exported.
  public var runsEvicted = 0
  /// Runs whose trace the sampler left out (``OpenTelemetrySinkConfiguration/sampler``): they
  /// made no span, and count in the metrics as every run does.
  public var runsNotSampled = 0
  /// Spans of earlier processes this sink found unsent in its spool and sends (their unfinished
  /// runs' `rlm.run` spans included); see ``OpenTelemetrySinkConfiguration/spoolDirectory``.
  public var spansRecovered = 0
  /// Runs an earlier process started and never ended, ended by this sink from its spool with
  /// ERROR ("the process ended before the run did").
  public var runsRecovered = 0
  /// Spans in the spool the collector has not yet taken (0 without a spool).
  public var spoolSpans = 0
  /// Bytes of this process's spool files on disk.
  public var spoolBytes = 0
  /// Spans the spool lost: the oldest unsent ones, discarded to stay within
  /// ``OpenTelemetrySinkConfiguration/spoolMaxBytes``, and, while writes fail (a full disk), those
  /// beyond the 65,536 that then go on in memory. With a spool, `spansRecorded
  /// + spansRecovered == spansExported + spansDropped + spansFailed + spansRejected +
  /// spoolSpansDiscarded + spansPending`.
  public var spoolSpansDiscarded = 0
  /// Run starts the spool could not journal (its hand-off was full): were the process to die,
  /// such a run could not be ended by a later one.
  public var runsNotJournaled = 0
  /// Why metric export stopped for good (e.g. a trace-only backend), if it did.
  public var metricExportStopped: String?
  /// Runs started and not yet ended.
  public var activeRuns = 0
  /// The last export error, if any.
  public var lastError: String?
  /// When the last error happened, Unix nanoseconds.
  public var lastErrorTimeUnixNano: UInt64?

  /// The reference's `status()` dict: exactly `name`, `enabled`, `available`, `detail`,
  /// `service_name`, `metrics_enabled`.
  public var dictionary: [String: StatusValue] {
    [
      "name": .string(name), "enabled": .bool(enabled), "available": .bool(available),
      "detail": .string(detail), "service_name": .string(serviceName),
      "metrics_enabled": .bool(metricsEnabled),
    ]
  }
}
