import TelemetryModel

/// The trace ids of the last `capacity` ended runs, so that "print the trace link after the run"
/// works; older ones are forgotten, keeping memory bounded in a long-lived process.
struct RecentTraceIds {
  private let capacity: Int
  private var ring: [(runId: String, traceId: TraceID)] = []
  private var next = 0
  private var byRunId: [String: TraceID] = [:]

  init(capacity: Int) {
    // A bound, not an allocation: the ring grows to it as runs end.
    self.capacity = max(0, capacity)
  }

  mutating func remember(runId: String, traceId: TraceID) {
    guard capacity > 0 else { return }
    if ring.count < capacity {
      ring.append((runId, traceId))
    } else {
      let evicted = ring[next]
      // A later run with the same id may own the entry now; only forget our own.
      if byRunId[evicted.runId] == evicted.traceId { byRunId[evicted.runId] = nil }
      ring[next] = (runId, traceId)
      next = (next + 1) % capacity
    }
    byRunId[runId] = traceId
  }

  func traceId(of runId: String) -> TraceID? { byRunId[runId] }
}
