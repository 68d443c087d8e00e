import GRPCCoreClient
import SinkSupport

/// How one OTLP exporter (traces or metrics) connects and sends, over gRPC or HTTP.
///
/// Every property is optional: `nil` means "not set here", so that the value can come from the
/// environment (`OTEL_EXPORTER_OTLP_*`) or the specification's default.
///
/// Specification: OTLP exporter, *Configuration Options* (names, defaults, per-signal overrides).
public struct OTLPExporterOptions: Hashable, Sendable {
  /// The collector. gRPC: `http://host:port`, `https://host:port`, `host:port`,
  /// `dns:///host:port`, or a list of collector replicas, `ipv4:10.0.0.1:4317,10.0.0.2:4317` or
  /// `ipv6:[fd00::1]:4317,…`. HTTP: a URL, used as it is (`http://host:4318/v1/traces`); the shared
  /// endpoint (the variable, or the sink's `endpoint:` argument) is a base to which `v1/traces` or
  /// `v1/metrics` is appended.
  public var endpoint: String?
  /// Extra request metadata, e.g. an `authorization` header. Values never appear in logs.
  ///
  /// Specification: OTLP exporter, *Specifying headers via environment variables*.
  public var headers: [OTLPHeader]?
  /// How long one export may take, retries included; `.zero` means no limit. Default 10 s.
  public var timeout: Duration?
  /// Request compression. Default none.
  public var compression: OTLPCompression?
  /// Plaintext for an endpoint without a scheme (`host:port`, `dns:///…`); an `http`/`https`
  /// scheme always decides. Default false: as the specification says, a scheme-less endpoint
  /// uses TLS unless this is true.
  public var insecure: Bool?
  /// A PEM file of CA certificates that verify the collector (else the system roots).
  public var certificateFile: String?
  /// A PEM file with the client's private key, for mTLS.
  public var clientKeyFile: String?
  /// A PEM file with the client's certificate chain, for mTLS.
  public var clientCertificateFile: String?
  /// The transport: OTLP/gRPC (the default, as the Python sink's) or OTLP/HTTP with binary protobuf.
  ///
  /// Specification: OTLP exporter, *Specify Protocol* (`OTEL_EXPORTER_OTLP_PROTOCOL`).
  public var `protocol`: OTLPProtocol?
  /// Set while the settings are resolved: the endpoint is a base URL (the shared variable, the
  /// sink's `endpoint:` argument), to which OTLP/HTTP appends the signal's path.
  var endpointIsBase = false
  /// How exports spread over the collectors the endpoint resolves to (the gRPC load-balancing
  /// policy). Default: ``OTLPLoadBalancing/roundRobin`` for a `dns:///host:port` endpoint (such
  /// as a headless service naming several collector replicas) and for an `ipv4:`/`ipv6:` address
  /// list; ``OTLPLoadBalancing/pickFirst`` (the gRPC core's default) for every other endpoint.
  /// Environment: `DSPY_RLM_OTEL_GRPC_LOAD_BALANCING` (`round_robin` or `pick_first`).
  public var loadBalancing: OTLPLoadBalancing?

  /// Nothing set.
  public init(
    endpoint: String? = nil, headers: [OTLPHeader]? = nil, timeout: Duration? = nil,
    compression: OTLPCompression? = nil, insecure: Bool? = nil, certificateFile: String? = nil,
    clientKeyFile: String? = nil, clientCertificateFile: String? = nil, protocol: OTLPProtocol? = nil,
    loadBalancing: OTLPLoadBalancing? = nil
  ) {
    self.endpoint = endpoint
    self.headers = headers
    self.timeout = timeout
    self.compression = compression
    self.insecure = insecure
    self.certificateFile = certificateFile
    self.clientKeyFile = clientKeyFile
    self.clientCertificateFile = clientCertificateFile
    self.protocol = `protocol`
    self.loadBalancing = loadBalancing
  }

  /// These options, with every unset value taken from `fallback`.
  package func merged(over fallback: OTLPExporterOptions) -> OTLPExporterOptions {
    OTLPExporterOptions(
      endpoint: endpoint ?? fallback.endpoint, headers: headers ?? fallback.headers,
      timeout: timeout ?? fallback.timeout,
      compression: compression ?? fallback.compression, insecure: insecure ?? fallback.insecure,
      certificateFile: certificateFile ?? fallback.certificateFile,
      clientKeyFile: clientKeyFile ?? fallback.clientKeyFile,
      clientCertificateFile: clientCertificateFile ?? fallback.clientCertificateFile,
      protocol: `protocol` ?? fallback.protocol, loadBalancing: loadBalancing ?? fallback.loadBalancing)
  }

  /// Where requests of `route` go, as logs and `status().detail` name it: the endpoint for gRPC,
  /// the full URL for HTTP (the text as given when it does not parse; setup then says why).
  func destination(for route: OTLPRoute) -> String {
    guard let endpoint else { return "" }
    guard self.protocol == .httpProtobuf else { return endpoint }
    let path = endpointIsBase ? (route == .traces ? "v1/traces" : "v1/metrics") : nil
    return (try? OTLPHTTPEndpoint(endpoint, appending: path).url) ?? endpoint
  }

  /// The specification's default timeout.
  public static let defaultTimeout: Duration = .seconds(10)

  /// What "no limit" means here: every wait reads it as never ending.
  public static let noLimit: Duration = .unlimited

  /// The timeout to apply: ``timeout``, with zero (or less) meaning no limit, else the default.
  package var effectiveTimeout: Duration {
    guard let timeout else { return Self.defaultTimeout }
    return timeout <= .zero ? Self.noLimit : timeout
  }
}

/// One request header (gRPC metadata entry).
public struct OTLPHeader: Hashable, Sendable, CustomStringConvertible {
  /// The key, lower-cased as gRPC requires.
  public var key: String
  /// The value; kept out of ``description`` because headers carry secrets.
  public var value: String

  /// Creates a header; the key is lower-cased.
  public init(_ key: String, _ value: String) {
    self.key = key.lowercased()
    self.value = value
  }

  /// The key with the value masked.
  public var description: String { "\(key)=<redacted>" }

  /// Why the header would not be sent as given (naming the key, never the value): gRPC refuses it,
  /// or the exporter sets it itself; `nil` when it is fine.
  package var problem: String? {
    if Self.setByTheExporter.contains(key) {
      return
        "header \(String(reflecting: key)) is set by the exporter itself (gRPC drops it, OTLP/HTTP would send it twice)"
    }
    return MetadataValidation.problem(key: key, value: value)
  }

  /// Keys the transports own: the gRPC core drops them silently, and the OTLP/HTTP exporter sends
  /// its own (framing, the protobuf content type, its user agent).
  private static let setByTheExporter: Set<String> = [
    "te", "content-type", "user-agent", "content-encoding", "content-length",
  ]
}

/// The wire protocol of an OTLP exporter.
public enum OTLPProtocol: String, Hashable, Sendable {
  /// OTLP/gRPC (`grpc`), through the gRPC C core. The default.
  case grpc
  /// OTLP/HTTP with binary protobuf bodies (`http/protobuf`), through libcurl.
  case httpProtobuf = "http/protobuf"
}

/// Compression of OTLP requests.
public enum OTLPCompression: String, Hashable, Sendable {
  /// No compression.
  case none
  /// gzip.
  case gzip
}

/// How an OTLP/gRPC exporter spreads its exports over the addresses its endpoint resolves to:
/// the gRPC load-balancing policy of its channel.
public enum OTLPLoadBalancing: String, Hashable, Sendable, CaseIterable {
  /// `pick_first`: one connection, to the first address that answers; every export goes there,
  /// and another address is tried only when that one fails.
  case pickFirst = "pick_first"
  /// `round_robin`: a connection to every address, each export to the next ready one; a replica
  /// that goes away is skipped until it is back, so the others take its share.
  case roundRobin = "round_robin"
}
