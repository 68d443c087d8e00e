/// The span an `rlm.run` continues, and whether it lives in another process.
struct SpanParent: Hashable, Sendable {
  var traceID: SpanData.TraceID
  var spanID: SpanData.SpanID
  var isRemote: Bool
  var traceState: String
  /// The parent's `sampled` flag, which the parent-based samplers follow.
  var isSampled: Bool

  init(_ parent: TraceParent, isRemote: Bool) {
    traceID = parent.traceID
    spanID = parent.spanID
    self.isRemote = isRemote
    traceState = parent.traceState
    isSampled = parent.isSampled
  }
}
