import CurlHTTPClient
import Testing

@testable import ObservabilitySinks

@Suite("OTLP/HTTP: endpoint URLs, retryable answers, Retry-After, error bodies")
struct HTTPTransportRulesTests {
  @Test(arguments: [
    ("http://collector:4318", "v1/traces", "http://collector:4318/v1/traces"),
    ("http://collector:4318/", "v1/metrics", "http://collector:4318/v1/metrics"),
    (
      "https://cloud.langfuse.com/api/public/otel", "v1/traces",
      "https://cloud.langfuse.com/api/public/otel/v1/traces"
    ),
    ("  HTTP://[::1]:4318  ", "v1/traces", "HTTP://[::1]:4318/v1/traces"),
    // The signal path goes at the end of the path, before a query or a fragment.
    ("http://collector:4318?tenant=a", "v1/traces", "http://collector:4318/v1/traces?tenant=a"),
    (
      "http://collector:4318/otlp/?tenant=a#x", "v1/metrics",
      "http://collector:4318/otlp/v1/metrics?tenant=a#x"
    ),
  ])
  func aBaseEndpointGetsTheSignalPath(text: String, path: String, url: String) throws {
    #expect(try OTLPHTTPEndpoint(text, appending: path).url == url)
  }

  @Test(arguments: [
    ("http://host:5000/v1/traces", "http://host:5000/v1/traces"),
    ("https://host/custom/path", "https://host/custom/path"),
    ("http://host:4318", "http://host:4318/"),
  ])
  func aPerSignalEndpointIsUsedAsItIs(text: String, url: String) throws {
    #expect(try OTLPHTTPEndpoint(text, appending: nil).url == url)
  }

  @Test(arguments: [
    ("collector:4318", "an OTLP/HTTP endpoint is a URL"),
    ("ftp://collector", "the scheme ftp://"),
    ("http://", "it has no host"),
    ("http://:4318", "it has no host"),
    ("http://collector:99999", "the port 99999"),
    ("http://user:secret@collector", "user name or password"),
    ("http://coll ector", "a space"),
    ("http://collector/v1/tr aces", "the path holds a space"),
  ])
  func aBadEndpointSaysWhy(text: String, reason: String) {
    do {
      _ = try OTLPHTTPEndpoint(text, appending: "v1/traces")
      Issue.record("\(text) was accepted")
    } catch {
      #expect(error.description.contains(reason), "\(error.description)")
      #expect(!error.description.contains("secret"))
    }
  }

  @Test(arguments: [429, 502, 503, 504])
  func theSpecificationsRetryableStatusesAreRetried(status: Int) {
    guard case .retry = OTLPHTTPConnection.verdict(HTTPAnswer(status: status)) else {
      Issue.record("\(status) is final")
      return
    }
  }

  @Test(arguments: [400, 401, 403, 413, 415, 500, 501, 505, 302])
  func everyOtherFailureIsFinal(status: Int) {
    guard case .final(_, let missing) = OTLPHTTPConnection.verdict(HTTPAnswer(status: status)) else {
      Issue.record("\(status) is not final")
      return
    }
    #expect(!missing)
  }

  @Test(arguments: [404, 405])
  func aMissingServiceIsNamedSo(status: Int) {
    #expect(
      OTLPHTTPConnection.verdict(HTTPAnswer(status: status)) == .final("HTTP \(status)", serviceMissing: true)
    )
  }

  @Test func noResponseIsRetriedAndACancelledOneIsNot() {
    guard case .retry = OTLPHTTPConnection.verdict(HTTPAnswer(status: 0, failure: .transport("refused")))
    else {
      Issue.record("a refused connection is final")
      return
    }
    guard case .final = OTLPHTTPConnection.verdict(HTTPAnswer(status: 0, failure: .cancelled)) else {
      Issue.record("a cancelled request is retried")
      return
    }
  }

  @Test(arguments: [
    ("5", Duration.seconds(5)),
    (" 120 ", .seconds(120)),
    ("0", .zero),
    ("99999999999999999999", .seconds(999_999_999_999)),
    ("Wed, 21 Oct 2015 07:28:30 GMT", .seconds(30)),
    ("Wed, 21 Oct 2015 07:27:00 GMT", .zero),
  ])
  func retryAfterIsSecondsOrAnHTTPDate(value: String, delay: Duration) {
    // 2015-10-21T07:28:00Z
    #expect(OTLPHTTPConnection.retryAfter(value, now: 1_445_412_480) == delay)
  }

  @Test(arguments: ["soon", "-5", "", "1.5"])
  func anUnreadableRetryAfterLeavesTheBackoffToDecide(value: String) {
    #expect(OTLPHTTPConnection.retryAfter(value, now: 1_445_412_480) == nil)
  }

  @Test func theRetryDelayOfTheServerIsCappedByThePolicy() {
    let delay = RetryPolicy().delay(afterAttempt: 1, serverDelay: .seconds(999_999_999_999))
    #expect(delay == RetryPolicy.longestServerDelay)
  }

  @Test func anErrorBodyGivesTheReason() {
    // google.rpc.Status { code: 3, message: "bad span" }
    let status: [UInt8] = [0x08, 0x03, 0x12, 0x08] + Array("bad span".utf8)
    let answer = HTTPAnswer(status: 400, body: status, contentType: "application/x-protobuf")
    #expect(OTLPHTTPConnection.reason(answer) == "HTTP 400: bad span")
    let page = HTTPAnswer(
      status: 502, body: Array("<html>\nBad gateway\n</html>".utf8), contentType: "text/html")
    #expect(OTLPHTTPConnection.reason(page) == "HTTP 502")
    let text = HTTPAnswer(status: 502, body: Array("upstream\nreset".utf8), contentType: "text/plain")
    #expect(OTLPHTTPConnection.reason(text) == "HTTP 502: upstream reset")
    #expect(OTLPHTTPConnection.reason(HTTPAnswer(status: 503)) == "HTTP 503")
  }

  @Test func gzipRoundTripsThroughZlib() throws {
    let text = Array(String(repeating: "rlm.step ", count: 1000).utf8)
    let compressed = try #require(Gzip.compress(text))
    #expect(compressed.starts(with: [0x1F, 0x8B]))
    #expect(compressed.count < text.count / 10)
    #expect(Gzip.compress([])?.starts(with: [0x1F, 0x8B]) == true)
  }
}
