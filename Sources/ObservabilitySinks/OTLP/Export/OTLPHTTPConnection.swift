import CurlHTTPClient
import SinkSupport
import Synchronization

/// One OTLP/HTTP (binary protobuf) connection on libcurl: posts to the signal's URL, retries what
/// the specification allows, and answers with one ``OTLPOutcome``.
///
/// A request runs on the calling thread (the export thread), never on the caller's thread or the
/// concurrency pool; the connection stays open between requests (keep-alive). Retried: 429, 502,
/// 503, 504 and requests that got no response (refused, reset, timed out), with exponential
/// backoff, or after `Retry-After` (seconds or an HTTP date) when the server sends it; every other
/// status is final. An error body (`google.rpc.Status`) gives the logged reason.
///
/// Specification: OTLP, *OTLP/HTTP Response* (*Failures*, *Retryable Response Codes*,
/// *OTLP/HTTP Throttling*); OTLP exporter, *Retry*.
final class OTLPHTTPConnection: OTLPConnection {
  private let traces: OTLPHTTPEndpoint?
  private let metrics: OTLPHTTPEndpoint?
  private let connection: CurlConnection
  private let headers: [(String, String)]
  private let gzip: Bool
  private let retry: RetryPolicy
  private let retryCount = Atomic<Int>(0)
  /// Fulfilled by ``shutdown()``: ends a backoff wait at once.
  private let closed = OneShot<Bool>()

  let destination: String
  var retries: Int { retryCount.load(ordering: .relaxed) }

  /// A connection posting to `endpoint` (a full URL) for `route`.
  init(options: OTLPExporterOptions, route: OTLPRoute, retry: RetryPolicy) throws {
    guard let text = options.endpoint else { throw OTLPConfigurationError.invalidEndpoint("", "it is empty") }
    let signalPath = options.endpointIsBase ? (route == .traces ? "v1/traces" : "v1/metrics") : nil
    let endpoint = try OTLPHTTPEndpoint(text, appending: signalPath)
    traces = route == .traces ? endpoint : nil
    metrics = route == .metrics ? endpoint : nil
    destination = endpoint.url
    // libcurl would read the files at the first request; a path that is wrong fails setup now.
    for path in [options.certificateFile, options.clientCertificateFile, options.clientKeyFile].compactMap({
      $0
    }) {
      do {
        _ = try TextFile.bytes(path)
      } catch {
        throw OTLPConfigurationError.unreadableCertificate(path: path, reason: error.description)
      }
    }
    do {
      connection = try CurlConnection(
        tls: CurlTLS(
          certificateFile: options.certificateFile, clientCertificateFile: options.clientCertificateFile,
          clientKeyFile: options.clientKeyFile),
        userAgent: OTLPUserAgent.value)
    } catch {
      throw OTLPConfigurationError.invalidEndpoint(text, error.description)
    }
    headers = (options.headers ?? []).map { ($0.key, $0.value) }
    gzip = options.compression == .gzip
    self.retry = retry
  }

  /// Sends now, on this thread, and returns the finished call: HTTP requests are not pipelined.
  func start(_ route: OTLPRoute, request: [UInt8], timeout: Duration) -> OTLPPendingCall {
    .finished(send(route, request: request, deadline: Deadline(after: timeout)))
  }

  func shutdown() {
    closed.fulfil(true)
    connection.close()
  }

  private func send(_ route: OTLPRoute, request: [UInt8], deadline: Deadline) -> OTLPOutcome {
    guard let endpoint = route == .traces ? traces : metrics else {
      return .failed("this connection does not send \(route)", attempts: 0)
    }
    let body = gzip ? (Gzip.compress(request) ?? request) : request
    let post = HTTPPost(
      url: endpoint.url, body: body, contentType: "application/x-protobuf", headers: headers,
      gzipped: gzip && body != request)
    var attempt = 1
    var previousReason: String?
    while true {
      let answer = connection.send(post, deadline: deadline)
      var verdict = Self.verdict(answer)
      // Shut down while retrying: the reason the retries were for is the one worth keeping.
      if answer.failure == .cancelled, let previousReason {
        verdict = .final(
          "CANCELLED: the exporter is shut down, retrying after: \(previousReason)", serviceMissing: false)
      }
      guard case .retry(let reason, let serverDelay) = verdict, attempt < retry.maxAttempts else {
        return Self.outcome(verdict, attempts: attempt)
      }
      previousReason = reason
      let delay = retry.delay(afterAttempt: attempt, serverDelay: serverDelay)
      // Not enough time left to wait and try again, or shut down meanwhile: this answer is final.
      guard delay < deadline.remaining, closed.wait(until: Deadline(after: delay)) == nil else {
        return .failed(reason, attempts: attempt)
      }
      retryCount.wrappingAdd(1, ordering: .relaxed)
      attempt += 1
    }
  }

  /// What one answer means.
  enum Verdict: Equatable {
    case delivered([UInt8])
    case retry(String, serverDelay: Duration?)
    case final(String, serviceMissing: Bool)
  }

  static func verdict(_ answer: HTTPAnswer, now: Int64 = Int64(UnixClock.now() / 1_000_000_000)) -> Verdict {
    if let failure = answer.failure {
      switch failure {
      case .cancelled: return .final("CANCELLED: the exporter is shut down", serviceMissing: false)
      case .timedOut(let message): return .retry("timed out: \(message)", serverDelay: nil)
      case .transport(let message):
        return .retry("no response: \(ServerText.forLog(message))", serverDelay: nil)
      }
    }
    switch answer.status {
    case 200..<300:
      return .delivered(answer.body)
    case 429, 502, 503, 504:
      return .retry(reason(answer), serverDelay: answer.retryAfter.flatMap { retryAfter($0, now: now) })
    case 404, 405:
      return .final(reason(answer), serviceMissing: true)
    default:
      return .final(reason(answer), serviceMissing: false)
    }
  }

  private static func outcome(_ verdict: Verdict, attempts: Int) -> OTLPOutcome {
    switch verdict {
    case .delivered(let body): return .delivered(body, attempts: attempts)
    case .retry(let reason, _): return .failed(reason, attempts: attempts)
    case .final(let reason, let missing): return .failed(reason, serviceMissing: missing, attempts: attempts)
    }
  }

  /// `HTTP 503: <the server's message>`: the `google.rpc.Status` message when the body is one,
  /// else the body as text (an HTML error page is cut, as every server text is).
  static func reason(_ answer: HTTPAnswer) -> String {
    let name = "HTTP \(answer.status)"
    let isProtobuf = answer.contentType?.lowercased().hasPrefix("application/x-protobuf") ?? false
    if isProtobuf, let message = ResponseDecoder.statusMessage(answer.body) {
      return message.isEmpty ? name : "\(name): \(ServerText.forLog(message))"
    }
    // An HTML error page (a proxy's, a web framework's 404) says nothing the status does not.
    if answer.contentType?.lowercased().hasPrefix("text/html") ?? false { return name }
    let text = String(decoding: answer.body, as: UTF8.self).trimmingWhitespace()
    return text.isEmpty ? name : "\(name): \(ServerText.forLog(text))"
  }

  /// `Retry-After` as a delay: whole seconds, or an HTTP date (the time until it; a date passed
  /// is no delay). `nil` for anything else, and then the backoff decides.
  static func retryAfter(_ value: String, now: Int64) -> Duration? {
    let text = value.trimmingWhitespace()
    if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
      // More digits than a day has seconds is still "a long time": the policy caps it.
      return .seconds(Int64(text.prefix(12)) ?? 0)
    }
    guard let date = HTTPDate.unixSeconds(text) else { return nil }
    return .seconds(max(0, date - now))
  }
}

/// The `User-Agent` of both transports.
enum OTLPUserAgent {
  static let value = "OTel-OTLP-Exporter-Swift/observability-sinks"
}

extension Character {
  fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
