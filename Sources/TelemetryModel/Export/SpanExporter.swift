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
}

/// Sends collected metrics somewhere.
///
/// Called on the sink's export thread, one call at a time, like ``SpanExporter``.
public protocol MetricExporter: Sendable {
  /// The temporality this exporter wants the points in.
  var preferredTemporality: AggregationTemporality { get }
  /// Sends one collection; blocks until it is delivered, has failed, or `timeout` passed.
  func export(_ metrics: [MetricData], from source: TelemetrySource, timeout: Duration) -> ExportResult
  /// Releases the exporter's resources.
  func shutdown(timeout: Duration)
}

extension SpanExporter {
  /// Nothing is held by default.
  public func forceFlush(timeout: Duration) -> Bool { true }
  /// Nothing to release by default.
  public func shutdown(timeout: Duration) {}
}

extension MetricExporter {
  /// Cumulative, the OpenTelemetry default.
  public var preferredTemporality: AggregationTemporality { .cumulative }
  /// Nothing to release by default.
  public func shutdown(timeout: Duration) {}
}
