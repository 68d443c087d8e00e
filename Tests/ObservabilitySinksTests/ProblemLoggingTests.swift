import Dispatch
import Logging
import ObservabilitySinksTesting
import SinkSupport
import TestSupport
import Testing

@testable import ObservabilitySinks

/// Failures and drops are said in the log — once at first, then summarised per interval, and
/// once when export recovers — as well as counted in `status()`.
@Suite("Problems are logged, rate-limited", .serialized)
struct ProblemLoggingTests {
  private func problemLog(_ logs: CapturedLogs, interval: Duration = .seconds(30)) -> ProblemLog {
    ProblemLog(
      logger: logs.logger, interval: interval, spanDestination: "127.0.0.1:4317",
      metricDestination: "127.0.0.1:4318")
  }

  @Test func theFirstFailureIsLoggedAtOnceAndRepeatsAreSummarisedPerInterval() {
    let logs = CapturedLogs()
    var log = problemLog(logs)
    let start = ContinuousClock.now
    log.record(.spanExport, items: 512, reason: "UNAVAILABLE: connection refused", at: start)
    for second in 1...29 {
      log.record(
        .spanExport, items: 10, reason: "UNAVAILABLE: connection refused", at: start + .seconds(second))
    }
    #expect(logs.messages.withLock { $0 }.count == 1)
    log.tick(at: start + .seconds(30))
    let lines = logs.messages.withLock { $0 }
    #expect(lines.count == 2)
    #expect(
      lines[0].hasPrefix("warning: span export to 127.0.0.1:4317 failed: UNAVAILABLE: connection refused"))
    #expect(lines[1].contains("29 more failed export(s) of 290 spans"))
    #expect(lines[1].contains("802 spans in all"))
    // Nothing new: no line at the next tick.
    log.tick(at: start + .seconds(90))
    #expect(logs.messages.withLock { $0 }.count == 2)
  }

  @Test func aNewCauseIsLoggedAtOnce() {
    let logs = CapturedLogs()
    var log = problemLog(logs)
    let start = ContinuousClock.now
    log.record(.spanExport, items: 1, reason: "UNAVAILABLE: connection refused", at: start)
    log.record(.spanExport, items: 1, reason: "UNAUTHENTICATED: bad token", at: start + .seconds(1))
    let lines = logs.messages.withLock { $0 }
    #expect(lines.count == 2)
    #expect(lines[1].contains("UNAUTHENTICATED"))
  }

  /// An overloaded collector answers some exports UNAVAILABLE and others DEADLINE_EXCEEDED: each
  /// cause is said at once the first time, and after that the interval holds.
  @Test func alternatingCausesAreSaidOnceEachThenSummarisedPerInterval() {
    let logs = CapturedLogs()
    var log = problemLog(logs)
    let start = ContinuousClock.now
    let causes = ["UNAVAILABLE: connection refused", "DEADLINE_EXCEEDED: Deadline Exceeded"]
    for index in 0..<40 {
      log.record(.spanExport, items: 1, reason: causes[index % 2], at: start + .milliseconds(index * 100))
    }
    let lines = logs.messages.withLock { $0 }
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.first?.contains("UNAVAILABLE") == true)
    #expect(lines.last?.contains("DEADLINE_EXCEEDED") == true)
    log.tick(at: start + .seconds(31))
    let later = logs.messages.withLock { $0 }
    #expect(later.count == 3)
    #expect(later.last?.contains("38 more failed export(s) of 38 spans") == true, "\(later)")
  }

  /// A flapping collector (every other export fails): the first failure and the first recovery
  /// are said at once; after that, failures and recoveries wait for the interval like repeats.
  @Test func aFlappingCollectorGetsAtMostALineOrTwoPerInterval() {
    let logs = CapturedLogs()
    var log = problemLog(logs)
    let start = ContinuousClock.now
    for index in 0..<40 {
      let now = start + .milliseconds(index * 100)
      if index % 2 == 0 {
        log.record(.spanExport, items: 2, reason: "UNAVAILABLE: connection refused", at: now)
      } else {
        log.recovered(.spanExport, at: now)
      }
      log.tick(at: now)
    }
    var lines = logs.messages.withLock { $0 }
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.first?.hasPrefix("warning: span export to 127.0.0.1:4317 failed") == true)
    #expect(lines.last?.hasPrefix("notice: span export to 127.0.0.1:4317 works again") == true)
    // The interval passes: what was held back is said, the recovery last.
    log.tick(at: start + .seconds(31))
    lines = logs.messages.withLock { $0 }
    #expect(lines.count == 4, "\(lines)")
    #expect(lines[2].contains("19 more failed export(s) of 38 spans"), "\(lines)")
    #expect(
      lines[3] == "notice: span export to 127.0.0.1:4317 works again after 20 failed export(s) of 40 spans")
    // A failure after a quiet interval is a new problem: said at once.
    log.tick(at: start + .seconds(62))
    log.record(.spanExport, items: 1, reason: "UNAVAILABLE: connection refused", at: start + .seconds(63))
    lines = logs.messages.withLock { $0 }
    #expect(lines.count == 5)
    #expect(
      lines.last?.contains("failed: UNAVAILABLE: connection refused (1 spans counted as failed)") == true)
  }

  @Test func recoveryIsSaidOnceWithWhatWasSuppressed() {
    let logs = CapturedLogs()
    var log = problemLog(logs)
    let start = ContinuousClock.now
    log.recovered(.spanExport, at: start)
    #expect(logs.messages.withLock { $0 }.isEmpty)
    log.record(.metricExport, items: 4, reason: "UNAVAILABLE: x", at: start)
    log.record(.metricExport, items: 4, reason: "UNAVAILABLE: x", at: start + .seconds(1))
    log.recovered(.metricExport, at: start + .seconds(2))
    log.recovered(.metricExport, at: start + .seconds(3))
    let lines = logs.messages.withLock { $0 }
    #expect(lines.count == 3)
    #expect(lines[1].contains("1 more failed export(s) of 4 data points"))
    #expect(
      lines[2]
        == "notice: metric export to 127.0.0.1:4318 works again after 2 failed export(s) of 8 data points")
  }

  @Test func dropsAreLoggedOnceThenSummarised() {
    let logs = CapturedLogs()
    var log = problemLog(logs, interval: .seconds(10))
    let start = ContinuousClock.now
    log.record(.spanDrop, items: 3, reason: "it holds 2 spans", at: start)
    log.record(.spanDrop, items: 5, reason: "it holds 2 spans", at: start + .seconds(2))
    log.flush(at: start + .seconds(3))
    let lines = logs.messages.withLock { $0 }
    #expect(lines.count == 2)
    #expect(lines[0].contains("span queue full: 3 span(s) dropped"))
    #expect(lines[1].contains("5 more spans dropped"))
  }

  @Test func aDeadCollectorIsLoggedOnceWithItsEndpointAndRecoveryIsSaid() throws {
    let placeholder = try OTLPTestReceiver()
    let port = placeholder.port
    let endpoint = placeholder.endpoint
    placeholder.stop()
    let logs = CapturedLogs()
    let sink = otlpSink(endpoint) {
      $0.logger = logs.logger
      $0.traces.timeout = .milliseconds(300)
    }
    for round in 0..<3 {
      playRuns(sink, runs: 1, steps: 1, prefix: "dead\(round)-")
      #expect(!sink.syncForceFlush(timeout: .seconds(10)))
    }
    let failures = logs.messages.withLock { $0 }.filter { $0.contains("span export to") }
    #expect(failures.count == 1)
    #expect(failures.first?.hasPrefix("warning: span export to \(endpoint) failed:") == true)
    #expect(sink.status().spansFailed == 6)

    let receiver = try OTLPTestReceiver(
      options: {
        var options = OTLPReceiverOptions()
        options.port = port
        return options
      }())
    defer { receiver.stop() }
    // The channel reconnects on its own backoff; until then exports may still fail (and count).
    var round = 0
    #expect(
      waitFor(timeout: .seconds(30)) {
        round += 1
        playRuns(sink, runs: 1, steps: 1, prefix: "alive\(round)-")
        return sink.syncForceFlush(timeout: .seconds(10))
      })
    let lines = logs.messages.withLock { $0 }
    let failed = sink.status().exportFailures
    #expect(failed >= 3)
    #expect(lines.contains { $0.contains("\(failed - 1) more failed export(s) of \(2 * failed - 2) spans") })
    #expect(
      lines.contains {
        $0.hasPrefix(
          "notice: span export to \(endpoint) works again after \(failed) failed export(s) of \(2 * failed) spans"
        )
      })
    #expect(receiver.spans().count == 2)
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func spansDroppedInAHookAreLoggedByTheExportThread() {
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.logger = logs.logger
    configuration.maxQueueSize = 4
    configuration.maxExportBatchSize = 4
    configuration.scheduleDelay = .seconds(60)
    // The export thread is held in its first export, so at most 8 spans are taken (the batch in
    // flight and a full queue) and the rest must drop, however fast or slow the machine is.
    let exporter = GatedSpanExporter()
    configuration.spanExporter = exporter
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    playRuns(sink, runs: 10, steps: 1)
    for _ in 0..<20 { exporter.gate.signal() }
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    let status = sink.status()
    #expect(status.spansDropped > 0)
    let lines = logs.messages.withLock { $0 }.filter { $0.contains("dropped") }
    #expect(!lines.isEmpty)
    #expect(lines.first?.contains("span queue full") == true)
    // Every dropped span is in the log, first line and summaries together.
    let logged = lines.compactMap { line -> Int? in
      if let range = line.firstRange(of: "span queue full: ") {
        return Int(line[range.upperBound...].prefix { $0.isNumber })
      }
      return Int(line.drop { !$0.isNumber }.prefix { $0.isNumber })
    }
    #expect(logged.reduce(0, +) == status.spansDropped)
    #expect(status.spansDropped >= 12)
    #expect(exporter.exported.withLock { $0.count } + status.spansDropped == 20)
  }

  @Test func runsEvictedByTheActiveRunBoundAreLoggedByTheExportThread() {
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.logger = logs.logger
    configuration.maxActiveRuns = 2
    let exporter = InMemorySpanExporter()
    configuration.spanExporter = exporter
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    for run in 0..<5 {
      sink.onRunStart(runID: "open\(run)", task: "t", environment: "e", params: RunParams())
    }
    #expect(sink.syncShutdown(timeout: .seconds(5)))
    #expect(sink.status().runsEvicted == 3)
    let lines = logs.messages.withLock { $0 }.filter { $0.contains("evicted") }
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("warning: active runs: 3 run(s) evicted") == true)
    #expect(lines.first?.contains("more than 2 active runs") == true)
  }
}
