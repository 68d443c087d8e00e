/// One HTTP POST: where, what, and the headers beside the body's type.
package struct HTTPPost: Sendable {
  package var url: String
  package var body: [UInt8]
  package var contentType: String
  /// Extra headers (name, value); names and values were validated by the caller.
  package var headers: [(String, String)]
  /// Whether `body` is gzip-compressed (sent with `Content-Encoding: gzip`).
  package var gzipped: Bool

  package init(
    url: String, body: [UInt8], contentType: String, headers: [(String, String)] = [], gzipped: Bool = false
  ) {
    self.url = url
    self.body = body
    self.contentType = contentType
    self.headers = headers
    self.gzipped = gzipped
  }
}

/// What came back: an HTTP status with its body and the headers the exporter reads, or why no
/// status came.
package struct HTTPAnswer: Sendable {
  /// The HTTP status; 0 when the request got no response.
  package var status: Int
  /// The body, at most ``CurlConnection/largestBody`` bytes of it.
  package var body: [UInt8]
  /// `Retry-After`, as the server sent it.
  package var retryAfter: String?
  /// `Content-Type`, as the server sent it.
  package var contentType: String?
  /// Why there was no response (connection refused, TLS, timeout), in libcurl's words.
  package var failure: HTTPFailure?

  package init(
    status: Int, body: [UInt8] = [], retryAfter: String? = nil, contentType: String? = nil,
    failure: HTTPFailure? = nil
  ) {
    self.status = status
    self.body = body
    self.retryAfter = retryAfter
    self.contentType = contentType
    self.failure = failure
  }
}

/// Why a request got no HTTP response.
package enum HTTPFailure: Hashable, Sendable {
  /// The request's time ran out.
  case timedOut(String)
  /// The connection was closed by ``CurlConnection/close()``.
  case cancelled
  /// Anything else: refused, unresolvable, TLS, reset; libcurl's message.
  case transport(String)
}

/// A connection that could not be set up.
package struct CurlSetupError: Error, CustomStringConvertible {
  package var description: String
}
