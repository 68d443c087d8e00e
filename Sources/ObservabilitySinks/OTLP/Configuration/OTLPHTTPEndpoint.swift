import SinkSupport

/// Where an OTLP/HTTP exporter posts one signal: a full `http://` or `https://` URL.
///
/// A base endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`, the sink's `endpoint:` argument) gets the
/// signal's path appended (`v1/traces`, `v1/metrics`, after a `/`); a per-signal endpoint
/// (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, ``OTLPExporterOptions/endpoint`` of `traces`/`metrics`) is
/// used as it is. Without a port, `http` means 80 and `https` 443, as for any URL.
///
/// Specification: OTLP exporter, *Endpoint URLs for OTLP/HTTP*.
struct OTLPHTTPEndpoint: Hashable, Sendable, CustomStringConvertible {
  /// The URL requests go to.
  let url: String
  let usesTLS: Bool
  var description: String { url }

  /// Parses `text`, appending `signalPath` (`v1/traces`) when it is a base endpoint.
  init(_ text: String, appending signalPath: String?) throws(OTLPConfigurationError) {
    let trimmed = text.trimmingWhitespace()
    guard !trimmed.isEmpty else { throw .invalidEndpoint(text, "it is empty") }
    guard let schemeEnd = trimmed.firstRange(of: "://") else {
      throw .invalidEndpoint(text, "an OTLP/HTTP endpoint is a URL: http://host:port or https://host:port")
    }
    switch trimmed[..<schemeEnd.lowerBound].lowercased() {
    case "http": usesTLS = false
    case "https": usesTLS = true
    case let scheme:
      throw .invalidEndpoint(text, "the scheme \(scheme)://; OTLP/HTTP takes http:// or https://")
    }
    let rest = trimmed[schemeEnd.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    if authority.contains("@") { throw .invalidEndpoint(text, OTLPEndpoint.credentialsReason) }
    guard !authority.isEmpty, !authority.hasPrefix(":") else {
      throw .invalidEndpoint(text, "it has no host")
    }
    guard authority.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
      throw .invalidEndpoint(text, "the host holds a space, a control character or a non-ASCII character")
    }
    if let port = Self.port(of: authority) {
      guard let number = Int(port), (1...65535).contains(number) else {
        throw .invalidEndpoint(text, "the port \(port) is not a number from 1 to 65535")
      }
    }
    var path = String(rest[authority.endIndex...])
    guard !path.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
      throw .invalidEndpoint(text, "the path holds a space or a control character")
    }
    // A query or fragment stays after the path (the signal path is appended to the path).
    let suffixStart = path.firstIndex { $0 == "?" || $0 == "#" } ?? path.endIndex
    let suffix = String(path[suffixStart...])
    path = String(path[..<suffixStart])
    if let signalPath {
      path = (path.hasSuffix("/") ? path : path + "/") + signalPath
    }
    url = "\(trimmed[..<schemeEnd.upperBound])\(authority)\(path.isEmpty ? "/" : path)\(suffix)"
  }

  /// The port of `host:port` or `[v6]:port`, if one is written.
  private static func port(of authority: Substring) -> Substring? {
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      let after = authority[authority.index(after: close)...]
      return after.hasPrefix(":") ? after.dropFirst() : nil
    }
    guard let colon = authority.lastIndex(of: ":") else { return nil }
    return authority[authority.index(after: colon)...]
  }
}
