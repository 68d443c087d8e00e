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

/// One Export call as recorded in `calls.jsonl`, whatever it was answered.
public struct ReceivedCall: Sendable {
  public let service: OTLPSignal
  /// 1-based arrival order across both services.
  public let sequence: Int
  /// Spans (traces) or data points (metrics) in the request.
  public let itemCount: Int
  /// Serialized, uncompressed request size.
  public let bytes: Int
  /// Invocation metadata (headers); `-bin` values are base64.
  public let metadata: [String: String]
  /// The answer: `OK` or a gRPC status name such as `UNAVAILABLE`.
  public let answered: String
  /// Items reported as rejected in a partial success.
  public let rejected: Int
  /// Whether the call arrived compressed; nil because grpcio does not expose `grpc-encoding`.
  public let compressed: Bool?
  /// Unix time in seconds when the call reached the handler.
  public let time: Double
}
