/// An OTLP `AnyValue` as the receiver decoded it.
public enum OTLPValue: Sendable, Equatable {
  case string(String)
  case bool(Bool)
  case int(Int64)
  case double(Double)
  /// Base64 of the bytes, as protobuf's JSON mapping writes them.
  case bytes(String)
  case array([OTLPValue])
  case keyValueList([String: OTLPValue])
  /// An `AnyValue` with no field set.
  case empty
}

/// One span the receiver accepted, flattened with its resource and instrumentation scope.
public struct ReceivedSpan: Sendable {
  /// Lowercase hex, 32 characters.
  public let traceID: String
  /// Lowercase hex, 16 characters.
  public let spanID: String
  /// Lowercase hex, or nil for a root span.
  public let parentSpanID: String?
  public let name: String
  /// The enum name, e.g. `SPAN_KIND_INTERNAL` (`SPAN_KIND_UNSPECIFIED` when unset).
  public let kind: String
  public let startTimeUnixNano: UInt64
  public let endTimeUnixNano: UInt64
  public let attributes: [String: OTLPValue]
  /// The status code name, e.g. `STATUS_CODE_ERROR` (`STATUS_CODE_UNSET` when unset).
  public let statusCode: String
  public let statusMessage: String
  public let events: [ReceivedSpanEvent]
  public let linkCount: Int
  public let resourceAttributes: [String: OTLPValue]
  public let scopeName: String
  public let scopeVersion: String
}

/// An event of a ``ReceivedSpan``.
public struct ReceivedSpanEvent: Sendable {
  public let name: String
  public let timeUnixNano: UInt64
  public let attributes: [String: OTLPValue]
}

/// One data point of a metric the receiver accepted, flattened with its metric, resource and scope.
public struct ReceivedMetricPoint: Sendable {
  public let metricName: String
  public let unit: String
  public let description: String
  /// `gauge`, `sum`, `histogram`, `exponential_histogram` or `summary`.
  public let kind: String
  /// For sums: whether the sum is monotonic.
  public let isMonotonic: Bool
  /// E.g. `AGGREGATION_TEMPORALITY_CUMULATIVE`; empty for gauges and summaries.
  public let aggregationTemporality: String
  public let attributes: [String: OTLPValue]
  public let startTimeUnixNano: UInt64
  public let timeUnixNano: UInt64
  /// `as_int` of a gauge/sum point.
  public let intValue: Int64?
  /// `as_double` of a gauge/sum point.
  public let doubleValue: Double?
  /// Histogram/summary count.
  public let count: UInt64?
  /// Histogram/summary sum.
  public let sum: Double?
  /// Histogram bucket counts.
  public let bucketCounts: [UInt64]
  /// Histogram explicit bounds.
  public let explicitBounds: [Double]
  public let resourceAttributes: [String: OTLPValue]
  public let scopeName: String
}

/// One Export call as recorded in `calls.jsonl`, whatever it was answered, by either transport.
public struct ReceivedCall: Sendable {
  public let service: OTLPSignal
  /// OTLP/gRPC or OTLP/HTTP.
  public let transport: OTLPTransport
  /// 1-based arrival order across both services and both transports.
  public let sequence: Int
  /// Spans (traces) or data points (metrics) in the request (0 for an HTTP request refused before
  /// its body was decoded: 401, 404, 413, 415, 400).
  public let itemCount: Int
  /// Serialized, uncompressed request size.
  public let bytes: Int
  /// gRPC: the invocation metadata, `-bin` values base64. HTTP: the request headers, names
  /// lowercased (`user-agent`, `content-type`, `content-encoding`, custom ones…), repeated ones
  /// joined with `,`.
  public let metadata: [String: String]
  /// The answer: `OK` or a gRPC status name such as `UNAVAILABLE` (over HTTP, the code of the
  /// `google.rpc.Status` body: UNAUTHENTICATED for 401, UNIMPLEMENTED for the 404 of
  /// ``OTLPReceiverOptions/metricsUnimplemented``, INVALID_ARGUMENT for 400 and 415,
  /// RESOURCE_EXHAUSTED for 413, the injected code for injected failures).
  public let answered: String
  /// The HTTP status answered (200, 503…); nil over gRPC.
  public let httpStatus: Int?
  /// Items reported as rejected in a partial success.
  public let rejected: Int
  /// Whether the call arrived compressed: over HTTP, a Content-Encoding other than identity; over
  /// gRPC nil, because grpcio does not expose `grpc-encoding`.
  public let compressed: Bool?
  /// The HTTP body size as sent (compressed or not); nil over gRPC.
  public let bodyBytes: Int?
  /// The ``ReceivedHTTPConnection/sequence`` of the TCP connection an HTTP request came on; nil
  /// over gRPC. Equal numbers mean a reused (keep-alive) connection.
  public let connection: Int?
  /// Why the call was refused (the gRPC details or the HTTP Status message); nil when answered OK.
  public let message: String?
  /// Unix time in seconds when the receiver decided the answer (after any delay).
  public let time: Double
}

/// One TCP connection the OTLP/HTTP listener accepted, as recorded in `connections.jsonl`.
public struct ReceivedHTTPConnection: Sendable {
  /// 1-based acceptance order; the ``ReceivedCall/connection`` of the requests it carried.
  public let sequence: Int
  /// The client's address, `ipv4:127.0.0.1:PORT`.
  public let peer: String
  /// Whether the listener served TLS.
  public let tls: Bool
  /// Why the TLS handshake failed (untrusted or missing client certificate, plaintext client…);
  /// nil when it succeeded or there was no TLS. Such connections carried no request.
  public let tlsError: String?
  /// Unix time in seconds of the acceptance (after the handshake, with TLS).
  public let time: Double
}
