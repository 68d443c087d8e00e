package import Dispatch

/// A point on the monotonic clock by which something must be done, or ``never``.
///
/// This is the package's one conversion from `Duration` to a deadline; every wait (semaphores,
/// one-shot hand-offs, `gpr_timespec`, thread sleeps) goes through it. Durations at or past
/// ``horizon`` mean "no limit" and become ``never``: libdispatch on Linux reads a deadline with
/// bit 62 set as already passed, so a saturated nanosecond count would turn "wait forever" into
/// "do not wait at all".
package struct Deadline: Comparable, Sendable {
  /// Nanoseconds on the uptime clock that `DispatchTime` reads; `nil` for never.
  package let uptimeNanoseconds: UInt64?

  /// How far ahead a deadline can be before it means "no limit" (100 years; 2⁶² ns is 146).
  package static let horizon: Duration = .seconds(100 * 365 * 86_400)

  /// The deadline that never passes.
  package static let never = Deadline(uptimeNanoseconds: nil)

  private init(uptimeNanoseconds: UInt64?) {
    self.uptimeNanoseconds = uptimeNanoseconds
  }

  /// `duration` from now; zero or negative means now, ``horizon`` or more means ``never``.
  package init(after duration: Duration) {
    let now = DispatchTime.now().uptimeNanoseconds
    if duration >= Self.horizon {
      uptimeNanoseconds = nil
    } else {
      uptimeNanoseconds = now + UInt64(duration.saturatingNanoseconds)
    }
  }

  /// Whether this deadline never passes.
  package var isNever: Bool { uptimeNanoseconds == nil }

  /// The deadline for libdispatch waits (`DispatchSemaphore.wait(timeout:)`).
  package var dispatchTime: DispatchTime {
    uptimeNanoseconds.map { DispatchTime(uptimeNanoseconds: $0) } ?? .distantFuture
  }

  /// Whether the deadline is behind us.
  package var hasPassed: Bool {
    guard let uptimeNanoseconds else { return false }
    return DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds
  }

  /// Time left: zero once passed, ``Swift/Duration/unlimited`` for ``never``.
  package var remaining: Duration {
    guard let uptimeNanoseconds else { return .unlimited }
    let now = DispatchTime.now().uptimeNanoseconds
    return now >= uptimeNanoseconds ? .zero : .nanoseconds(Int64(clamping: uptimeNanoseconds - now))
  }

  package static func < (lhs: Deadline, rhs: Deadline) -> Bool {
    switch (lhs.uptimeNanoseconds, rhs.uptimeNanoseconds) {
    case (let left?, let right?): left < right
    case (.some, nil): true
    case (nil, _): false
    }
  }
}

extension Duration {
  /// "No limit": reads as ``Deadline/never`` wherever it becomes a deadline.
  package static let unlimited: Duration = .seconds(Int64.max)

  /// Whether this duration means "no limit" (at or past ``Deadline/horizon``).
  package var isUnlimited: Bool { self >= Deadline.horizon }

  /// Whole nanoseconds, clamped to `0...Int64.max`.
  package var saturatingNanoseconds: Int64 { saturatingCount(perSecond: 1_000_000_000) }

  /// Whole milliseconds, clamped to `0...Int64.max`.
  package var saturatingMilliseconds: Int64 { saturatingCount(perSecond: 1000) }

  /// Whole units of `1 / perSecond` seconds, clamped to `0...Int64.max`.
  private func saturatingCount(perSecond: Int64) -> Int64 {
    let (seconds, attoseconds) = components
    guard self > .zero else { return 0 }
    let (whole, overflow) = seconds.multipliedReportingOverflow(by: perSecond)
    if overflow { return .max }
    let (total, sumOverflow) = whole.addingReportingOverflow(
      attoseconds / (1_000_000_000_000_000_000 / perSecond))
    return sumOverflow ? .max : total
  }

  /// The duration in seconds, as a `Double`: for rates, jitter and scaling, where a rounding past
  /// 2⁵³ nanoseconds does not matter. This and ``init(saturatingSeconds:)`` are the package's one
  /// conversion between `Duration` and floating-point seconds.
  package var inSeconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }

  /// `seconds` as a duration, in whole nanoseconds: zero for a negative or NaN value, and
  /// `.nanoseconds(Int64.max)` (past ``Deadline/horizon``, so unlimited) for one too large for
  /// `Int64` nanoseconds, where `Duration.seconds(_: Double)` would trap.
  package init(saturatingSeconds seconds: Double) {
    let nanoseconds = seconds * 1e9
    guard nanoseconds > 0 else {
      self = .zero
      return
    }
    self = nanoseconds < 9.2e18 ? .nanoseconds(Int64(nanoseconds)) : .nanoseconds(Int64.max)
  }

  /// `self + other`, or ``unlimited`` when either is unlimited.
  package func saturatingAdding(_ other: Duration) -> Duration {
    isUnlimited || other.isUnlimited ? .unlimited : self + other
  }
}
