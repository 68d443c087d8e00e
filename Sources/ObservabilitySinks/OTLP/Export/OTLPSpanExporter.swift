package import Logging
import SinkSupport
import Synchronization

/// Sends spans to an OTLP receiver: `TraceService/Export` over gRPC (the C core), or
/// `POST …/v1/traces` over HTTP (libcurl).
///
/// Pipelined over gRPC: the export thread encodes the next batch while this one is on the wire.
package final class OTLPSpanExporter: PipelinedSpanExporter {
  /// Receivers refuse requests above 4 MiB by default (gRPC's limit, and Phoenix's); bigger
  /// batches are split.
  static let maxRequestBytes = 4 * 1024 * 1024

  private let transport: any OTLPConnection
  /// Used by the export thread only; the lock is never contended.
  private let encoder = LockedValue(TraceRequestEncoder())
  private let timeout: Duration
  private let logger: Logger
  private let partialSuccessReported = Atomic<Bool>(false)

  /// Creates an exporter for `options` (its endpoint must be set); throws
  /// ``OTLPConfigurationError`` for an endpoint or certificate it cannot use.
  package init(options: OTLPExporterOptions, retry: RetryPolicy = RetryPolicy(), logger: Logger) throws {
    transport = try OTLPConnections.make(options: options, route: .traces, retry: retry)
    timeout = options.effectiveTimeout
    self.logger = logger
  }

  /// Attempts beyond the first, so far.
  package var retries: Int { transport.retries }

  /// Encodes and sends the batch, split when it would exceed 4 MiB.
  package func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    prepareExport(spans, from: source).start(timeout: timeout).wait()
  }

  /// Encodes the batch into one request, or several when it would exceed 4 MiB.
  package func prepareExport(_ spans: [SpanData], from source: TelemetrySource) -> any PreparedExport {
    PreparedSpans(requests: encode(spans[...], source: source), exporter: self)
  }

  /// Cancels what is in flight and closes the connection.
  package func shutdown(timeout: Duration) {
    transport.shutdown()
  }

  /// Makes an export under way return now (as CANCELLED); safe from any thread.
  package func cancelExport() {
    transport.shutdown()
  }

  /// Sends spans that are already encoded (the spool's) under `source`, split as ``export(_:from:timeout:)``
  /// splits, and waits for the outcome.
  func exportEncoded(_ spans: ArraySlice<[UInt8]>, source: EncodedSource, timeout: Duration) -> ExportResult {
    send(assemble(spans, source: source), timeout: timeout).wait()
  }

  private func assemble(_ spans: ArraySlice<[UInt8]>, source: EncodedSource) -> [EncodedRequest] {
    guard spans.count > 1, EncodedTraceRequest.size(source: source, spans: spans) > Self.maxRequestBytes
    else {
      return [
        EncodedRequest(bytes: EncodedTraceRequest.assemble(source: source, spans: spans), spans: spans.count)
      ]
    }
    let middle = spans.startIndex + spans.count / 2
    return assemble(spans[..<middle], source: source) + assemble(spans[middle...], source: source)
  }

  private func encode(_ spans: ArraySlice<SpanData>, source: TelemetrySource) -> [EncodedRequest] {
    let bytes = encoder.withLock { $0.encode(Array(spans), from: source) }
    guard bytes.count > Self.maxRequestBytes, spans.count > 1 else {
      return [EncodedRequest(bytes: bytes, spans: spans.count)]
    }
    let middle = spans.startIndex + spans.count / 2
    return encode(spans[..<middle], source: source) + encode(spans[middle...], source: source)
  }

  fileprivate func send(_ requests: [EncodedRequest], timeout: Duration) -> any PendingExport {
    let deadline = ContinuousClock.now + min(timeout, self.timeout)
    // Rare split requests go one after the other; the last one is left in flight.
    var tally = ExportTally()
    for request in requests.dropLast() {
      let outcome = transport.send(.traces, request: request.bytes, timeout: deadline - ContinuousClock.now)
      tally.add(finish(outcome), spans: request.spans)
    }
    guard let last = requests.last else { return FinishedExport(result: tally.result) }
    let remaining = deadline - ContinuousClock.now
    guard remaining > .zero else {
      tally.add(.failure("DEADLINE_EXCEEDED: the export timeout passed before sending"), spans: last.spans)
      return FinishedExport(result: tally.result)
    }
    let call = transport.start(.traces, request: last.bytes, timeout: remaining)
    return InFlightSpans(call: call, spans: last.spans, earlier: tally, exporter: self)
  }

  fileprivate func finish(_ outcome: OTLPOutcome) -> ExportResult {
    return OTLPResults.result(
      of: outcome, partialSuccess: outcome.accepted.flatMap(ResponseDecoder.tracePartialSuccess),
      kind: "spans", logger: logger,
      firstOfItsKind: !partialSuccessReported.exchange(true, ordering: .relaxed))
  }
}

/// One encoded request and how many spans it carries.
private struct EncodedRequest: Sendable {
  let bytes: [UInt8]
  let spans: Int
}

/// Encoded requests waiting to be sent.
private struct PreparedSpans: PreparedExport {
  let requests: [EncodedRequest]
  let exporter: OTLPSpanExporter

  func start(timeout: Duration) -> any PendingExport {
    exporter.send(requests, timeout: timeout)
  }
}

/// The last request of a batch on the wire.
private struct InFlightSpans: PendingExport {
  let call: OTLPPendingCall
  let spans: Int
  let earlier: ExportTally
  let exporter: OTLPSpanExporter

  func wait() -> ExportResult {
    var tally = earlier
    tally.add(exporter.finish(call.wait()), spans: spans)
    return tally.result
  }
}

/// A batch whose outcome is already known.
private struct FinishedExport: PendingExport {
  let result: ExportResult

  func wait() -> ExportResult { result }
}

/// What became of the requests of one batch, item by item, so that a batch split into several
/// requests is counted exactly when only some of them fail.
struct ExportTally: Sendable {
  private var total = 0
  private var failed = 0
  private var rejected = 0
  private var message: String?

  mutating func add(_ result: ExportResult, spans: Int) {
    total += spans
    switch result {
    case .success: break
    case .partialSuccess(let count, let text):
      rejected += min(count, spans)
      message = message ?? text
    case .failure(let text):
      failed += spans
      message = text
    case .partialFailure(let failedCount, let rejectedCount, let text):
      failed += failedCount
      rejected += rejectedCount
      message = text
    }
  }

  var result: ExportResult {
    if failed == 0 {
      return rejected == 0 ? .success : .partialSuccess(rejected: rejected, message: message ?? "")
    }
    if failed >= total { return .failure(message ?? "") }
    return .partialFailure(failed: failed, rejected: rejected, message: message ?? "")
  }
}

/// Turning transport outcomes into export results, shared by both signals.
enum OTLPResults {
  static func result(
    of outcome: OTLPOutcome, partialSuccess: PartialSuccess?, kind: String, logger: Logger,
    firstOfItsKind: @autoclosure () -> Bool
  ) -> ExportResult {
    if let failure = outcome.failure { return .failure(failure) }
    guard let received = partialSuccess else { return .success }
    let partialSuccess = PartialSuccess(
      rejected: received.rejected, message: ServerText.forLog(received.message))
    if firstOfItsKind() {
      logger.warning(
        "the OTLP receiver rejected \(partialSuccess.rejected) \(kind): \(partialSuccess.message) (logged once; all rejections are counted)"
      )
    }
    return .partialSuccess(rejected: partialSuccess.rejected, message: partialSuccess.message)
  }
}

/// Text a server sent (a status message, a partial-success message), made safe for one log line
/// and `status().lastError`: control characters (newlines too) become spaces, and it is cut to
/// 512 characters, so a hostile server can neither forge log lines nor flood the log.
enum ServerText {
  static let longest = 512

  static func forLog(_ text: String) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      guard count < longest else { return out + "…" }
      out.unicodeScalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
      count += 1
    }
    return out
  }
}
