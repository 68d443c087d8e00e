import Foundation
import ObservabilitySinks
import ObservabilitySinksTesting
import SinkSupport
import Testing

/// An exporter that blocks until released, to fill the queue behind it.
final class GatedSpanExporter: SpanExporter {
  let gate = DispatchSemaphore(value: 0)
  let exported = LockedValue<[SpanData]>([])
  let batchSizes = LockedValue<[Int]>([])
  func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    gate.wait()
    exported.withLock { $0 += spans }
    batchSizes.withLock { $0.append(spans.count) }
    return .success
  }
}

/// An exporter that hands the size of its first batch to a waiting test.
final class BatchSignallingSpanExporter: SpanExporter {
  let firstBatch = OneShot<Int>()
  func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    firstBatch.fulfil(spans.count)
    return .success
  }
}

/// An exporter that always fails.
final class FailingSpanExporter: SpanExporter {
  func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    .failure("collector unreachable")
  }
}

@Suite("Queue, batches, flush and shutdown")
struct ExportPipelineTests {
  private func makeSink(
    _ exporter: any SpanExporter, configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
  ) -> OpenTelemetrySink {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.spanExporter = exporter
    configure(&configuration)
    return OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
  }

  private func burst(_ sink: OpenTelemetrySink, runs: Int, steps: Int) {
    for run in 0..<runs {
      sink.onRunStart(runID: "r\(run)", task: "t", environment: "e", params: RunParams())
      for step in 0..<steps {
        sink.onStep(runID: "r\(run)", event: StepEvent(step: step), cumulativeReward: 0)
      }
      sink.onRunEnd(runID: "r\(run)", result: RunResult(), runPath: "")
    }
  }

  @Test func aFullQueueDropsAndCountsEverySpanItCannotHold() throws {
    let exporter = GatedSpanExporter()
    let sink = makeSink(exporter) {
      $0.maxQueueSize = 10
      $0.maxExportBatchSize = 5
    }
    burst(sink, runs: 10, steps: 9)  // 100 spans, the exporter stuck
    let whileStuck = sink.status()
    #expect(whileStuck.spansRecorded == 100)
    #expect(whileStuck.spansDropped >= 80)
    for _ in 0..<100 { exporter.gate.signal() }
    #expect(sink.syncForceFlush(timeout: .seconds(10)))
    let status = sink.status()
    #expect(status.spansExported + status.spansDropped == 100)
    #expect(status.spansExported == exporter.exported.withLock { $0.count })
    #expect(exporter.batchSizes.withLock { $0.allSatisfy { $0 <= 5 } })
  }

  @Test func aQueueSizedToTheBurstLosesNothing() throws {
    let exporter = GatedSpanExporter()
    let sink = makeSink(exporter) { $0.maxQueueSize = 10_455 }
    for _ in 0..<1000 { exporter.gate.signal() }
    burst(sink, runs: 205, steps: 50)
    #expect(sink.syncForceFlush(timeout: .seconds(30)))
    let status = sink.status()
    #expect(status.spansRecorded == 205 * 51 && status.spansDropped == 0 && status.spansExported == 205 * 51)
    #expect(exporter.batchSizes.withLock { $0.max() ?? 0 } <= 512)
  }

  @Test func fullBatchIsExportedWithoutWaitingForTheSchedule() throws {
    let exporter = BatchSignallingSpanExporter()
    let sink = makeSink(exporter) {
      $0.maxExportBatchSize = 4
      $0.scheduleDelay = .seconds(3600)
    }
    burst(sink, runs: 2, steps: 1)  // 4 spans: one full batch
    // The first export call, awaited (no flush: a flush would export without the full batch).
    let first = exporter.firstBatch.wait(until: Deadline(after: .seconds(30)))
    #expect(first == 4)
  }

  @Test func failedExportsAreCountedWithTheLastError() {
    let sink = makeSink(FailingSpanExporter())
    burst(sink, runs: 1, steps: 2)
    #expect(!sink.syncForceFlush(timeout: .seconds(5)))
    let status = sink.status()
    #expect(status.spansFailed == 3 && status.exportFailures == 1 && status.spansExported == 0)
    #expect(status.lastError?.contains("collector unreachable") == true)
    #expect(status.lastErrorTimeUnixNano != nil)
  }

  @Test func flushWithNothingToSendSucceedsAtOnce() {
    let exporter = InMemorySpanExporter()
    let sink = makeSink(exporter)
    let start = Date()
    #expect(sink.syncForceFlush(timeout: .seconds(5)))
    #expect(Date().timeIntervalSince(start) < 0.5)
    #expect(exporter.exportCalls == 0)
  }

  @Test func shutdownDeliversTheRestThenDropsAndCountsLaterSpans() {
    let exporter = InMemorySpanExporter()
    let sink = makeSink(exporter)
    burst(sink, runs: 1, steps: 1)
    #expect(sink.syncShutdown(timeout: .seconds(5)))
    #expect(exporter.finishedSpans.count == 2)
    burst(sink, runs: 1, steps: 1)
    #expect(sink.status().spansDropped == 2)
    #expect(sink.syncShutdown(timeout: .seconds(1)))
    #expect(!sink.syncForceFlush(timeout: .seconds(1)))
  }

  @Test func shutdownNeverOutlivesItsDeadlineWithAStuckExporter() {
    let exporter = GatedSpanExporter()
    let sink = makeSink(exporter)
    burst(sink, runs: 1, steps: 1)
    let start = Date()
    #expect(!sink.syncShutdown(timeout: .milliseconds(300)))
    #expect(Date().timeIntervalSince(start) < 0.5)
    exporter.gate.signal()
  }
}

@Suite("Console exporter")
struct ConsoleExporterTests {
  @Test func printsEachRunAsATreeWithItsSteps() throws {
    let printed = LockedValue("")
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.spanExporter = ConsoleSpanExporter(
      output: ConsoleOutput { text in printed.withLock { $0 += text } })
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    sink.onRunStart(runID: "abc12345", task: "Trivia", environment: "dspy", params: RunParams(maxSteps: 3))
    sink.onStep(
      runID: "abc12345",
      event: StepEvent(
        step: 1, action: StepAction(type: "run_python", code: "import dspy"),
        observation: StepObservation(success: true, output: "ok"), reward: 0.5),
      cumulativeReward: 0.5)
    sink.onStep(
      runID: "abc12345", event: StepEvent(step: 2, observation: StepObservation(error: "ZeroDivisionError")),
      cumulativeReward: 0.5)
    sink.onStep(runID: "open", event: StepEvent(step: 1), cumulativeReward: 0)
    let traceID = try #require(sink.traceID(forRun: "abc12345"))
    sink.onRunEnd(
      runID: "abc12345", result: RunResult(completed: true, steps: 2, totalReward: 0.5, finalAnswer: "42"),
      runPath: "p")
    sink.syncShutdown(timeout: .seconds(5))
    let text = printed.withLock { $0 }
    #expect(text.contains("Trace \(traceID)"))
    #expect(text.contains("rlm.run ["))
    #expect(text.contains("├─ rlm.step 1 [") && text.contains("└─ rlm.step 2 ["))
    #expect(text.contains("ERROR: ZeroDivisionError"))
    #expect(text.contains("• code_execution: import dspy") && text.contains("• final_answer: 42"))
    #expect(text.contains("reward=0.5"))
  }
}
