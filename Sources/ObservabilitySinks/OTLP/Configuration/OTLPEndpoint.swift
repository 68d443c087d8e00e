import GRPCCoreClient
import Glibc
import SinkSupport

/// Where an OTLP/gRPC exporter sends, parsed from the forms users write.
///
/// Accepted: `http://host:port` (plaintext), `https://host:port` (TLS), `host:port` and
/// `dns:///host:port` (TLS unless `insecure` is set, as the specification says), `unix:/path`,
/// and the gRPC core's address lists `ipv4:a.b.c.d:port,…` and `ipv6:[addr]:port,…` (also written
/// `ipv4:///…`; TLS unless `insecure` is set). A trailing `/` is ignored;
/// a missing port is 4317 (443 for `https`). The gRPC core wants a target without a
/// URL scheme (it would take `http://h:p` for a host name), so ``target`` never has one.
///
/// Specification: OTLP exporter, *Configuration Options* (Endpoint (OTLP/gRPC): an `https` scheme
/// means TLS and wins over `insecure`).
package struct OTLPEndpoint: Hashable, Sendable, CustomStringConvertible {
  /// The target for the gRPC core: `host:port`, `[v6]:port`, `unix:…`, or an address list
  /// `ipv4:a:port,b:port` / `ipv6:[a]:port,[b]:port` (every port written out).
  package let target: String
  /// The host name (for TLS name checks and logs); an address list's first address.
  package let host: String
  /// `true` for TLS; `nil` when the text had no scheme and the caller's insecure setting decides.
  package let schemeWantsTLS: Bool?
  /// The text as given.
  package let description: String
  /// The load balancing when none is configured: round-robin where the text names several
  /// collectors (`dns:///…`, whose name may resolve to many replicas, and address lists),
  /// pick-first (the gRPC core's own default) for the other forms.
  package let defaultLoadBalancing: OTLPLoadBalancing

  /// Parses `text`; throws ``OTLPConfigurationError`` saying what is wrong.
  package init(_ text: String) throws(OTLPConfigurationError) {
    description = text
    var rest = Substring(text.trimmingWhitespace())
    guard !rest.isEmpty else { throw .invalidEndpoint(text, "it is empty") }
    var defaultPort = "4317"
    if let family = AddressFamily(prefixOf: rest) {
      (target, host) = try Self.addressList(rest.dropFirst(family.prefix.count), family, text: text)
      schemeWantsTLS = nil
      defaultLoadBalancing = .roundRobin
      return
    }
    defaultLoadBalancing = rest.lowercased().hasPrefix("dns://") ? .roundRobin : .pickFirst
    if let schemeEnd = rest.firstRange(of: "://") {
      let scheme = rest[..<schemeEnd.lowerBound].lowercased()
      rest = rest[schemeEnd.upperBound...]
      switch scheme {
      case "http": schemeWantsTLS = false
      case "https":
        schemeWantsTLS = true
        defaultPort = "443"
      case "dns":
        schemeWantsTLS = nil
        // dns:///host:port (empty authority) or dns://resolver/host:port: keep the host part.
        if let slash = rest.firstIndex(of: "/") {
          // The resolver's authority is dropped, so credentials there would be shown, never sent.
          if rest[..<slash].contains("@") { throw .invalidEndpoint(text, Self.credentialsReason) }
          rest = rest[rest.index(after: slash)...]
        }
      default:
        throw .invalidEndpoint(text, "the scheme \(scheme)://; use http://, https://, dns:/// or host:port")
      }
    } else if rest.hasPrefix("unix:") {
      try Self.refuseInvalidCharacters(in: rest, host: false, text: text)
      // The core accepts `unix:` and `unix:///` at channel creation and fails every call.
      guard rest.dropFirst("unix:".count).contains(where: { $0 != "/" }) else {
        throw .invalidEndpoint(text, "a unix: endpoint needs a socket path, e.g. unix:///run/otel.sock")
      }
      target = String(rest)
      host = "localhost"
      schemeWantsTLS = nil
      return
    } else {
      schemeWantsTLS = nil
    }
    // Credentials in the URL would be sent nowhere (gRPC has no userinfo) and shown in logs and
    // status; refuse them without repeating them.
    if rest.prefix(while: { $0 != "/" }).contains("@") {
      throw .invalidEndpoint(text, Self.credentialsReason)
    }
    // Drop a path: OTLP/gRPC has none, and Python's exporter ignores it too.
    if let slash = rest.firstIndex(of: "/") {
      let path = rest[slash...]
      guard path.allSatisfy({ $0 == "/" }) else {
        throw .invalidEndpoint(text, "a gRPC endpoint has no path (\(path))")
      }
      rest = rest[..<slash]
    }
    guard !rest.isEmpty else { throw .invalidEndpoint(text, "it has no host") }
    let (parsedHost, port) = try Self.splitHostPort(rest, text: text)
    try Self.refuseInvalidCharacters(in: parsedHost, host: true, text: text)
    host = parsedHost
    let portText = port ?? defaultPort
    guard let number = Int(portText), (1...65535).contains(number) else {
      throw .invalidEndpoint(text, "the port \(portText) is not a number from 1 to 65535")
    }
    let hostPart = parsedHost.contains(":") ? "[\(parsedHost)]" : parsedHost
    // A host named like one of the core's resolver schemes (`ipv6:4317`) would be read as that
    // scheme: name it through the DNS resolver instead.
    let resolverSchemes: Set<String> = ["dns", "ipv4", "ipv6", "unix", "unix-abstract", "vsock"]
    let prefix = resolverSchemes.contains(parsedHost.lowercased()) ? "dns:///" : ""
    target = "\(prefix)\(hostPart):\(number)"
  }

  /// The channel's policy: `configured` when set, else ``defaultLoadBalancing``.
  func loadBalancingPolicy(_ configured: OTLPLoadBalancing?) -> LoadBalancingPolicy {
    switch configured ?? defaultLoadBalancing {
    case .pickFirst: return .pickFirst
    case .roundRobin: return .roundRobin
    }
  }

  /// The two address families of the gRPC core's address-list targets.
  private enum AddressFamily {
    case ipv4
    case ipv6

    /// The family whose prefix (`ipv4:` or `ipv6:`, any case) starts `text`.
    init?(prefixOf text: Substring) {
      switch text.prefix(5).lowercased() {
      case "ipv4:": self = .ipv4
      case "ipv6:": self = .ipv6
      default: return nil
      }
    }

    var prefix: String { self == .ipv4 ? "ipv4:" : "ipv6:" }

    /// Whether `address` is one numeric address of this family, as the core's `inet_pton` reads it.
    func isAddress(_ address: String) -> Bool {
      switch self {
      case .ipv4:
        var parsed = in_addr()
        return inet_pton(AF_INET, address, &parsed) == 1
      case .ipv6:
        var parsed = in6_addr()
        return inet_pton(AF_INET6, address, &parsed) == 1
      }
    }
  }

  /// The target and first host of an address list (the text after `ipv4:`/`ipv6:`): numeric
  /// addresses of the family, IPv6 in brackets, each port written out (the core requires one).
  private static func addressList(_ list: Substring, _ family: AddressFamily, text: String)
    throws(OTLPConfigurationError) -> (target: String, host: String)
  {
    var list = list
    // The URI form with an empty authority (`ipv4:///…`) is the same list; an authority is not.
    if list.hasPrefix("///") {
      list = list.dropFirst(3)
    } else if list.hasPrefix("/") {
      throw .invalidEndpoint(text, "write an address list as \(family.prefix)address:port,address:port")
    }
    guard !list.isEmpty else { throw .invalidEndpoint(text, "the address list is empty") }
    if list.contains("@") { throw .invalidEndpoint(text, credentialsReason) }
    var entries: [String] = []
    var firstHost: String?
    for entry in list.split(separator: ",", omittingEmptySubsequences: false) {
      guard !entry.isEmpty else { throw .invalidEndpoint(text, "the address list has an empty entry") }
      let (address, port) = try splitHostPort(entry, text: text)
      // Before `inet_pton`, which would stop at a NUL and accept what precedes it.
      try refuseInvalidCharacters(in: address, host: true, text: text)
      guard family.isAddress(address) else {
        let kind = family == .ipv4 ? "an IPv4 address" : "an IPv6 address"
        throw .invalidEndpoint(
          text, "\(address) is not \(kind) (an address list holds no names; use dns:///)")
      }
      guard let number = Int(port ?? "4317"), (1...65535).contains(number) else {
        throw .invalidEndpoint(text, "the port \(port ?? "") is not a number from 1 to 65535")
      }
      entries.append(family == .ipv6 ? "[\(address)]:\(number)" : "\(address):\(number)")
      if firstHost == nil { firstHost = address }
    }
    return (family.prefix + entries.joined(separator: ","), firstHost ?? "")
  }

  /// Why an endpoint with user info is refused.
  static let credentialsReason =
    "it holds a user name or password before '@'; send credentials in a header (OTEL_EXPORTER_OTLP_HEADERS) instead"

  /// `text` with what comes before the last `@` of each authority masked: the one after the scheme
  /// (if any), and for `dns://resolver/host` the host's too. Every invalid-endpoint message goes
  /// through it, whatever else is wrong with the text (a bad scheme, no URL at all).
  static func hidingUserInfo(_ text: String) -> String {
    guard text.contains("@") else { return text }
    let schemeEnd = text.firstRange(of: "://")?.upperBound ?? text.startIndex
    var masked = String(text[..<schemeEnd])
    var rest = text[schemeEnd...]
    let authorities = text.trimmingWhitespace().lowercased().hasPrefix("dns:") ? 2 : 1
    for index in 0..<authorities {
      let end = rest.firstIndex(of: "/") ?? rest.endIndex
      let authority = rest[..<end]
      if let at = authority.lastIndex(of: "@") {
        masked += "<credentials>" + rest[at..<end]
      } else {
        masked += authority
      }
      rest = rest[end...]
      guard index + 1 < authorities, rest.first == "/" else { break }
      masked += "/"
      rest = rest.dropFirst()
    }
    return masked + rest
  }

  /// Whitespace or a control character (a NUL would cut the target short at the C core) is
  /// never part of a host name, an address or a socket path, nor is a bracket other than the
  /// pair around an IPv6 address. A host is ASCII: the core does no IDNA, and a non-ASCII
  /// character can even merge with the `:` after it into one `Character`.
  private static func refuseInvalidCharacters(in part: some StringProtocol, host: Bool, text: String)
    throws(OTLPConfigurationError)
  {
    guard
      !part.unicodeScalars.contains(where: {
        $0.value < 0x20 || $0.value == 0x7F || $0.properties.isWhitespace || $0 == "[" || $0 == "]"
          || (host && !$0.isASCII)
      })
    else {
      let rule = "a space, a control character, a stray bracket or a non-ASCII character (use xn--)"
      throw .invalidEndpoint(text, "the host has \(rule)")
    }
  }

  private static func splitHostPort(_ authority: Substring, text: String) throws(OTLPConfigurationError) -> (
    String, String?
  ) {
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else {
        throw .invalidEndpoint(text, "an IPv6 address misses its ]")
      }
      let host = String(authority[authority.index(after: authority.startIndex)..<close])
      guard !host.isEmpty else { throw .invalidEndpoint(text, "it has no host") }
      let after = authority[authority.index(after: close)...]
      if after.isEmpty { return (host, nil) }
      guard after.hasPrefix(":") else {
        throw .invalidEndpoint(text, "unexpected text after the IPv6 address")
      }
      return (host, String(after.dropFirst()))
    }
    let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
    switch parts.count {
    case 1: return (String(parts[0]), nil)
    case 2:
      guard !parts[0].isEmpty else { throw .invalidEndpoint(text, "it has no host") }
      return (String(parts[0]), String(parts[1]))
    default: throw .invalidEndpoint(text, "an IPv6 address must be written in brackets")
    }
  }
}

/// A configuration value the OTLP exporter cannot use.
package enum OTLPConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The endpoint text, and why it is not an endpoint.
  case invalidEndpoint(String, String)
  /// TLS material that could not be read.
  case unreadableCertificate(path: String, reason: String)

  /// A one-line message.
  package var description: String {
    switch self {
    case .invalidEndpoint(let text, let reason):
      // Masked here, so that no reason for refusing an endpoint ever shows its credentials.
      return "invalid OTLP endpoint '\(OTLPEndpoint.hidingUserInfo(text))': \(reason)"
    case .unreadableCertificate(let path, let reason):
      return "cannot read certificate file '\(path)': \(reason)"
    }
  }
}
