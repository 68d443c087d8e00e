import SinkSupport

/// Where an OTLP request goes: the trace or the metrics service.
enum OTLPRoute: Sendable {
  case traces
  case metrics
}

/// One OTLP connection, over gRPC or HTTP: sends an encoded request with the retries its transport's
/// specification allows, and answers with one ``OTLPOutcome``.
protocol OTLPConnection: Sendable {
  /// The receiver, as logs and `status().detail` name it.
  var destination: String { get }
  /// Attempts beyond the first so far.
  var retries: Int { get }
  /// Starts sending `request` with retries; ``OTLPPendingCall/wait()`` gives the final outcome.
  func start(_ route: OTLPRoute, request: [UInt8], timeout: Duration) -> OTLPPendingCall
  /// Cancels what is in flight and releases the connection; later requests fail at once.
  func shutdown()
}

extension OTLPConnection {
  /// Sends `request` and waits for its final outcome. Blocks the calling (export) thread.
  func send(_ route: OTLPRoute, request: [UInt8], timeout: Duration) -> OTLPOutcome {
    start(route, request: request, timeout: timeout).wait()
  }
}

/// The final answer to one request, whichever transport carried it.
struct OTLPOutcome: Sendable {
  /// The receiver's response message when it accepted the request (it may report a partial success).
  var accepted: [UInt8]?
  /// Why the request was not delivered, for the log and `status().lastError`: the gRPC code name or
  /// the HTTP status, and the receiver's message.
  var failure: String?
  /// The receiver has no such service (gRPC UNIMPLEMENTED, HTTP 404 or 405): a trace-only backend
  /// asked for metrics.
  var serviceMissing = false
  var attempts: Int

  static func delivered(_ response: [UInt8], attempts: Int) -> OTLPOutcome {
    OTLPOutcome(accepted: response, failure: nil, attempts: attempts)
  }

  static func failed(_ reason: String, serviceMissing: Bool = false, attempts: Int) -> OTLPOutcome {
    OTLPOutcome(accepted: nil, failure: reason, serviceMissing: serviceMissing, attempts: attempts)
  }
}

/// A request with retries under way.
final class OTLPPendingCall: Sendable {
  private let outcome = OneShot<OTLPOutcome>()
  private let timeout: Duration

  init(timeout: Duration) {
    self.timeout = timeout
  }

  /// A call whose outcome is already known.
  static func finished(_ outcome: OTLPOutcome) -> OTLPPendingCall {
    let call = OTLPPendingCall(timeout: .zero)
    call.complete(outcome)
    return call
  }

  func complete(_ value: OTLPOutcome) {
    outcome.fulfil(value)
  }

  /// The final outcome; the call's own deadline ends it, the margin covers the transport's
  /// reaction time.
  func wait() -> OTLPOutcome {
    outcome.wait(until: Deadline(after: timeout.saturatingAdding(.seconds(2))))
      ?? .failed("DEADLINE_EXCEEDED: no answer within the export timeout", attempts: 0)
  }
}

/// The connection `options` ask for.
enum OTLPConnections {
  static func make(options: OTLPExporterOptions, route: OTLPRoute, retry: RetryPolicy) throws
    -> any OTLPConnection
  {
    switch options.protocol ?? .grpc {
    case .grpc: return try OTLPGRPCConnection(options: options, retry: retry)
    case .httpProtobuf: return try OTLPHTTPConnection(options: options, route: route, retry: retry)
    }
  }
}
