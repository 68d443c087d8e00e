import CGRPCCore
import SinkSupport

/// Conversions from the package's ``Deadline`` and `Duration` to the core's `gpr_timespec`.
enum Timespec {
  /// The core's monotonic instant for `deadline`; ``Deadline/never`` is the core's infinite future.
  static func deadline(_ deadline: Deadline) -> gpr_timespec {
    guard !deadline.isNever else { return gpr_inf_future(GPR_CLOCK_MONOTONIC) }
    let remaining = gpr_time_from_nanos(deadline.remaining.saturatingNanoseconds, GPR_TIMESPAN)
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), remaining)
  }

  /// The monotonic instant `delay` from now; negative delays mean now, unlimited ones never.
  static func deadline(after delay: Duration) -> gpr_timespec {
    deadline(Deadline(after: delay))
  }

  /// Whole milliseconds, clamped to the `int` range of integer channel arguments.
  static func milliseconds(_ duration: Duration) -> Int32 {
    Int32(clamping: duration.saturatingMilliseconds)
  }
}
