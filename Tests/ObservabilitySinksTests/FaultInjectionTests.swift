import Dispatch
import Foundation
import ObservabilitySinks
import SinkSupport
import TestSupport
import Testing

/// Runs `body` on another thread; `wait()` gives its result.
final class Background<T: Sendable>: @unchecked Sendable {
  private var value: T?
  private let done = DispatchSemaphore(value: 0)
  init(_ body: @escaping @Sendable () -> T) {
    Thread.detachNewThread { [self] in
      value = body()
      done.signal()
    }
  }
  func wait() -> T {
    done.wait()
    return value!
  }
}

@Suite("Faults: retries, timeouts, refusals, reconnection", .serialized)
struct FaultInjectionTests {
  private func sink(
    _ endpoint: String, timeout: Duration = .seconds(10),
    configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
  ) -> OpenTelemetrySink {
    otlpSink(endpoint) {
      $0.traces.timeout = timeout
      configure(&$0)
    }
  }

  private func receiver(_ configure: (inout OTLPReceiverOptions) -> Void = { _ in }) throws
    -> OTLPTestReceiver
  {
    var options = OTLPReceiverOptions()
    configure(&options)
    return try OTLPTestReceiver(options: options)
  }

  @Test func collectorAbsentAtStartIsReachedWhenItStarts() throws {
    let placeholder = try receiver()
    let port = placeholder.port
    let endpoint = placeholder.endpoint
    placeholder.stop()
    let sink = sink(endpoint)
    playRuns(sink, runs: 2, steps: 2)
    let flush = Background { FaultReport.timed { sink.syncForceFlush(timeout: .seconds(20)) } }
    // The collector starts once the sink has found it absent and is retrying.
    #expect(waitFor { sink.status().exportRetries >= 1 })
    let late = try receiver { $0.port = port }
    defer { late.stop() }
    let (delivered, waited) = flush.wait()
    #expect(delivered)
    #expect(late.spans().count == 6)
    let status = sink.status()
    #expect(status.spansExported == 6 && status.spansFailed == 0 && status.exportRetries >= 1)
    FaultReport.row(
      "collector absent at start, started 1 s later", delivered: late.spans().count, status: status,
      waited: waited)
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func collectorRestartedMidRunGetsTheRest() throws {
    let first = try receiver()
    let port = first.port
    let sink = sink(first.endpoint)
    playRuns(sink, runs: 1, steps: 2, prefix: "before")
    #expect(sink.syncForceFlush(timeout: .seconds(10)))
    #expect(first.spans().count == 3)
    first.stop()
    playRuns(sink, runs: 1, steps: 2, prefix: "after")
    let flush = Background { FaultReport.timed { sink.syncForceFlush(timeout: .seconds(20)) } }
    #expect(waitFor { sink.status().exportRetries >= 1 })
    let second = try receiver { $0.port = port }
    defer { second.stop() }
    let (delivered, waited) = flush.wait()
    #expect(delivered)
    #expect(second.spans().count == 3)
    #expect(sink.status().spansExported == 6)
    FaultReport.row(
      "collector restarted mid-run", delivered: 3 + second.spans().count, status: sink.status(),
      waited: waited)
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func unavailableOnceIsRetriedAndDelivered() throws {
    let receiver = try receiver {
      $0.failFirst = 1
      $0.failCode = .unavailable
    }
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint)
    playRuns(sink, runs: 1, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(delivered)
    let status = sink.status()
    #expect(receiver.spans().count == 2 && status.exportRetries == 1 && status.spansFailed == 0)
    #expect(receiver.calls().map(\.answered) == ["UNAVAILABLE", "OK"])
    FaultReport.row("UNAVAILABLE once", delivered: receiver.spans().count, status: status, waited: waited)
  }

  @Test func unavailableAlwaysFailsWithinTheTimeoutAndIsCounted() throws {
    let receiver = try receiver { $0.failAlways = .unavailable }
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint, timeout: .seconds(2))
    playRuns(sink, runs: 1, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(!delivered)
    let status = sink.status()
    #expect(status.spansFailed == 2 && status.spansExported == 0 && status.exportRetries >= 2)
    #expect(status.lastError?.contains("UNAVAILABLE") == true)
    #expect(waited < .seconds(5))
    FaultReport.row("UNAVAILABLE always (2 s export timeout)", delivered: 0, status: status, waited: waited)
  }

  @Test func resourceExhaustedWithRetryInfoWaitsTheServersDelay() throws {
    let receiver = try receiver {
      $0.failFirst = 1
      $0.failCode = .resourceExhausted
      $0.retryInfoDelay = .milliseconds(700)
    }
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint)
    playRuns(sink, runs: 1, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(delivered)
    let calls = receiver.calls()
    #expect(calls.map(\.answered) == ["RESOURCE_EXHAUSTED", "OK"])
    #expect(calls.count == 2 && calls[1].time - calls[0].time >= 0.65)
    #expect(sink.status().exportRetries == 1)
    FaultReport.row(
      "RESOURCE_EXHAUSTED with RetryInfo 700 ms", delivered: receiver.spans().count, status: sink.status(),
      waited: waited)
  }

  @Test func resourceExhaustedWithoutRetryInfoIsNotRetried() throws {
    let receiver = try receiver {
      $0.failFirst = 1
      $0.failCode = .resourceExhausted
    }
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint)
    playRuns(sink, runs: 1, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(!delivered)
    #expect(receiver.calls().count == 1)
    #expect(sink.status().spansFailed == 2 && sink.status().exportRetries == 0)
    FaultReport.row(
      "RESOURCE_EXHAUSTED without RetryInfo", delivered: 0, status: sink.status(), waited: waited)
  }

  @Test func invalidArgumentIsNeverRetried() throws {
    let receiver = try receiver { $0.failAlways = .invalidArgument }
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint)
    playRuns(sink, runs: 1, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(!delivered)
    #expect(receiver.calls().count == 1)
    #expect(sink.status().lastError?.contains("INVALID_ARGUMENT") == true && sink.status().exportRetries == 0)
    FaultReport.row("INVALID_ARGUMENT", delivered: 0, status: sink.status(), waited: waited)
  }

  @Test func aReceiverSlowerThanTheTimeoutFailsAtTheTimeoutAndShutdownKeepsItsDeadline() throws {
    let receiver = try receiver { $0.delay = .seconds(11) }
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint, timeout: .seconds(10))
    playRuns(sink, runs: 1, steps: 1)
    let (flushed, flushWait) = FaultReport.timed { sink.syncForceFlush(timeout: .seconds(30)) }
    #expect(!flushed)
    #expect(flushWait >= .seconds(9) && flushWait < .seconds(13))
    #expect(sink.status().lastError?.contains("DEADLINE_EXCEEDED") == true)
    #expect(sink.status().spansFailed == 2)
    FaultReport.row(
      "receiver 11 s slow, 10 s timeout (forceFlush)", delivered: 0, status: sink.status(), waited: flushWait)
    playRuns(sink, runs: 1, steps: 1, prefix: "late")
    let (_, shutdownWait) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(2)) }
    #expect(shutdownWait < .seconds(4))
    FaultReport.row(
      "receiver 11 s slow, shutdown(timeout: 2 s)", delivered: 0, status: sink.status(), waited: shutdownWait)
  }

  @Test func partialSuccessIsCountedLoggedOnceAndNotRetried() throws {
    let receiver = try receiver { $0.partialReject = 1 }
    defer { receiver.stop() }
    let logs = CapturedLogs()
    let sink = sink(receiver.endpoint) {
      $0.logger = logs.logger
      $0.maxExportBatchSize = 2
      // Only full batches and shutdown export: a schedule tick between two spans (a slow run, as
      // under TSan) would send a batch of one, and a third request.
      $0.scheduleDelay = .seconds(3600)
    }
    playRuns(sink, runs: 2, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(delivered)
    let status = sink.status()
    // Two full batches, or a third request when the export thread woke with three spans queued
    // (a slow run, as under TSan, drains 2 + 1): each request has one span rejected either way.
    let calls = receiver.calls().count
    #expect((2...3).contains(calls), "\(calls) requests")
    #expect(status.spansRejected == calls && status.spansExported == 4 - calls && status.exportRetries == 0)
    #expect(logs.messages.withLock { $0 }.filter { $0.contains("rejected") }.count == 1)
    FaultReport.row(
      "partial success (1 rejected per request)", delivered: 4 - calls, status: status, waited: waited)
  }

  @Test(arguments: [true, false])
  func aRequiredAuthorizationHeaderIsSentFromTheEnvironmentAndNeverShown(present: Bool) throws {
    let receiver = try receiver { $0.requiredHeader = ("authorization", "Bearer s3cret token") }
    defer { receiver.stop() }
    let logs = CapturedLogs()
    var environment = [
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
      "DSPY_RLM_OTEL_METRICS_ENABLED": "false",
    ]
    if present {
      environment["OTEL_EXPORTER_OTLP_HEADERS"] = "authorization=Bearer%20s3cret%20token,x-scope=tenant=a"
    }
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.logger = logs.logger
    let sink = OpenTelemetrySink.fromEnvironment(environment, configuration: configuration)
    playRuns(sink, runs: 1, steps: 1)
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(10)) }
    #expect(delivered == present)
    let call = try #require(receiver.calls().first)
    #expect(call.answered == (present ? "OK" : "UNAUTHENTICATED"))
    if present { #expect(call.metadata["x-scope"] == "tenant=a") }
    #expect(receiver.calls().count == 1)
    let status = sink.status()
    #expect(!"\(status)".contains("s3cret") && !logs.messages.withLock { $0.joined() }.contains("s3cret"))
    FaultReport.row(
      "authorization header \(present ? "present" : "missing")", delivered: present ? 2 : 0, status: status,
      waited: waited)
  }

  @Test func gzipIsOnTheWireWhenAsked() throws {
    let receiver = try receiver { $0.rejectCompression = true }
    defer { receiver.stop() }
    let compressed = sink(receiver.endpoint) { $0.traces.compression = .gzip }
    playRuns(compressed, runs: 1, steps: 1)
    #expect(!compressed.syncShutdown(timeout: .seconds(10)))
    #expect(compressed.status().lastError?.contains("UNIMPLEMENTED") == true)
    let plain = sink(receiver.endpoint) { $0.traces.compression = OTLPCompression.none }
    playRuns(plain, runs: 1, steps: 1)
    #expect(plain.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 2)
  }

  @Test func requestsOverFourMebibytesAreSplit() throws {
    let receiver = try receiver()
    defer { receiver.stop() }
    let sink = sink(receiver.endpoint) {
      $0.maxQueueSize = 4000
      $0.maxExportBatchSize = 4000
    }
    let text = String(repeating: "x", count: 1000)
    sink.onRunStart(runID: "big", task: "t", environment: "e", params: RunParams())
    for step in 0..<3000 {
      sink.onStep(
        runID: "big",
        event: StepEvent(
          step: step, action: StepAction(type: "a", code: text), observation: StepObservation(output: text)),
        cumulativeReward: 0)
    }
    sink.onRunEnd(runID: "big", result: RunResult(), runPath: "")
    #expect(sink.syncShutdown(timeout: .seconds(30)))
    let calls = receiver.calls()
    #expect(calls.count >= 2 && calls.allSatisfy { $0.answered == "OK" && $0.bytes <= 4 * 1024 * 1024 })
    #expect(receiver.spans().count == 3001)
  }
}

@Suite("Hostile collectors and edge settings", .serialized)
struct HostileCollectorTests {

  @Test func aNegativeRetryDelayIsIgnoredNotACrash() throws {
    var options = OTLPReceiverOptions()
    options.failFirst = 1
    options.failCode = .resourceExhausted
    options.retryInfoDelay = .seconds(-10_000_000_000)
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = otlpSink(receiver.endpoint)
    playRuns(sink, runs: 1, steps: 1)
    #expect(!sink.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.calls().count == 1)
    #expect(sink.status().spansFailed == 2 && sink.status().exportRetries == 0)
  }

  @Test func shutdownDuringARetryBackoffSettlesEverySpanWithinItsDeadline() throws {
    var options = OTLPReceiverOptions()
    options.failAlways = .resourceExhausted
    options.retryInfoDelay = .seconds(5)
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = otlpSink(receiver.endpoint) { $0.traces.timeout = .seconds(30) }
    playRuns(sink, runs: 1, steps: 1)
    // A flush starts the export; its first attempt fails and a 5 s backoff begins.
    let flush = Background { sink.syncForceFlush(timeout: .seconds(30)) }
    #expect(waitFor { receiver.calls().count == 1 && sink.status().exportRetries == 1 })
    let (delivered, waited) = FaultReport.timed { sink.syncShutdown(timeout: .seconds(1)) }
    #expect(!flush.wait())
    #expect(!delivered)
    #expect(waited < .milliseconds(1500))  // 1 s deadline; the slack is for a loaded CI machine
    let status = sink.status()
    #expect(status.spansFailed == 2 && status.spansPending == 0)
    FaultReport.row(
      "shutdown(1 s) during a 5 s RetryInfo backoff", delivered: 0, status: status, waited: waited)
  }

  @Test func aSplitBatchCountsOnlyTheFailedPartAsFailed() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = otlpSink(receiver.endpoint) { $0.maxExportBatchSize = 64 }
    let huge = String(repeating: "p", count: 5 * 1024 * 1024)
    for run in 0..<4 {
      sink.onRunStart(runID: "r\(run)", task: "t", environment: "e", params: RunParams())
      sink.onRunEnd(runID: "r\(run)", result: RunResult(), runPath: run == 3 ? huge : "p")
    }
    #expect(!sink.syncShutdown(timeout: .seconds(20)))
    let status = sink.status()
    #expect(receiver.spans().count == 3)
    #expect(status.spansExported == 3 && status.spansFailed == 1 && status.spansPending == 0)
  }

  @Test func aZeroTimeoutInCodeMeansNoLimit() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    #expect(OTLPExporterOptions(timeout: .zero).effectiveTimeout == OTLPExporterOptions.noLimit)
    let sink = otlpSink(receiver.endpoint) {
      $0.traces.timeout = .zero
      $0.exportTimeout = .zero
    }
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 2)
  }
}
