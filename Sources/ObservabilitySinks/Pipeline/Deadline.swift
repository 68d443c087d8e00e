import Dispatch

/// A point on the monotonic clock by which something must be done.
struct Deadline: Comparable, Sendable {
  let uptimeNanoseconds: UInt64

  init(after duration: Duration) {
    let now = DispatchTime.now().uptimeNanoseconds
    let (seconds, attoseconds) = duration.components
    let nanos =
      seconds <= 0 && attoseconds <= 0
      ? 0 : UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    // Saturate rather than overflow for "no limit" durations.
    uptimeNanoseconds = seconds > 9_000_000_000 ? UInt64.max / 2 : now &+ nanos
  }

  var dispatchTime: DispatchTime { DispatchTime(uptimeNanoseconds: uptimeNanoseconds) }

  var hasPassed: Bool { DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds }

  /// Time left, zero once passed.
  var remaining: Duration {
    let now = DispatchTime.now().uptimeNanoseconds
    return now >= uptimeNanoseconds ? .zero : .nanoseconds(Int64(clamping: uptimeNanoseconds - now))
  }

  static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.uptimeNanoseconds < rhs.uptimeNanoseconds }
}
