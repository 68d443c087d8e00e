/// gRPC status codes by their canonical names (the names `otlp_receiver.py` accepts and records).
public enum GRPCStatusName: String, Sendable, CaseIterable {
  case ok = "OK"
  case cancelled = "CANCELLED"
  case unknown = "UNKNOWN"
  case invalidArgument = "INVALID_ARGUMENT"
  case deadlineExceeded = "DEADLINE_EXCEEDED"
  case notFound = "NOT_FOUND"
  case alreadyExists = "ALREADY_EXISTS"
  case permissionDenied = "PERMISSION_DENIED"
  case resourceExhausted = "RESOURCE_EXHAUSTED"
  case failedPrecondition = "FAILED_PRECONDITION"
  case aborted = "ABORTED"
  case outOfRange = "OUT_OF_RANGE"
  case unimplemented = "UNIMPLEMENTED"
  case `internal` = "INTERNAL"
  case unavailable = "UNAVAILABLE"
  case dataLoss = "DATA_LOSS"
  case unauthenticated = "UNAUTHENTICATED"
}

/// Which OTLP service a receiver option or a recorded call concerns.
public enum OTLPSignal: String, Sendable {
  /// `opentelemetry.proto.collector.trace.v1.TraceService`.
  case traces
  /// `opentelemetry.proto.collector.metrics.v1.MetricsService`.
  case metrics
}

/// How a recorded call reached the receiver.
public enum OTLPTransport: String, Sendable {
  /// OTLP/gRPC, on ``OTLPTestReceiver/port``.
  case grpc
  /// OTLP/HTTP with binary protobuf, on ``OTLPTestReceiver/httpPort``.
  case http
}

/// The behaviour of an ``OTLPTestReceiver``; each property mirrors one `otlp_receiver.py` option.
///
/// The receiver serves OTLP/gRPC and OTLP/HTTP at once; the options apply to both transports, each
/// answering in its own terms: the gRPC status name, or over HTTP the status of
/// ``failHTTPStatus`` (injected failures), 401 (``requiredHeader``), 404 (``metricsUnimplemented``),
/// 413 (``maxMessageBytes``) or 415 (``rejectCompression``), always with a `google.rpc.Status` body.
/// ``ReceivedCall/answered`` records the gRPC status name whichever the transport.
public struct OTLPReceiverOptions: Sendable {
  /// TLS files for the receiver (`--tls-cert`, `--tls-key`, `--tls-client-ca`), used by the gRPC and
  /// the HTTP listener alike.
  public struct TLS: Sendable {
    /// PEM certificate the receiver presents.
    public var certificatePath: String
    /// PEM private key of that certificate.
    public var keyPath: String
    /// When set, clients must present a certificate signed by this CA (mutual TLS).
    public var clientCAPath: String?

    /// Creates TLS settings from PEM file paths.
    public init(certificatePath: String, keyPath: String, clientCAPath: String? = nil) {
      self.certificatePath = certificatePath
      self.keyPath = keyPath
      self.clientCAPath = clientCAPath
    }
  }

  /// Answer the first N calls with ``failCode`` (`--fail-first`); over OTLP/HTTP with
  /// ``failHTTPStatus``. One budget for both services and both transports.
  public var failFirst = 0
  /// The code of the ``failFirst`` failures (`--fail-code`).
  public var failCode = GRPCStatusName.unavailable
  /// Answer every call with this code (`--fail-always`).
  public var failAlways: GRPCStatusName?
  /// Restrict ``failFirst``/``failAlways`` to one service (`--fail-only`).
  public var failOnly: OTLPSignal?
  /// With an injected failure, send a `google.rpc.RetryInfo` with this delay in
  /// `grpc-status-details-bin` (`--retry-info-ms`, millisecond precision); over OTLP/HTTP in the
  /// details of the `google.rpc.Status` body.
  public var retryInfoDelay: Duration?
  /// OTLP/HTTP: the status of injected failures (``failFirst``, ``failAlways``), e.g. 503 or 429
  /// (`--fail-http-status`, 400…599). `nil`: the HTTP equivalent of the gRPC code of
  /// `google/rpc/code.proto` (UNAVAILABLE 503, RESOURCE_EXHAUSTED 429, INTERNAL 500…).
  public var failHTTPStatus: Int?
  /// OTLP/HTTP: send `Retry-After` with this value, verbatim, with injected failures: seconds
  /// (`"3"`) or an HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`) (`--retry-after`).
  public var retryAfter: String?
  /// Sleep this long before answering each call (`--delay-ms`).
  public var delay: Duration?
  /// Answer OK but report this many spans / data points rejected (`--partial-reject`).
  public var partialReject = 0
  /// Answer UNAUTHENTICATED (HTTP 401) unless the call carries this header with this value
  /// (`--require-header`; the name is matched case-insensitively).
  public var requiredHeader: (name: String, value: String)?
  /// The metrics service answers UNIMPLEMENTED, like Arize Phoenix (`--metrics-unimplemented`);
  /// over OTLP/HTTP `/v1/metrics` answers 404.
  public var metricsUnimplemented = false
  /// gRPC receive limit in bytes; larger calls get RESOURCE_EXHAUSTED from grpc itself and are
  /// not recorded in ``OTLPTestReceiver/calls()`` (`--max-message-bytes`). Over OTLP/HTTP the limit
  /// of the body after decompression (default 64 MiB): larger ones get 413 and are recorded.
  public var maxMessageBytes: Int?
  /// Accept uncompressed calls only; compressed ones get UNIMPLEMENTED from grpc itself, unrecorded
  /// (`--reject-compression`); over OTLP/HTTP 415, recorded. The way to prove an exporter really
  /// compresses.
  public var rejectCompression = false
  /// Serve TLS (and mTLS when ``TLS/clientCAPath`` is set) instead of plaintext, on both ports
  /// (OTLP/HTTP becomes https).
  public var tls: TLS?
  /// OTLP/HTTP: close a keep-alive connection on which nothing arrives for this long
  /// (`--http-idle-timeout-ms`), as collectors and proxies do; `nil` keeps it open.
  public var httpIdleTimeout: Duration?

  /// A fixed gRPC port to listen on (to restart a receiver where an exporter already points); `nil`
  /// picks a free one.
  public var port: Int?
  /// A fixed OTLP/HTTP port (`--http-port`), like ``port``; `nil` picks a free one.
  public var httpPort: Int?

  /// The default: plaintext, every call answered OK.
  public init() {}

  /// The command-line arguments for `otlp_receiver.py`.
  public var arguments: [String] {
    var arguments: [String] = []
    if let port { arguments += ["--port", String(port)] }
    if let httpPort { arguments += ["--http-port", String(httpPort)] }
    if failFirst > 0 { arguments += ["--fail-first", String(failFirst), "--fail-code", failCode.rawValue] }
    if let failAlways { arguments += ["--fail-always", failAlways.rawValue] }
    if let failOnly { arguments += ["--fail-only", failOnly.rawValue] }
    if let retryInfoDelay { arguments += ["--retry-info-ms", String(Self.milliseconds(retryInfoDelay))] }
    if let failHTTPStatus { arguments += ["--fail-http-status", String(failHTTPStatus)] }
    if let retryAfter { arguments += ["--retry-after", retryAfter] }
    if let delay { arguments += ["--delay-ms", String(Self.milliseconds(delay))] }
    if partialReject > 0 { arguments += ["--partial-reject", String(partialReject)] }
    if let requiredHeader {
      arguments += ["--require-header", "\(requiredHeader.name)=\(requiredHeader.value)"]
    }
    if metricsUnimplemented { arguments.append("--metrics-unimplemented") }
    if let maxMessageBytes { arguments += ["--max-message-bytes", String(maxMessageBytes)] }
    if rejectCompression { arguments.append("--reject-compression") }
    if let httpIdleTimeout {
      arguments += ["--http-idle-timeout-ms", String(max(1, Self.milliseconds(httpIdleTimeout)))]
    }
    if let tls {
      arguments += ["--tls-cert", tls.certificatePath, "--tls-key", tls.keyPath]
      if let clientCAPath = tls.clientCAPath { arguments += ["--tls-client-ca", clientCAPath] }
    }
    return arguments
  }

  private static func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
  }
}

extension OTLPReceiverOptions.TLS {
  /// The receiver presents the test server certificate and requires a client certificate signed
  /// by the test CA (mutual TLS).
  public static func mutual(_ certificates: TestCertificates) -> Self {
    Self(
      certificatePath: certificates.server.certificatePath, keyPath: certificates.server.keyPath,
      clientCAPath: certificates.ca.certificatePath)
  }
}
