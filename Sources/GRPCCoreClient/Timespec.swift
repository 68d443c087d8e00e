import CGRPCCore

/// Conversions from Swift durations to the core's `gpr_timespec`.
enum Timespec {
  /// The monotonic instant `delay` from now; negative delays mean now, absurdly long ones never.
  static func deadline(after delay: Duration) -> gpr_timespec {
    let (seconds, attoseconds) = delay.components
    if seconds >= 100 * 365 * 86_400 { return gpr_inf_future(GPR_CLOCK_MONOTONIC) }
    // Checked before multiplying: a server can send any retry delay, including a huge negative one.
    guard seconds >= 0, attoseconds >= 0 else { return gpr_now(GPR_CLOCK_MONOTONIC) }
    let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_nanos(nanoseconds, GPR_TIMESPAN))
  }

  /// Whole milliseconds, clamped to the `int` range of integer channel arguments.
  static func milliseconds(_ duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    let millis = seconds.multipliedReportingOverflow(by: 1000)
    if millis.overflow { return seconds < 0 ? 0 : Int32.max }
    return Int32(clamping: max(0, millis.partialValue + attoseconds / 1_000_000_000_000_000))
  }
}
