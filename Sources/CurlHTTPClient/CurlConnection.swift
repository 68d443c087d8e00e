import CCurl
package import SinkSupport
import Synchronization

/// One libcurl easy handle driven by a multi handle: the OTLP/HTTP exporter's connection. Requests
/// run one at a time on the calling thread (the export thread); the handle keeps its connection
/// alive between them, so a batch costs no new handshake. ``close()`` from any thread ends a
/// request in flight at once (`curl_multi_wakeup`) and refuses later ones.
///
/// `@unchecked Sendable`: the handles are touched only inside `requestLock` (and in `deinit`);
/// `curl_multi_wakeup`, the one call made without it, is documented as thread-safe.
package final class CurlConnection: @unchecked Sendable {
  /// Response bodies are kept up to this size (an OTLP response is a few bytes; an error page is
  /// not worth more).
  package static let largestBody = 64 * 1024

  private let multi: UnsafeMutableRawPointer
  private let easy: UnsafeMutableRawPointer
  private let requestLock = LockedValue(())
  private let closed = Atomic<Bool>(false)
  private let tls: CurlTLS
  private let userAgent: String

  /// A connection; `tls` applies to `https` URLs. Throws when libcurl cannot be set up.
  package init(tls: CurlTLS, userAgent: String) throws(CurlSetupError) {
    guard CurlGlobal.ready else { throw CurlSetupError(description: "libcurl could not be initialised") }
    guard let multi = curl_multi_init() else { throw CurlSetupError(description: "curl_multi_init failed") }
    guard let easy = curl_easy_init() else {
      curl_multi_cleanup(multi)
      throw CurlSetupError(description: "curl_easy_init failed")
    }
    self.multi = multi
    self.easy = easy
    self.tls = tls
    self.userAgent = userAgent
  }

  deinit {
    curl_easy_cleanup(easy)
    curl_multi_cleanup(multi)
  }

  /// Ends a request in flight (it answers ``HTTPFailure/cancelled``) and refuses later ones.
  package func close() {
    closed.store(true, ordering: .releasing)
    curl_multi_wakeup(multi)
  }

  /// Sends `post` and waits for the answer, at most until `deadline`.
  package func send(_ post: HTTPPost, deadline: Deadline) -> HTTPAnswer {
    requestLock.withLock { _ in
      guard !closed.load(ordering: .acquiring) else { return HTTPAnswer(status: 0, failure: .cancelled) }
      return perform(post, deadline: deadline)
    }
  }

  private func perform(_ post: HTTPPost, deadline: Deadline) -> HTTPAnswer {
    // Reset keeps the live connection and the DNS cache; every option is set again below.
    curl_easy_reset(easy)
    var headerLines = [
      "Content-Type: \(post.contentType)",
      // No `Expect: 100-continue` round trip before the body.
      "Expect:",
    ]
    if post.gzipped { headerLines.append("Content-Encoding: gzip") }
    headerLines += post.headers.map { "\($0.0): \($0.1)" }
    var headerList: UnsafeMutablePointer<curl_slist>?
    for line in headerLines { headerList = curl_slist_append(headerList, line) }
    defer { curl_slist_free_all(headerList) }

    let collected = Unmanaged.passRetained(ResponseCollector())
    defer { collected.release() }
    let milliseconds = max(1, min(deadline.remaining.saturatingMilliseconds, Int64(Int.max)))
    sinks_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
    sinks_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(milliseconds))
    sinks_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
    sinks_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
    sinks_curl_setopt_string(easy, CURLOPT_USERAGENT, userAgent)
    sinks_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
    sinks_curl_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, collectBody)
    sinks_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, collected.toOpaque())
    sinks_curl_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, collectHeader)
    sinks_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, collected.toOpaque())
    if let file = tls.certificateFile { sinks_curl_setopt_string(easy, CURLOPT_CAINFO, file) }
    if let file = tls.clientCertificateFile { sinks_curl_setopt_string(easy, CURLOPT_SSLCERT, file) }
    if let file = tls.clientKeyFile { sinks_curl_setopt_string(easy, CURLOPT_SSLKEY, file) }
    guard sinks_curl_setopt_string(easy, CURLOPT_URL, post.url) == CURLE_OK else {
      return HTTPAnswer(status: 0, failure: .transport("libcurl refused the URL \(post.url)"))
    }

    // POSTFIELDS must never be NULL: libcurl would then read the body from stdin.
    let bytes = post.body.isEmpty ? [0] : post.body
    let length = post.body.count
    let result: CURLcode = bytes.withUnsafeBytes { body in
      sinks_curl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, length)
      sinks_curl_setopt_pointer(easy, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress))
      return runToCompletion(deadline: deadline)
    }
    let collector = collected.takeUnretainedValue()
    if closed.load(ordering: .acquiring), result != CURLE_OK {
      return HTTPAnswer(status: 0, failure: .cancelled)
    }
    guard result == CURLE_OK else {
      let message = String(cString: curl_easy_strerror(result))
      let failure: HTTPFailure =
        result == CURLE_OPERATION_TIMEDOUT ? .timedOut(message) : .transport(message)
      return HTTPAnswer(status: 0, failure: failure)
    }
    var status = 0
    sinks_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
    return HTTPAnswer(
      status: status, body: collector.body, retryAfter: collector.header("retry-after"),
      contentType: collector.header("content-type"))
  }

  /// Drives the transfer until it is done, the connection is closed, or the deadline passes.
  private func runToCompletion(deadline: Deadline) -> CURLcode {
    guard curl_multi_add_handle(multi, easy) == CURLM_OK else { return CURLE_FAILED_INIT }
    defer { curl_multi_remove_handle(multi, easy) }
    var running: Int32 = 1
    while running > 0 {
      guard curl_multi_perform(multi, &running) == CURLM_OK else { return CURLE_SEND_ERROR }
      if running == 0 { break }
      if closed.load(ordering: .acquiring) { return CURLE_ABORTED_BY_CALLBACK }
      let remaining = deadline.remaining
      if remaining <= .zero { return CURLE_OPERATION_TIMEDOUT }
      // At most 1 s per wait: the deadline is checked between waits; close() wakes it at once.
      let wait = Int32(max(1, min(1000, remaining.saturatingMilliseconds)))
      curl_multi_poll(multi, nil, 0, wait, nil)
    }
    var pending: Int32 = 0
    while let message = curl_multi_info_read(multi, &pending) {
      if message.pointee.msg == CURLMSG_DONE { return message.pointee.data.result }
    }
    return CURLE_OK
  }
}

/// The CA and client identity files for `https` URLs.
package struct CurlTLS: Hashable, Sendable {
  package var certificateFile: String?
  package var clientCertificateFile: String?
  package var clientKeyFile: String?

  package init(
    certificateFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil
  ) {
    self.certificateFile = certificateFile
    self.clientCertificateFile = clientCertificateFile
    self.clientKeyFile = clientKeyFile
  }
}

/// `curl_global_init`, once, before the first handle.
enum CurlGlobal {
  static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// The body and headers of one response, filled by libcurl's callbacks on the requesting thread.
private final class ResponseCollector {
  var body: [UInt8] = []
  var headers: [(name: String, value: String)] = []

  func header(_ name: String) -> String? {
    headers.last { $0.name == name }?.value
  }
}

private let collectBody: sinks_curl_data_callback = { data, size, count, context in
  let length = size * count
  guard let data, let context else { return length }
  let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
  let room = CurlConnection.largestBody - collector.body.count
  if room > 0 {
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
      collector.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: min(room, length)))
    }
  }
  return length
}

private let collectHeader: sinks_curl_data_callback = { data, size, count, context in
  let length = size * count
  guard let data, let context else { return length }
  let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
  let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
  }
  if line.hasPrefix("HTTP/") {
    // A new status line (after a redirect or an interim response): its headers start afresh.
    collector.headers.removeAll()
  } else if let colon = line.firstIndex(of: ":"), collector.headers.count < 100 {
    let name = line[..<colon].lowercased()
    let value = line[line.index(after: colon)...].trimmingWhitespace()
    collector.headers.append((name, value))
  }
  return length
}
