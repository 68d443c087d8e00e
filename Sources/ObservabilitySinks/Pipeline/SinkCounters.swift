import SinkSupport
import Synchronization

/// What became of the spans and metrics a sink produced; read by `status()`.
final class SinkCounters: Sendable {
  let spansRecorded = Atomic<Int>(0)
  let spansDropped = Atomic<Int>(0)
  /// Runs ended because more than the active-run bound were active (their span is exported with
  /// ERROR); an atomic so that the export thread can read it without the recorder's lock.
  let runsEvicted = Atomic<Int>(0)
  /// Spans handed to the exporter and how they settled.
  let spans = ExportCounters()
  /// Metric data points handed to the exporter and how they settled.
  let dataPoints = ExportCounters()
  let metricExports = Atomic<Int>(0)
  /// Run starts a spool could not journal (its hand-off was full): such a run cannot be ended by
  /// a later process if this one dies first.
  let runsNotJournaled = Atomic<Int>(0)
  /// What the spool did: see ``SpoolCounters``.
  let spool = SpoolCounters()
  private let lastError = LockedValue<(message: String, timeUnixNano: UInt64)?>(nil)

  func recordError(_ message: String) {
    lastError.withLock { $0 = (message, UnixClock.now()) }
  }

  var lastErrorRecord: (message: String, timeUnixNano: UInt64)? { lastError.withLock { $0 } }
}

/// How the items of one signal settled, export call by export call.
final class ExportCounters: Sendable {
  let exported = Atomic<Int>(0)
  let rejected = Atomic<Int>(0)
  let failed = Atomic<Int>(0)
  /// Export calls in which some item failed.
  let failedCalls = Atomic<Int>(0)

  func add(_ outcome: Settled) {
    exported.wrappingAdd(outcome.delivered, ordering: .relaxed)
    rejected.wrappingAdd(outcome.rejected, ordering: .relaxed)
    failed.wrappingAdd(outcome.failed, ordering: .relaxed)
    if outcome.failed > 0 { failedCalls.wrappingAdd(1, ordering: .relaxed) }
  }
}

/// How the items of one export call settled.
struct Settled {
  var delivered = 0
  var rejected = 0
  var failed = 0
  /// For `status().lastError`.
  var message: String?
  /// Why items failed, as the exporter said it.
  var reason = ""

  init(_ result: ExportResult, items: Int) {
    switch result {
    case .success:
      delivered = items
    case .partialSuccess(let count, let text):
      rejected = min(max(0, count), items)
      delivered = items - rejected
      if rejected > 0 { message = "partial success: \(rejected) rejected: \(text)" }
    case .failure(let text):
      failed = items
      message = "failed: \(text)"
      reason = text
    case .partialFailure(let failedCount, let rejectedCount, let text):
      failed = min(max(0, failedCount), items)
      rejected = min(max(0, rejectedCount), items - failed)
      delivered = items - failed - rejected
      message = "\(failed) of \(items) failed: \(text)"
      reason = text
    }
  }
}
