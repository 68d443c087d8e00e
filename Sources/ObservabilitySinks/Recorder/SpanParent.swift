import TelemetryModel

/// The span an `rlm.run` continues: a caller's span in this process or a remote one.
struct SpanParent: Hashable, Sendable {
  var traceId: TraceID
  var spanId: SpanID
  var isRemote: Bool
  var traceState: String
}
