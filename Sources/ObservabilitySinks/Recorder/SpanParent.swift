import TelemetryModel

/// The span an `rlm.run` continues, and whether it lives in another process.
struct SpanParent: Hashable, Sendable {
  var traceId: TraceID
  var spanId: SpanID
  var isRemote: Bool
  var traceState: String

  init(_ parent: TraceParent, isRemote: Bool) {
    traceId = parent.traceId
    spanId = parent.spanId
    self.isRemote = isRemote
    traceState = parent.traceState
  }
}
