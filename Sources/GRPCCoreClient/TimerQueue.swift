/// Work waiting for its time, earliest first; run by the queue thread.
struct TimerQueue {
  private struct Entry {
    var due: ContinuousClock.Instant
    var work: @Sendable () -> Void
  }

  /// Sorted by `due`; entries with equal times keep their scheduling order.
  private var entries: [Entry] = []

  /// When the earliest entry is due.
  var earliestDue: ContinuousClock.Instant? { entries.first?.due }

  mutating func insert(due: ContinuousClock.Instant, work: @escaping @Sendable () -> Void) {
    let index = entries.firstIndex { $0.due > due } ?? entries.endIndex
    entries.insert(Entry(due: due, work: work), at: index)
  }

  /// Removes and returns the work due at `now`, in order.
  mutating func takeDue(at now: ContinuousClock.Instant) -> [@Sendable () -> Void] {
    let count = entries.firstIndex { $0.due > now } ?? entries.endIndex
    defer { entries.removeFirst(count) }
    return entries.prefix(count).map(\.work)
  }

  /// Removes and returns all waiting work, in order.
  mutating func takeAll() -> [@Sendable () -> Void] {
    defer { entries.removeAll() }
    return entries.map(\.work)
  }
}
