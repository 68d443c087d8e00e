import Dispatch
import ObservabilitySinksTesting
import SinkSupport
import Synchronization
import TestSupport
import Testing

@testable import ObservabilitySinks

/// "Wait forever" means forever, a long delay never spins, and a flush deadline is the caller's
/// wait, not a shorter timeout for the export.
@Suite("Deadlines: one conversion, saturating", .serialized)
struct DeadlineTests {
  @Test(arguments: [Duration.seconds(Int64.max), .seconds(146 * 365 * 86_400), Deadline.horizon, .unlimited])
  func aDurationPastTheHorizonNeverPasses(duration: Duration) {
    let deadline = Deadline(after: duration)
    #expect(deadline.isNever)
    #expect(!deadline.hasPassed)
    #expect(deadline.dispatchTime == .distantFuture)
    #expect(deadline.remaining.isUnlimited)
  }

  @Test func aLongFiniteDurationStaysBelowBit62() throws {
    let deadline = Deadline(after: Deadline.horizon - .seconds(1))
    let nanoseconds = try #require(deadline.uptimeNanoseconds)
    #expect(nanoseconds < 1 << 62)
    #expect(!deadline.hasPassed)
    #expect(deadline.remaining > .seconds(99 * 365 * 86_400))
  }

  @Test(arguments: [Duration.zero, .nanoseconds(-1), .seconds(-Int64.max)])
  func zeroAndNegativeDurationsAreNow(duration: Duration) {
    let deadline = Deadline(after: duration)
    #expect(deadline.hasPassed)
    #expect(deadline.remaining == .zero)
  }

  @Test func conversionsSaturate() {
    #expect(Duration.seconds(Int64.max).saturatingNanoseconds == .max)
    #expect(Duration.seconds(Int64.max).saturatingMilliseconds == .max)
    #expect(Duration.seconds(-5).saturatingNanoseconds == 0)
    #expect(Duration.milliseconds(1500).saturatingMilliseconds == 1500)
    #expect(Duration.unlimited.saturatingAdding(.seconds(2)) == .unlimited)
    #expect(Deadline.never > Deadline(after: .seconds(1)))
  }

  @Test func floatingPointSecondsConvertBothWaysAndSaturate() {
    #expect(Duration.milliseconds(1500).inSeconds == 1.5)
    #expect(Duration.nanoseconds(-250_000_000).inSeconds == -0.25)
    #expect(Duration(saturatingSeconds: 1.5) == .milliseconds(1500))
    #expect(Duration(saturatingSeconds: -1) == .zero)
    #expect(Duration(saturatingSeconds: .nan) == .zero)
    #expect(Duration(saturatingSeconds: .infinity) == .nanoseconds(Int64.max))
    #expect(Duration(saturatingSeconds: 1e300).isUnlimited)
    #expect(Duration(saturatingSeconds: Duration.seconds(90).inSeconds) == .seconds(90))
  }

  @Test func shutdownWithAnUnlimitedTimeoutWaitsForTheExportInFlight() throws {
    let receiver = try OTLPTestReceiver(
      options: {
        var options = OTLPReceiverOptions()
        options.delay = .milliseconds(300)
        return options
      }())
    defer { receiver.stop() }
    let sink = otlpSink(receiver.endpoint)
    playRuns(sink, runs: 2, steps: 2)
    #expect(sink.syncShutdown(timeout: .seconds(Int64.max)))
    #expect(receiver.spans().count == 6)
    let status = sink.status()
    #expect(status.spansExported == 6 && status.spansFailed == 0)
  }

  @Test func forceFlushWithAnUnlimitedTimeoutDelivers() throws {
    let receiver = try OTLPTestReceiver(
      options: {
        var options = OTLPReceiverOptions()
        options.delay = .milliseconds(200)
        return options
      }())
    defer { receiver.stop() }
    let sink = otlpSink(receiver.endpoint)
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncForceFlush(timeout: .seconds(Int64.max)))
    #expect(receiver.spans().count == 2)
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func aScheduleDelayOfCenturiesDoesNotSpinTheExportThread() throws {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = ["OTEL_BSP_SCHEDULE_DELAY": "99999999999999"]
    configuration.spanExporter = InMemorySpanExporter()
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    let worker = try #require(sink.exportWorker)
    let before = worker.wakeups.load(ordering: .relaxed)
    // A window to count wakeups in; a spinning thread wakes millions of times in it.
    let window = DispatchSemaphore(value: 0)
    _ = window.wait(timeout: .now() + .milliseconds(300))
    #expect(worker.wakeups.load(ordering: .relaxed) - before <= 1)
    #expect(sink.syncShutdown(timeout: .seconds(5)))
  }

  @Test func aFlushDeadlineShorterThanTheReceiverCountsSpansByWhatTheServerAnswered() throws {
    let receiver = try OTLPTestReceiver(
      options: {
        var options = OTLPReceiverOptions()
        options.delay = .milliseconds(300)
        return options
      }())
    defer { receiver.stop() }
    let sink = otlpSink(receiver.endpoint)
    playRuns(sink, runs: 2, steps: 1)
    // The caller stops waiting; the export goes on with its own timeout.
    #expect(!sink.syncForceFlush(timeout: .milliseconds(100)))
    #expect(waitFor { sink.status().spansExported == 4 })
    let status = sink.status()
    #expect(status.spansFailed == 0)
    #expect(receiver.spans().count == 4)
    #expect(sink.syncShutdown(timeout: .seconds(5)))
  }
}
