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

/// The behaviour of an ``OTLPTestReceiver``; each property mirrors one `otlp_receiver.py` option.
public struct OTLPReceiverOptions: Sendable {
  /// TLS files for the receiver (`--tls-cert`, `--tls-key`, `--tls-client-ca`).
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

  /// Answer the first N calls with ``failCode`` (`--fail-first`).
  public var failFirst = 0
  /// The code of the ``failFirst`` failures (`--fail-code`).
  public var failCode = GRPCStatusName.unavailable
  /// Answer every call with this code (`--fail-always`).
  public var failAlways: GRPCStatusName?
  /// Restrict ``failFirst``/``failAlways`` to one service (`--fail-only`).
  public var failOnly: OTLPSignal?
  /// With an injected failure, send a `google.rpc.RetryInfo` with this delay in
  /// `grpc-status-details-bin` (`--retry-info-ms`, millisecond precision).
  public var retryInfoDelay: Duration?
  /// Sleep this long before answering each call (`--delay-ms`).
  public var delay: Duration?
  /// Answer OK but report this many spans / data points rejected (`--partial-reject`).
  public var partialReject = 0
  /// Answer UNAUTHENTICATED unless the call carries this header with this value (`--require-header`).
  public var requiredHeader: (name: String, value: String)?
  /// The metrics service answers UNIMPLEMENTED, like Arize Phoenix (`--metrics-unimplemented`).
  public var metricsUnimplemented = false
  /// gRPC receive limit in bytes; larger calls get RESOURCE_EXHAUSTED from grpc itself and are
  /// not recorded in ``OTLPTestReceiver/calls()`` (`--max-message-bytes`).
  public var maxMessageBytes: Int?
  /// Accept uncompressed calls only; compressed ones get UNIMPLEMENTED from grpc itself, unrecorded
  /// (`--reject-compression`). The way to prove an exporter really compresses.
  public var rejectCompression = false
  /// Serve TLS (and mTLS when ``TLS/clientCAPath`` is set) instead of plaintext.
  public var tls: TLS?

  /// A fixed port to listen on (to restart a receiver where an exporter already points); `nil`
  /// picks a free one.
  public var port: Int?

  /// The default: plaintext, every call answered OK.
  public init() {}

  /// The command-line arguments for `otlp_receiver.py`.
  public var arguments: [String] {
    var arguments: [String] = []
    if let port { arguments += ["--port", String(port)] }
    if failFirst > 0 { arguments += ["--fail-first", String(failFirst), "--fail-code", failCode.rawValue] }
    if let failAlways { arguments += ["--fail-always", failAlways.rawValue] }
    if let failOnly { arguments += ["--fail-only", failOnly.rawValue] }
    if let retryInfoDelay { arguments += ["--retry-info-ms", String(Self.milliseconds(retryInfoDelay))] }
    if let delay { arguments += ["--delay-ms", String(Self.milliseconds(delay))] }
    if partialReject > 0 { arguments += ["--partial-reject", String(partialReject)] }
    if let requiredHeader {
      arguments += ["--require-header", "\(requiredHeader.name)=\(requiredHeader.value)"]
    }
    if metricsUnimplemented { arguments.append("--metrics-unimplemented") }
    if let maxMessageBytes { arguments += ["--max-message-bytes", String(maxMessageBytes)] }
    if rejectCompression { arguments.append("--reject-compression") }
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
