import Synchronization

/// What became of the spans and metrics a sink produced; read by `status()`.
final class SinkCounters: Sendable {
  let spansRecorded = Atomic<Int>(0)
  let spansExported = Atomic<Int>(0)
  let spansDropped = Atomic<Int>(0)
  let spansFailed = Atomic<Int>(0)
  let spansRejected = Atomic<Int>(0)
  let exportFailures = Atomic<Int>(0)
  let metricExports = Atomic<Int>(0)
  let metricExportFailures = Atomic<Int>(0)
  let dataPointsExported = Atomic<Int>(0)
  let dataPointsRejected = Atomic<Int>(0)
  let dataPointsFailed = Atomic<Int>(0)
  private let lastError = Mutex<(message: String, timeUnixNano: UInt64)?>(nil)

  func recordError(_ message: String) {
    lastError.withLock { $0 = (message, UnixClock.now()) }
  }

  var lastErrorRecord: (message: String, timeUnixNano: UInt64)? { lastError.withLock { $0 } }
}
