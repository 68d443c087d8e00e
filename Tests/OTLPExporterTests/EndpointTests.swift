import GRPCCoreClient
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
    // Accepted by the core at channel creation, then every call fails: no socket path.
    "unix:", "unix:///",
  ])
  func malformedEndpointsAreRefusedWithAReason(text: String) {
    #expect(throws: OTLPConfigurationError.self) { try OTLPEndpoint(text) }
  }

  @Test(arguments: [
    ("ipv4:127.0.0.1:4317,127.0.0.1:4318", "ipv4:127.0.0.1:4317,127.0.0.1:4318"),
    ("IPv4:///10.0.0.1,10.0.0.2:4318", "ipv4:10.0.0.1:4317,10.0.0.2:4318"),
    ("ipv4:10.1.2.3:55680", "ipv4:10.1.2.3:55680"),
    ("ipv6:[::1]:4317,[fd00::2]", "ipv6:[::1]:4317,[fd00::2]:4317"),
    ("  ipv6:///[2001:db8::7]:4318  ", "ipv6:[2001:db8::7]:4318"),
  ])
  func addressListsKeepEveryAddressWithItsPort(text: String, target: String) throws {
    let endpoint = try OTLPEndpoint(text)
    #expect(endpoint.target == target)
    #expect(endpoint.schemeWantsTLS == nil)
    #expect(endpoint.defaultLoadBalancing == .roundRobin)
    #expect(try OTLPEndpoint(endpoint.target).target == target)
  }

  @Test(arguments: [
    "ipv4:", "ipv4:///", "ipv4:127.0.0.1:4317,", "ipv4:,127.0.0.1:4317", "ipv4:collector:4317",
    "ipv4://127.0.0.1:4317", "ipv4:127.0.0.1:0", "ipv4:127.0.0.1:x", "ipv4:256.0.0.1:4317", "ipv4:127.1:4317",
    "ipv4:127.0.0.1 :4317", "ipv4:127.0.0.1\u{0}:4317", "ipv4:::1", "ipv6:::1", "ipv6:[::1]x",
    "ipv6:127.0.0.1:4317", "ipv6:[::1]:4317,[::g]:4317", "ipv6:[]:4317", "ipv6:[::1\u{0}]:4317",
  ])
  func malformedAddressListsAreRefusedWithAReason(text: String) {
    #expect(throws: OTLPConfigurationError.self) { try OTLPEndpoint(text) }
  }

  @Test(arguments: [
    ("collector:4317", OTLPLoadBalancing.pickFirst), ("http://collector:4317", .pickFirst),
    ("https://collector", .pickFirst), ("127.0.0.1:4317", .pickFirst), ("unix:/run/otel.sock", .pickFirst),
    ("dns:///collector:4317", .roundRobin), ("DNS:///collectors.observability.svc:4317", .roundRobin),
    ("ipv4:127.0.0.1:4317", .roundRobin),
  ])
  func roundRobinIsTheDefaultWhereTheEndpointNamesSeveralCollectors(text: String, policy: OTLPLoadBalancing)
    throws
  {
    let endpoint = try OTLPEndpoint(text)
    #expect(endpoint.defaultLoadBalancing == policy)
    #expect(endpoint.loadBalancingPolicy(nil).rawValue == policy.rawValue)
    #expect(endpoint.loadBalancingPolicy(.pickFirst) == .pickFirst)
    #expect(endpoint.loadBalancingPolicy(.roundRobin) == .roundRobin)
  }

  /// Found by the `endpoint` fuzzer: a host called `ipv6` made the target `ipv6:4317`, which the
  /// core reads as an (empty) IPv6 address list.
  @Test(arguments: [
    ("ipv6", "dns:///ipv6:4317"), ("http://IPV4:80", "dns:///IPV4:80"), ("UNIX:99", "dns:///UNIX:99"),
    ("dns:///ipv6:4317", "dns:///ipv6:4317"),
  ])
  func aHostNamedLikeAResolverSchemeGoesThroughDNS(text: String, target: String) throws {
    let endpoint = try OTLPEndpoint(text)
    #expect(endpoint.target == target)
    #expect(try OTLPEndpoint(endpoint.target).target == target)
  }
}
