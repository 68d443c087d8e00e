import GRPCCoreClient
import Logging
import Synchronization
import TelemetryModel

/// Sends spans to an OTLP/gRPC receiver (`TraceService/Export`) through the gRPC C core.
public final class OTLPGRPCSpanExporter: SpanExporter {
  static let method = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
  /// Receivers refuse requests above 4 MiB by default; bigger batches are split.
  static let maxRequestBytes = 4 * 1024 * 1024

  private let transport: OTLPTransport
  private let timeout: Duration
  private let logger: Logger
  private let partialSuccessReported = Atomic<Bool>(false)
  private let retriesCounter = Atomic<Int>(0)

  /// Creates an exporter for `options` (its endpoint must be set); throws
  /// ``OTLPConfigurationError`` for an endpoint or certificate it cannot use.
  public init(options: OTLPExporterOptions, retry: RetryPolicy = RetryPolicy(), logger: Logger) throws {
    transport = try OTLPTransport(options: options, retry: retry)
    timeout = options.timeout ?? OTLPExporterOptions.defaultTimeout
    self.logger = logger
  }

  /// Attempts beyond the first, so far.
  public var retries: Int { retriesCounter.load(ordering: .relaxed) }

  /// Encodes and sends the batch, split when it would exceed 4 MiB.
  public func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    let deadline = ContinuousClock.now + min(timeout, self.timeout)
    return send(spans[...], source: source, deadline: deadline)
  }

  private func send(_ spans: ArraySlice<SpanData>, source: TelemetrySource, deadline: ContinuousClock.Instant)
    -> ExportResult
  {
    let request = TraceRequestEncoder.encode(Array(spans), from: source)
    if request.count > Self.maxRequestBytes, spans.count > 1 {
      let middle = spans.startIndex + spans.count / 2
      return OTLPResults.combine(
        send(spans[..<middle], source: source, deadline: deadline),
        send(spans[middle...], source: source, deadline: deadline))
    }
    let remaining = deadline - ContinuousClock.now
    guard remaining > .zero else {
      return .failure("DEADLINE_EXCEEDED: the export timeout passed before sending")
    }
    let outcome = transport.send(method: Self.method, request: request, timeout: remaining)
    if outcome.attempts > 1 { retriesCounter.wrappingAdd(outcome.attempts - 1, ordering: .relaxed) }
    return OTLPResults.result(
      of: outcome.result,
      partialSuccess: outcome.result.response.flatMap(ResponseDecoder.tracePartialSuccess),
      kind: "spans", logger: logger,
      firstOfItsKind: !partialSuccessReported.exchange(true, ordering: .relaxed))
  }

  /// Cancels what is in flight and closes the connection.
  public func shutdown(timeout: Duration) {
    transport.shutdown()
  }
}

/// Turning gRPC results into export results, shared by both signals.
enum OTLPResults {
  static func result(
    of result: UnaryResult, partialSuccess: PartialSuccess?, kind: String, logger: Logger,
    firstOfItsKind: @autoclosure () -> Bool
  ) -> ExportResult {
    guard result.status == .ok else {
      return .failure("\(result.status.name): \(result.message)")
    }
    guard let partialSuccess else { return .success }
    if firstOfItsKind() {
      logger.warning(
        "the OTLP receiver rejected \(partialSuccess.rejected) \(kind): \(partialSuccess.message) (logged once; all rejections are counted)"
      )
    }
    return .partialSuccess(rejected: partialSuccess.rejected, message: partialSuccess.message)
  }

  static func combine(_ first: ExportResult, _ second: ExportResult) -> ExportResult {
    switch (first, second) {
    case (.failure(let message), _), (_, .failure(let message)): return .failure(message)
    case (.partialSuccess(let a, let message), .partialSuccess(let b, _)):
      return .partialSuccess(rejected: a + b, message: message)
    case (.partialSuccess, .success): return first
    case (.success, _): return second
    }
  }
}
