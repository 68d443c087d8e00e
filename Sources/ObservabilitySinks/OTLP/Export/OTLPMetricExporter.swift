package import Logging
import SinkSupport
import Synchronization

/// Sends metrics to an OTLP receiver: `MetricsService/Export` over gRPC, or `POST …/v1/metrics`
/// over HTTP.
///
/// A receiver without a metrics service (trace-only backends such as Jaeger, Tempo or Arize
/// Phoenix answer UNIMPLEMENTED over gRPC, 404 or 405 over HTTP) gets one warning; metric export
/// then stops and says so in ``stoppedReason``, and the sink judges delivery by its spans.
package final class OTLPMetricExporter: MetricExporter {

  /// The temporality the points are collected in.
  package let preferredTemporality: AggregationTemporality
  private let transport: any OTLPConnection
  private let timeout: Duration
  private let logger: Logger
  private let partialSuccessReported = Atomic<Bool>(false)
  private let stopped = LockedValue<String?>(nil)

  /// Attempts beyond the first, so far.
  package var retries: Int { transport.retries }

  /// Creates an exporter for `options` (its endpoint must be set).
  package init(
    options: OTLPExporterOptions, temporality: AggregationTemporality, retry: RetryPolicy = RetryPolicy(),
    logger: Logger
  ) throws {
    transport = try OTLPConnections.make(options: options, route: .metrics, retry: retry)
    timeout = options.effectiveTimeout
    preferredTemporality = temporality
    self.logger = logger
  }

  /// Why metric export stopped, if it did.
  package var stoppedReason: String? { stopped.withLock { $0 } }

  /// Encodes and sends the collection.
  package func export(_ metrics: [MetricData], from source: TelemetrySource, timeout: Duration)
    -> ExportResult
  {
    if let reason = stoppedReason { return .failure(reason) }
    let request = MetricsRequestEncoder.encode(metrics, from: source)
    let outcome = transport.send(.metrics, request: request, timeout: min(timeout, self.timeout))
    if outcome.serviceMissing {
      let reason = "the receiver has no metrics service (\(outcome.failure ?? "")); metric export stopped"
      stopped.withLock { $0 = reason }
      logger.warning("\(reason): \(transport.destination) accepts traces only")
      return .failure(reason)
    }
    return OTLPResults.result(
      of: outcome, partialSuccess: outcome.accepted.flatMap(ResponseDecoder.metricsPartialSuccess),
      kind: "data points", logger: logger,
      firstOfItsKind: !partialSuccessReported.exchange(true, ordering: .relaxed))
  }

  /// Cancels what is in flight and closes the connection.
  package func shutdown(timeout: Duration) {
    transport.shutdown()
  }

  /// Makes an export under way return now (as CANCELLED); safe from any thread.
  package func cancelExport() {
    transport.shutdown()
  }
}
