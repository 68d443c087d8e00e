/// The spans of the last `capacity` ended runs, so that "print the trace link after the run"
/// works and a child that outlives its parent can link to it; older ones are forgotten, keeping
/// memory bounded in a long-lived process.
struct RecentRuns {
  private let capacity: Int
  private var ring: [(runID: String, run: RecentRun)] = []
  private var next = 0
  private var byRunID: [String: RecentRun] = [:]

  init(capacity: Int) {
    // A bound, not an allocation: the ring grows to it as runs end.
    self.capacity = max(0, capacity)
  }

  mutating func remember(runID: String, run ended: ActiveRun) {
    guard capacity > 0 else { return }
    let run = RecentRun(
      traceID: ended.identity.traceID, spanID: ended.identity.spanID, traceState: ended.identity.traceState,
      isSampled: ended.isSampled)
    if ring.count < capacity {
      ring.append((runID, run))
    } else {
      let evicted = ring[next]
      // A later run with the same id may own the entry now; only forget our own.
      if byRunID[evicted.runID] == evicted.run { byRunID[evicted.runID] = nil }
      ring[next] = (runID, run)
      next = (next + 1) % capacity
    }
    byRunID[runID] = run
  }

  func traceID(of runID: String) -> SpanData.TraceID? { byRunID[runID]?.traceID }

  func run(_ runID: String) -> RecentRun? { byRunID[runID] }
}

/// The ids of an ended run's span.
struct RecentRun: Hashable, Sendable {
  var traceID: SpanData.TraceID
  var spanID: SpanData.SpanID
  var traceState: String
  var isSampled: Bool
}
