import ObservabilitySinks
import ObservabilitySinksTesting
import SinkSupport
import Testing

@Suite("Span limits set in code, on links and model-call spans")
struct SpanLimitsTests {
  @Test func limitsInCodeWinOverTheEnvironmentAndCountWhatTheyDrop() throws {
    let test = TestSink {
      $0.environment = ["OTEL_ATTRIBUTE_COUNT_LIMIT": "1", "OTEL_SPAN_EVENT_COUNT_LIMIT": "0"]
      $0.spanLimits = SpanLimits(spanAttributeCount: 3, eventCount: 1, eventAttributeCount: 0)
    }
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams(maxSteps: 2, model: "m"))
    test.sink.onStep(
      runID: "r",
      event: StepEvent(
        step: 1, action: StepAction(type: "run_python", code: "print(1)"),
        observation: StepObservation(success: true, output: "1"), reward: 1),
      cumulativeReward: 1)
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true, steps: 1, totalReward: 1), runPath: "p")
    let step = try #require(test.spans(named: "rlm.step").first)
    // The newest three of six; of two events the newer, its one attribute dropped (code wins: 0).
    #expect(step.attributes.map(\.key) == ["rlm.reward", "rlm.cumulative_reward", "rlm.success"])
    #expect(step.droppedAttributesCount == 3)
    #expect(step.events.map(\.name) == ["output"] && step.droppedEventsCount == 1)
    #expect(step.events[0].attributes.isEmpty && step.events[0].droppedAttributesCount == 1)
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.attributes.map(\.key) == ["rlm.total_steps", "rlm.total_reward", "rlm.run_path"])
    #expect(run.droppedAttributesCount == 6)
  }

  @Test func linksAndTheirAttributesAreBoundedToo() throws {
    let test = TestSink { $0.spanLimits = SpanLimits(attributeValueLength: 4, linkAttributeCount: 0) }
    test.sink.onRunStart(runID: "parent", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(
      runID: "parent", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")
    // A child started after its parent ended links to it (another trace).
    test.sink.onRunStart(
      runID: "child", task: "t", environment: "e", params: RunParams(parentRunID: "parent"))
    test.sink.onRunEnd(
      runID: "child", result: RunResult(completed: true, steps: 0, totalReward: 0),
      runPath: "runs/child.jsonl")
    let child = try #require(
      test.spans(named: "rlm.run").first { $0.attributes["rlm.run_id"] == .string("chil") })
    let link = try #require(child.links.first)
    #expect(link.attributes.isEmpty && link.droppedAttributesCount == 1)
    #expect(child.attributes["rlm.run_path"] == .string("runs"))

    let none = TestSink { $0.spanLimits = SpanLimits(linkCount: 0) }
    none.sink.onRunStart(runID: "parent", task: "t", environment: "e", params: RunParams())
    none.sink.onRunEnd(
      runID: "parent", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")
    none.sink.onRunStart(
      runID: "child", task: "t", environment: "e", params: RunParams(parentRunID: "parent"))
    none.sink.onRunEnd(
      runID: "child", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")
    let unlinked = try #require(
      none.spans(named: "rlm.run").first { $0.attributes["rlm.run_id"] == .string("child") })
    #expect(unlinked.links.isEmpty && unlinked.droppedLinksCount == 1)
  }

  @Test func modelCallSpansAreLimitedAndValuesCutByScalars() throws {
    let test = TestSink { $0.spanLimits = SpanLimits(spanAttributeValueLength: 2) }
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    let now = ContinuousClock.now
    test.sink.onLLMCall(runID: "r", call: LLMCall(model: "🇫🇷é🙂model", start: now, end: now))
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")
    let chat = try #require(test.flushedSpans().first { $0.name.hasPrefix("chat ") })
    // Two Unicode scalars: the flag's two regional indicators, never half of one.
    #expect(chat.attributes["gen_ai.request.model"] == .string("🇫🇷"))
    #expect(chat.name == "chat 🇫🇷é🙂model")
  }

  @Test func aNegativeLimitInCodeWarnsOnceAndIsUnset() {
    let logs = CapturedLogs()
    let test = TestSink {
      $0.spanLimits = SpanLimits(spanAttributeCount: -1)
      $0.logger = logs.logger
    }
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")
    #expect(test.spans(named: "rlm.run").first?.attributes.count == 9)
    let warnings = logs.messages.withLock { $0 }
    #expect(warnings.count == 1 && warnings[0].contains("spanLimits.spanAttributeCount (-1) is negative"))
  }
}
