/// Sends finished spans somewhere: an OTLP receiver, the console, memory.
///
/// Every method is called on the sink's export thread, one call at a time, never on the caller's
/// thread: an implementation may block (up to `timeout`) and does not need to be re-entrant.
public protocol SpanExporter: Sendable {
  /// Sends one batch of spans; blocks until it is delivered, has failed, or `timeout` passed.
  func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult
  /// Delivers anything the exporter itself still holds; `true` when nothing is left.
  func forceFlush(timeout: Duration) -> Bool
  /// Releases the exporter's resources; later exports fail.
  func shutdown(timeout: Duration)
  /// How many times the exporter sent a request again after a retryable failure, so far.
  var retries: Int { get }
  /// Makes an export under way return soon (failed); called from another thread when a shutdown
  /// deadline passes, so it must be thread-safe. The exporter need not work afterwards.
  func cancelExport()
}

/// Sends collected metrics somewhere.
///
/// Called on the sink's export thread, one call at a time, like ``SpanExporter``.
public protocol MetricExporter: Sendable {
  /// The temporality this exporter wants the points in.
  var preferredTemporality: AggregationTemporality { get }
  /// Why the exporter gave up for good (e.g. the receiver has no metrics service); `nil` while it
  /// still exports.
  var stoppedReason: String? { get }
  /// Sends one collection; blocks until it is delivered, has failed, or `timeout` passed.
  func export(_ metrics: [MetricData], from source: TelemetrySource, timeout: Duration) -> ExportResult
  /// Releases the exporter's resources.
  func shutdown(timeout: Duration)
  /// How many times the exporter sent a request again after a retryable failure, so far.
  var retries: Int { get }
  /// Makes an export under way return soon (failed); called from another thread when a shutdown
  /// deadline passes, so it must be thread-safe. The exporter need not work afterwards.
  func cancelExport()
}

extension SpanExporter {
  /// Nothing is held by default.
  public func forceFlush(timeout: Duration) -> Bool { true }
  /// Nothing to release by default.
  public func shutdown(timeout: Duration) {}
  /// No retries by default.
  public var retries: Int { 0 }
  /// Nothing to cancel by default.
  public func cancelExport() {}
}

extension MetricExporter {
  /// Cumulative, the OpenTelemetry default.
  public var preferredTemporality: AggregationTemporality { .cumulative }
  /// Never stops by default.
  public var stoppedReason: String? { nil }
  /// No retries by default.
  public var retries: Int { 0 }
  /// Nothing to release by default.
  public func shutdown(timeout: Duration) {}
  /// Nothing to cancel by default.
  public func cancelExport() {}
}
