import Testing

@testable import ObservabilitySinks

@Suite("Endpoint forms")
struct EndpointTests {
  @Test(arguments: [
    ("http://collector:4317", "collector:4317", false as Bool?),
    ("https://collector", "collector:443", true),
    ("http://collector", "collector:4317", false),
    ("collector:4317", "collector:4317", nil),
    ("dns:///collector:4317", "collector:4317", nil),
    ("http://[::1]:4317/", "[::1]:4317", false),
    ("  HTTP://Collector:4318  ", "Collector:4318", false),
    ("127.0.0.1:55680", "127.0.0.1:55680", nil),
  ])
  func acceptedFormsGiveASchemeFreeTarget(text: String, target: String, tls: Bool?) throws {
    let endpoint = try OTLPEndpoint(text)
    #expect(endpoint.target == target)
    #expect(endpoint.schemeWantsTLS == tls)
    #expect(!endpoint.target.contains("://"))
  }

  @Test func unixSocketsPassThrough() throws {
    #expect(try OTLPEndpoint("unix:/run/otel.sock").target == "unix:/run/otel.sock")
    #expect(try OTLPEndpoint("unix:/run/télémétrie.sock").target == "unix:/run/télémétrie.sock")
  }

  @Test(arguments: [
    "", "ftp://collector:4317", "http://", "http://collector:0", "http://collector:65536", "http://c:x",
    "http://c/v1/traces", "a:b:c", "http://[::1",
    // Found by fuzzing: a bracketed host kept whitespace and NUL bytes, which the C core would cut.
    "[\r\u{0}317!]:4317", "http://coll ector:4317", "[a\tb]:1", "unix:/tmp/otel\u{0}.sock",
    "[]", "http://[]:4317", "[[]", "a]:1", "t\u{604}", "http://bücher.example:4317",
  ])
  func malformedEndpointsAreRefusedWithAReason(text: String) {
    #expect(throws: OTLPConfigurationError.self) { try OTLPEndpoint(text) }
  }
}
