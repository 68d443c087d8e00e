import TelemetryModel

/// The trace ids of the last `capacity` ended runs, so that "print the trace link after the run"
/// works; older ones are forgotten, keeping memory bounded in a long-lived process.
struct RecentTraceIDs {
  private let capacity: Int
  private var ring: [(runID: String, traceID: SpanData.TraceID)] = []
  private var next = 0
  private var byRunID: [String: SpanData.TraceID] = [:]

  init(capacity: Int) {
    self.capacity = max(0, capacity)
    ring.reserveCapacity(self.capacity)
  }

  mutating func remember(runID: String, traceID: SpanData.TraceID) {
    guard capacity > 0 else { return }
    if ring.count < capacity {
      ring.append((runID, traceID))
    } else {
      let evicted = ring[next]
      // A later run with the same id may own the entry now; only forget our own.
      if byRunID[evicted.runID] == evicted.traceID { byRunID[evicted.runID] = nil }
      ring[next] = (runID, traceID)
      next = (next + 1) % capacity
    }
    byRunID[runID] = traceID
  }

  func traceID(of runID: String) -> SpanData.TraceID? { byRunID[runID] }
}
