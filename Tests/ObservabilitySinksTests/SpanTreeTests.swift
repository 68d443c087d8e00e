import Foundation
import ObservabilitySinksTesting
import Testing

@testable import ObservabilitySinks

@Suite("rlm.run and rlm.step spans, as python-sink.md specifies them")
struct SpanTreeTests {
  @Test func runSpanCarriesStartAttributesWithTheirTypes() throws {
    let test = TestSink()
    test.sink.onRunStart(
      runID: "r1", task: "Answer", environment: "dspy", params: RunParams(maxSteps: 7, model: "gpt-4o"))
    test.sink.onRunEnd(
      runID: "r1", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "p")
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.attribute("rlm.run_id") == .string("r1"))
    #expect(run.attribute("rlm.task") == .string("Answer"))
    #expect(run.attribute("rlm.environment") == .string("dspy"))
    #expect(run.attribute("rlm.max_steps") == .int(7))
    #expect(run.attribute("rlm.model") == .string("gpt-4o"))
    #expect(run.kind == .internal)
    #expect(run.parentSpanID == nil)
    #expect(run.flags == 0x100)
    #expect(run.traceState == "")
  }

  @Test func runParamsDefaultToZeroStepsAndUnknownModel() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r1", result: RunResult(), runPath: "")
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.attribute("rlm.max_steps") == .int(0))
    #expect(run.attribute("rlm.model") == .string("unknown"))
  }

  @Test func runEndAddsResultAttributesInOrderAndOkStatus() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(
      runID: "r1", result: RunResult(completed: true, steps: 3, totalReward: 1.5, finalAnswer: "42"),
      runPath: ".rlm_code/rlm/runs/r1.jsonl")
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(
      run.attributes.map(\.key) == [
        "rlm.run_id", "rlm.task", "rlm.environment", "rlm.max_steps", "rlm.model", "rlm.completed",
        "rlm.total_steps", "rlm.total_reward", "rlm.run_path",
      ])
    #expect(run.attribute("rlm.completed") == .bool(true))
    #expect(run.attribute("rlm.total_steps") == .int(3))
    #expect(run.attribute("rlm.total_reward") == .double(1.5))
    #expect(run.attribute("rlm.run_path") == .string(".rlm_code/rlm/runs/r1.jsonl"))
    #expect(run.status == .ok)
    let answer = try #require(run.event("final_answer"))
    #expect(answer.attributes == [Attribute("answer", .string("42"))])
    #expect(answer.timeUnixNano >= run.startTimeUnixNano && answer.timeUnixNano <= run.endTimeUnixNano)
  }

  @Test func incompleteRunEndsWithErrorRunDidNotComplete() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r1", result: RunResult(completed: false), runPath: "")
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.status == .error(message: "Run did not complete"))
  }

  @Test(arguments: [nil, ""] as [String?])
  func absentOrEmptyFinalAnswerAddsNoEvent(answer: String?) throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r1", result: RunResult(completed: true, finalAnswer: answer), runPath: "")
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.events.isEmpty)
  }

  @Test func stepSpanIsAChildOfTheRunWithTypedAttributes() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onStep(
      runID: "r1",
      event: StepEvent(
        step: 2, action: StepAction(type: "run_python"), observation: StepObservation(success: true),
        reward: 0.25),
      cumulativeReward: 0.75)
    test.sink.onRunEnd(runID: "r1", result: RunResult(), runPath: "")
    let spans = test.flushedSpans()
    let run = try #require(spans.first { $0.name == "rlm.run" })
    let step = try #require(spans.first { $0.name == "rlm.step" })
    #expect(step.traceID == run.traceID)
    #expect(step.parentSpanID == run.spanID)
    #expect(step.kind == .internal && step.flags == 0x100)
    #expect(
      step.attributes == [
        Attribute("rlm.run_id", .string("r1")), Attribute("rlm.step", .int(2)),
        Attribute("rlm.action_type", .string("run_python")), Attribute("rlm.reward", .double(0.25)),
        Attribute("rlm.cumulative_reward", .double(0.75)), Attribute("rlm.success", .bool(true)),
      ])
  }

  @Test func codeAndOutputEventsOnlyWhenNonEmpty() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onStep(
      runID: "r1",
      event: StepEvent(
        step: 1, action: StepAction(type: "a", code: "x = 1"), observation: StepObservation(output: "1")),
      cumulativeReward: 0)
    test.sink.onStep(
      runID: "r1", event: StepEvent(step: 2, action: StepAction(type: "a", code: "")), cumulativeReward: 0)
    test.sink.onStep(
      runID: "r1", event: StepEvent(step: 3, observation: StepObservation(output: "only output")),
      cumulativeReward: 0)
    let steps = test.spans(named: "rlm.step").sorted { $0.startTimeUnixNano < $1.startTimeUnixNano }
    #expect(steps.map { $0.events.map(\.name) } == [["code_execution", "output"], [], ["output"]])
    #expect(steps[0].event("code_execution")?.attributes == [Attribute("code", .string("x = 1"))])
    #expect(steps[0].event("output")?.attributes == [Attribute("output", .string("1"))])
    for step in steps {
      for event in step.events {
        #expect(event.timeUnixNano >= step.startTimeUnixNano && event.timeUnixNano <= step.endTimeUnixNano)
      }
    }
  }

  @Test func stepStatusIsOkOnSuccessErrorWithMessageElseUnset() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    let observations = [
      StepObservation(success: true, error: "ignored when successful"),
      StepObservation(success: false, error: "boom"),
      StepObservation(success: false, error: ""),
      StepObservation(success: false, error: nil),
    ]
    for (index, observation) in observations.enumerated() {
      test.sink.onStep(
        runID: "r1", event: StepEvent(step: index, observation: observation), cumulativeReward: 0)
    }
    let statuses = test.spans(named: "rlm.step").sorted { $0.startTimeUnixNano < $1.startTimeUnixNano }.map(
      \.status)
    #expect(statuses == [.ok, .error(message: "boom"), .unset, .unset])
  }

  @Test func stepDefaultsMatchTheReference() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r1", task: "t", environment: "e", params: RunParams())
    test.sink.onStep(runID: "r1", event: StepEvent(), cumulativeReward: 0)
    let step = try #require(test.spans(named: "rlm.step").first)
    #expect(step.attribute("rlm.step") == .int(0))
    #expect(step.attribute("rlm.action_type") == .string("unknown"))
    #expect(step.attribute("rlm.reward") == .double(0))
    #expect(step.attribute("rlm.success") == .bool(false))
    #expect(step.events.isEmpty && step.status == .unset)
  }

  @Test func stepSpanCoversTheStepFromThePreviousEnd() throws {
    let test = TestSink()
    // The recorder's clock, given: each step takes 2 ms more than the one before.
    let start: UInt64 = 1_700_000_000_000_000_000
    test.sink.startRun(
      runID: "r1", task: "t", environment: "e", params: RunParams(), parent: nil, at: start)
    var now = start
    for step in 1...3 {
      now += UInt64(step) * 2_000_000
      test.sink.recorder?.stepFinished(
        runID: "r1", event: StepEvent(step: step), cumulativeReward: 0, at: now)
    }
    test.sink.recorder?.runEnded(runID: "r1", result: RunResult(), runPath: "", at: now + 1_000_000)
    let spans = test.flushedSpans()
    let run = try #require(spans.first { $0.name == "rlm.run" })
    let steps = spans.filter { $0.name == "rlm.step" }.sorted { $0.startTimeUnixNano < $1.startTimeUnixNano }
    #expect(steps.count == 3)
    #expect(steps[0].startTimeUnixNano == run.startTimeUnixNano)
    #expect(steps[1].startTimeUnixNano == steps[0].endTimeUnixNano)
    #expect(steps[2].startTimeUnixNano == steps[1].endTimeUnixNano)
    #expect(steps.map { $0.endTimeUnixNano - $0.startTimeUnixNano } == [2_000_000, 4_000_000, 6_000_000])
    #expect(run.endTimeUnixNano - run.startTimeUnixNano == 13_000_000)
  }

  @Test func hooksForUnknownRunIdsRecordNothing() throws {
    let test = TestSink()
    test.sink.onStep(runID: "ghost", event: StepEvent(step: 1, reward: 1), cumulativeReward: 1)
    test.sink.onRunEnd(
      runID: "ghost",
      result: RunResult(
        completed: true, startedAt: ISO8601Timestamp("2025-01-01T00:00:00"),
        finishedAt: ISO8601Timestamp("2025-01-01T00:00:01")), runPath: "")
    #expect(test.flushedSpans().isEmpty)
    #expect(test.metrics.exportedCollections.allSatisfy { $0.isEmpty })
    #expect(test.sink.traceID(forRun: "ghost") == nil)
    #expect(test.sink.status().spansRecorded == 0)
  }

  @Test func secondStartWithTheSameIdEndsTheReplacedSpanWithError() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "dup", task: "first", environment: "e", params: RunParams())
    let firstTrace = test.sink.traceID(forRun: "dup")
    test.sink.onRunStart(runID: "dup", task: "second", environment: "e", params: RunParams())
    let secondTrace = test.sink.traceID(forRun: "dup")
    test.sink.onRunEnd(runID: "dup", result: RunResult(completed: true), runPath: "")
    let runs = test.spans(named: "rlm.run")
    #expect(runs.count == 2)
    let replaced = try #require(runs.first { $0.attribute("rlm.task") == .string("first") })
    let current = try #require(runs.first { $0.attribute("rlm.task") == .string("second") })
    #expect(replaced.status == .error(message: "superseded by a new run with the same id"))
    #expect(replaced.traceID.hex == firstTrace && current.traceID.hex == secondTrace)
    #expect(firstTrace != secondTrace)
    #expect(current.status == .ok)
    #expect(test.sink.status().runsSuperseded == 1)
    #expect(test.sumPoints("rlm.runs").first?.value == 2)
  }

  @Test func traceIdAnswersWhileActiveAndForRecentlyEndedRunsOnly() throws {
    let test = TestSink { $0.recentRunCapacity = 2 }
    #expect(test.sink.traceID(forRun: "a") == nil)
    test.sink.onRunStart(runID: "a", task: "t", environment: "e", params: RunParams())
    let active = try #require(test.sink.traceID(forRun: "a"))
    #expect(active.count == 32 && active.allSatisfy { "0123456789abcdef".contains($0) })
    test.sink.onRunEnd(runID: "a", result: RunResult(), runPath: "")
    #expect(test.sink.traceID(forRun: "a") == active)
    for other in ["b", "c"] {
      test.sink.onRunStart(runID: other, task: "t", environment: "e", params: RunParams())
      test.sink.onRunEnd(runID: other, result: RunResult(), runPath: "")
    }
    #expect(test.sink.traceID(forRun: "a") == nil)
    #expect(test.sink.traceID(forRun: "b") != nil && test.sink.traceID(forRun: "c") != nil)
    let exported = test.spans(named: "rlm.run").first { $0.attribute("rlm.run_id") == .string("a") }
    #expect(exported?.traceID.hex == active)
  }

  @Test func everyRunGetsANewNonZeroTraceIdAndSpanIdsAreUnique() throws {
    let test = TestSink()
    for index in 0..<200 {
      test.sink.onRunStart(runID: "r\(index)", task: "t", environment: "e", params: RunParams())
      test.sink.onStep(runID: "r\(index)", event: StepEvent(step: 1), cumulativeReward: 0)
      test.sink.onRunEnd(runID: "r\(index)", result: RunResult(), runPath: "")
    }
    let spans = test.flushedSpans()
    #expect(spans.count == 400)
    #expect(Set(spans.filter { $0.name == "rlm.run" }.map(\.traceID)).count == 200)
    #expect(Set(spans.map(\.spanID)).count == 400)
    #expect(spans.allSatisfy { $0.traceID.isValid && $0.spanID.isValid })
  }

  @Test func twoSinksInOneProcessKeepTheirOwnState() throws {
    let first = TestSink()
    let second = TestSink()
    first.sink.onRunStart(runID: "shared", task: "t", environment: "e", params: RunParams())
    #expect(second.sink.traceID(forRun: "shared") == nil)
    second.sink.onStep(runID: "shared", event: StepEvent(step: 1), cumulativeReward: 0)
    first.sink.onRunEnd(runID: "shared", result: RunResult(), runPath: "")
    #expect(first.flushedSpans().count == 1)
    #expect(second.flushedSpans().isEmpty)
  }

  @Test func disabledSinkRecordsNothingAndSaysSo() {
    let spans = InMemorySpanExporter()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.spanExporter = spans
    let sink = OpenTelemetrySink(enabled: false, configuration: configuration)
    sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    sink.syncForceFlush()
    #expect(spans.finishedSpans.isEmpty)
    #expect(sink.traceID(forRun: "r") == nil)
    #expect(
      sink.status().dictionary == [
        "name": .string("opentelemetry"), "enabled": .bool(false), "available": .bool(false),
        "detail": .string("disabled"), "service_name": .string("rlm-code"), "metrics_enabled": .bool(true),
      ])
  }

  @Test func resourceAndScopeIdentifyServiceAndLibrary() throws {
    let test = TestSink {
      $0.resourceAttributes = [
        Attribute("deployment.environment", .string("test")), Attribute("service.name", .string("loses")),
      ]
    }
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    _ = test.flushedSpans()
    let source = try #require(test.spans.sources.first)
    let attributes = source.resource.attributes
    #expect(attributes["service.name"] == .string("rlm-code"))
    #expect(attributes["telemetry.sdk.language"] == .string("swift"))
    #expect(attributes["deployment.environment"] == .string("test"))
    #expect(attributes["service.instance.id"] != nil && attributes["telemetry.sdk.name"] != nil)
    #expect(attributes["telemetry.sdk.version"] != nil)
    #expect(Set(attributes.map(\.key)).count == attributes.count)
    #expect(source.scope.name == "ObservabilitySinks" && !source.scope.version.isEmpty)
  }
}
