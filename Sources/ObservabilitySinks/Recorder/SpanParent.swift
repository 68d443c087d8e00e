import TelemetryModel

/// The span an `rlm.run` continues, and whether it lives in another process.
struct SpanParent: Hashable, Sendable {
  var traceID: SpanData.TraceID
  var spanID: SpanData.SpanID
  var isRemote: Bool
  var traceState: String

  init(_ parent: TraceParent, isRemote: Bool) {
    traceID = parent.traceID
    spanID = parent.spanID
    self.isRemote = isRemote
    traceState = parent.traceState
  }
}
