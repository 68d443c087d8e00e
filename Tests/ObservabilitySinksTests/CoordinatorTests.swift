import Foundation
import ObservabilitySinks
import Synchronization
import Testing

/// A sink that fails on every hook, as a broken third-party sink would.
final class FailingSink: ObservabilitySink {
  struct Failure: Error {}
  struct Status: SinkStatusReport {
    var name: String { "failing" }
    var dictionary: [String: StatusValue] { ["name": .string("failing")] }
  }
  let name = "failing"
  let calls = Atomic<Int>(0)
  func status() -> Status { Status() }
  func onRunStart(runID: String, task: String, environment: String, params: RunParams) throws {
    calls.wrappingAdd(1, ordering: .relaxed)
    throw Failure()
  }
  func onStep(runID: String, event: StepEvent, cumulativeReward: Double) throws {
    calls.wrappingAdd(1, ordering: .relaxed)
    throw Failure()
  }
  func onRunEnd(runID: String, result: RunResult, runPath: String) throws {
    calls.wrappingAdd(1, ordering: .relaxed)
    throw Failure()
  }
}

@Suite("RLMObservability forwards hooks and isolates failures")
struct CoordinatorTests {
  @Test func oneSinksFailureReachesNeitherTheCallerNorTheOtherSinks() throws {
    let failing = FailingSink()
    let test = TestSink()
    let observability = RLMObservability(sinks: [failing, test.sink])
    observability.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    observability.onStep(runID: "r", event: StepEvent(step: 1), cumulativeReward: 0)
    observability.onRunEnd(runID: "r", result: RunResult(completed: true), runPath: "")
    #expect(failing.calls.load(ordering: .relaxed) == 3)
    #expect(test.flushedSpans().count == 2)
  }

  @Test func sinksAreAddedFoundAndRemovedByName() {
    let observability = RLMObservability()
    #expect(observability.sink(named: "opentelemetry") == nil)
    let test = TestSink()
    observability.addSink(test.sink)
    observability.addSink(FailingSink())
    #expect(observability.sink(named: "opentelemetry") === test.sink)
    #expect(observability.status().map(\.name) == ["opentelemetry", "failing"])
    #expect(observability.status().first?.dictionary["detail"] == .string("custom exporter"))
    #expect(observability.removeSink(named: "failing"))
    #expect(!observability.removeSink(named: "failing"))
    #expect(observability.status().map(\.name) == ["opentelemetry"])
  }

  @Test func traceIdIsReachableThroughTheCoordinatorAsInTheSeed() throws {
    let test = TestSink()
    let observability = RLMObservability(sinks: [test.sink])
    observability.onRunStart(runID: "abc", task: "t", environment: "e", params: RunParams())
    let sink = try #require(observability.sink(named: "opentelemetry") as? OpenTelemetrySink)
    #expect(sink.traceID(forRun: "abc")?.count == 32)
  }
}

@Suite("Many threads hooking at once")
struct ConcurrencyTests {
  @Test func concurrentRunsLoseNothingAndKeepIdsUnique() throws {
    let test = TestSink { $0.maxQueueSize = 100_000 }
    let threads = 8
    let runsPerThread = 100
    let stepsPerRun = 5
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      for run in 0..<runsPerThread {
        let runID = "t\(thread)-r\(run)"
        test.sink.onRunStart(runID: runID, task: "t", environment: "env\(thread % 2)", params: RunParams())
        for step in 1...stepsPerRun {
          test.sink.onStep(
            runID: runID, event: StepEvent(step: step, reward: 1), cumulativeReward: Double(step))
        }
        test.sink.onRunEnd(runID: runID, result: RunResult(completed: true), runPath: "")
      }
    }
    let spans = test.flushedSpans()
    let total = threads * runsPerThread * (stepsPerRun + 1)
    #expect(spans.count == total)
    #expect(Set(spans.map(\.spanID)).count == total)
    let runs = spans.filter { $0.name == "rlm.run" }
    let runByTrace = Dictionary(uniqueKeysWithValues: runs.map { ($0.traceID, $0) })
    #expect(runByTrace.count == threads * runsPerThread)
    for step in spans where step.name == "rlm.step" {
      #expect(runByTrace[step.traceID]?.spanID == step.parentSpanID)
      #expect(runByTrace[step.traceID]?.attribute("rlm.run_id") == step.attribute("rlm.run_id"))
    }
    #expect(test.sumPoints("rlm.runs").map(\.value).reduce(0, +) == Int64(threads * runsPerThread))
    #expect(
      test.sumPoints("rlm.steps").map(\.value).reduce(0, +) == Int64(threads * runsPerThread * stepsPerRun))
    let status = test.sink.status()
    #expect(status.spansRecorded == total && status.spansExported == total && status.spansDropped == 0)
    #expect(status.activeRuns == 0)
  }
}
