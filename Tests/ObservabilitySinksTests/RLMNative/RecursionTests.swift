import ObservabilitySinks
import ObservabilitySinksTesting
import SinkSupport
import Testing

@Suite("Recursive runs through the typed hooks")
struct RecursionTests {
  @Test func aChildOfAnActiveRunJoinsItsTraceUnderTheStepInProgress() throws {
    let test = TestSink()
    let sink = test.sink
    sink.onRunStart(runID: "p", task: "T", environment: "e", params: RunParams(depth: 0))
    sink.onStep(runID: "p", event: StepEvent(step: 1), cumulativeReward: 0)
    sink.onRunStart(runID: "c", task: "sub", environment: "e", params: RunParams(parentRunID: "p", depth: 1))
    #expect(sink.traceID(forRun: "c") == sink.traceID(forRun: "p"))
    sink.onStep(runID: "c", event: StepEvent(step: 1), cumulativeReward: 0)
    sink.onRunEnd(runID: "c", result: RunResult(completed: true), runPath: "")
    sink.onStep(
      runID: "p", event: StepEvent(step: 2, action: StepAction(type: "delegate")), cumulativeReward: 0)
    sink.onRunEnd(runID: "p", result: RunResult(completed: true), runPath: "")
    let spans = test.flushedSpans()
    let child = try #require(
      spans.first { $0.name == "rlm.run" && $0.attribute("rlm.run_id") == .string("c") })
    let step2 = try #require(spans.first { $0.name == "rlm.step" && $0.attribute("rlm.step") == .int(2) })
    #expect(child.parentSpanID == step2.spanID)
    #expect(child.traceID == step2.traceID)
    #expect(child.attribute("rlm.depth") == .int(1))
    #expect(child.attribute("rlm.parent_run_id") == .string("p"))
    #expect(child.links.isEmpty)
    #expect(Set(spans.map(\.spanID)).count == spans.count, "span ids are unique")
    #expect(sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func aChildOfAnEndedRunStartsItsOwnTraceLinkedToTheParent() throws {
    let test = TestSink()
    let sink = test.sink
    sink.onRunStart(runID: "p", task: "T", environment: "e", params: RunParams())
    sink.onRunEnd(runID: "p", result: RunResult(completed: true), runPath: "")
    sink.onRunStart(
      runID: "late", task: "sub", environment: "e", params: RunParams(parentRunID: "p", depth: 1))
    sink.onRunStart(runID: "orphan", task: "sub", environment: "e", params: RunParams(parentRunID: "nobody"))
    sink.onRunEnd(runID: "late", result: RunResult(), runPath: "")
    sink.onRunEnd(runID: "orphan", result: RunResult(), runPath: "")
    let spans = test.flushedSpans()
    let parent = try #require(spans.first { $0.attribute("rlm.run_id") == .string("p") })
    let late = try #require(spans.first { $0.attribute("rlm.run_id") == .string("late") })
    let orphan = try #require(spans.first { $0.attribute("rlm.run_id") == .string("orphan") })
    #expect(late.traceID != parent.traceID)
    #expect(late.parentSpanID == nil)
    #expect(
      late.links == [
        SpanData.Link(
          traceID: parent.traceID, spanID: parent.spanID,
          attributes: [Attribute("rlm.link", .string("parent_run"))])
      ])
    #expect(orphan.links.isEmpty)
    #expect(orphan.parentSpanID == nil)
    #expect(sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func aRunThatNamesItselfAsParentIsNotItsOwnChild() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: "T", environment: "e", params: RunParams(parentRunID: "r"))
    test.sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    let run = try #require(test.flushedSpans().first)
    #expect(run.parentSpanID == nil)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func childrenOnManyThreadsAllLandUnderTheParentsStep() async throws {
    let test = TestSink { $0.maxQueueSize = 100_000 }
    let sink = test.sink
    sink.onRunStart(runID: "root", task: "T", environment: "e", params: RunParams(depth: 0))
    let children = 8
    let stepsEach = 50
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<children {
        group.addTask {
          let id = "child-\(worker)"
          sink.onRunStart(
            runID: id, task: "t", environment: "e", params: RunParams(parentRunID: "root", depth: 1))
          for step in 1...stepsEach {
            sink.onStep(runID: id, event: StepEvent(step: step), cumulativeReward: 0)
            sink.onRunStart(
              runID: "\(id)-\(step)", task: "t", environment: "e",
              params: RunParams(parentRunID: id, depth: 2))
            sink.onRunEnd(runID: "\(id)-\(step)", result: RunResult(), runPath: "")
          }
          sink.onRunEnd(runID: id, result: RunResult(), runPath: "")
        }
      }
    }
    sink.onStep(
      runID: "root", event: StepEvent(step: 1, action: StepAction(type: "delegate")), cumulativeReward: 0)
    sink.onRunEnd(runID: "root", result: RunResult(), runPath: "")
    let spans = test.flushedSpans()
    // Each child's last grandchild started after its last step: that step, never reported, is
    // exported with the reference's defaults (step 0) so that the grandchild's parent exists.
    #expect(spans.count == 2 + children * (1 + 2 * stepsEach + 1))
    #expect(spans.filter { $0.name == "rlm.step" && $0.attribute("rlm.step") == .int(0) }.count == children)
    #expect(Set(spans.map(\.traceID)).count == 1)
    let rootStep = try #require(
      spans.first { $0.name == "rlm.step" && $0.attribute("rlm.run_id") == .string("root") })
    let childRuns = spans.filter { $0.name == "rlm.run" && $0.attribute("rlm.depth") == .int(1) }
    #expect(childRuns.count == children)
    #expect(childRuns.allSatisfy { $0.parentSpanID == rootStep.spanID })
    // Every grandchild hangs under a step of its own parent.
    let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID, $0) })
    for grandchild in spans where grandchild.attribute("rlm.depth") == .int(2) {
      let step = try #require(grandchild.parentSpanID.flatMap { byID[$0] })
      #expect(step.name == "rlm.step")
      #expect(step.attribute("rlm.run_id") == grandchild.attribute("rlm.parent_run_id"))
    }
    #expect(sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func theConsoleTreeNestsChildRunsUnderTheirStep() {
    let printed = LockedValue("")
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.spanExporter = ConsoleSpanExporter(
      output: ConsoleOutput { text in printed.withLock { $0 += text } })
    configuration.environment = [:]
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    sink.onRunStart(runID: "p", task: "T", environment: "e", params: RunParams())
    sink.onRunStart(runID: "c", task: "sub", environment: "e", params: RunParams(parentRunID: "p", depth: 1))
    sink.onStep(runID: "c", event: StepEvent(step: 1), cumulativeReward: 0)
    sink.onRunEnd(runID: "c", result: RunResult(completed: true), runPath: "")
    sink.onStep(
      runID: "p", event: StepEvent(step: 1, action: StepAction(type: "delegate")), cumulativeReward: 0)
    sink.onRunEnd(runID: "p", result: RunResult(completed: true), runPath: "")
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    let text = printed.withLock { $0 }
    let lines = text.split(separator: "\n").filter { $0.contains("─ ") }.map {
      String($0.prefix { $0 != "[" })
    }
    #expect(lines == ["└─ rlm.run ", "   └─ rlm.step 1 ", "      └─ rlm.run ", "         └─ rlm.step 1 "])
    #expect(text.split(separator: "\n").filter { $0.hasPrefix("Trace ") }.count == 1, "one tree")
  }
}
