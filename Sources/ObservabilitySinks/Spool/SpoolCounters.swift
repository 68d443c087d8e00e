import Synchronization

/// What the spool did, for `status()`: atomics the spool's threads add to and `status()` reads.
final class SpoolCounters: Sendable {
  /// Spans of earlier processes found unsent in the spool and sent again by this one (rebuilt
  /// runs included).
  let spansRecovered = Atomic<Int>(0)
  /// Runs of earlier processes that never ended, ended by this one with ERROR.
  let runsRecovered = Atomic<Int>(0)
  /// Spans the spool lost: a write that failed (a full disk), or data discarded to stay in bounds.
  let spansDiscarded = Atomic<Int>(0)
  /// Bytes of this process's own segments now on disk.
  let bytes = Atomic<Int>(0)
  /// Spans on disk that the collector has not settled.
  let spansOnDisk = Atomic<Int>(0)
}
