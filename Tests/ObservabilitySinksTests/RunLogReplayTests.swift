import ObservabilitySinks
import ObservabilitySinksTesting
import SinkReplay
import Testing

@Suite("Replaying a runtime's run log after the fact")
struct RunLogReplayTests {
  static let log = """
    {"type": "context", "run_id": "r9", "environment": "generic", "timestamp": "2025-01-15T10:00:00.000000+00:00"}
    {"type": "step", "run_id": "r9", "environment": "generic", "task": "Sum", "timestamp": "2025-01-15T10:00:01.250000+00:00", "step": 1, "action": {"action": "run_python", "code": "print(1+2)"}, "observation": {"success": true, "output": "3"}, "reward": 0.5}
    {"type": "step", "run_id": "r9", "environment": "generic", "task": "Sum", "timestamp": "2025-01-15T10:00:01.500000+00:00", "step": 2, "action": {"action": "submit"}, "observation": {"success": true}, "reward": 0.25}

    {"type": "final", "run_id": "r9", "timestamp": "2025-01-15T10:00:02.000000+00:00", "completed": true, "steps": 2, "total_reward": 0.75, "final_response": "3"}
    {"type": "step", "run_id": "cut", "task": "Interrupted", "timestamp": "2025-01-15T11:00:00+00:00", "step": 1, "reward": 1}
    """

  @Test func spansCarryTheLoggedTimesTasksAndAnswers() throws {
    let script = try HookScript(runLog: Self.log, runPath: "runs/r9.jsonl")
    let test = TestSink()
    _ = HookScriptPlayer(sleepScale: 0).play(script, on: test.sink)
    let spans = test.flushedSpans()
    let run = try #require(
      spans.first { $0.attribute("rlm.run_id") == .string("r9") && $0.name == "rlm.run" })
    let start: UInt64 = 1_736_935_200_000_000_000  // 2025-01-15T10:00:00Z
    #expect(run.startTimeUnixNano == start)
    #expect(run.endTimeUnixNano == start + 2_000_000_000)
    #expect(run.attribute("rlm.task") == .string("Sum"))
    #expect(run.attribute("rlm.run_path") == .string("runs/r9.jsonl"))
    #expect(run.event("final_answer")?.attributes == [Attribute("answer", .string("3"))])
    let steps = spans.filter { $0.name == "rlm.step" && $0.traceID == run.traceID }.sorted {
      $0.startTimeUnixNano < $1.startTimeUnixNano
    }
    // A step's line is stamped when its action starts: the step ends when the next line begins.
    #expect(steps.map(\.startTimeUnixNano) == [start, start + 1_500_000_000])
    #expect(steps.map(\.endTimeUnixNano) == [start + 1_500_000_000, start + 2_000_000_000])
    #expect(steps.map { $0.attribute("rlm.cumulative_reward") } == [.double(0.5), .double(0.75)])
    let duration = try #require(test.histogramPoints("rlm.run_duration").first)
    #expect(duration.sum == 2.0)
  }

  @Test func aRunWithoutFinalEventEndsNotCompleted() throws {
    let script = try HookScript(runLog: Self.log, runPath: "p")
    let test = TestSink()
    _ = HookScriptPlayer(sleepScale: 0).play(script, on: test.sink)
    let cut = try #require(
      test.spans(named: "rlm.run").first { $0.attribute("rlm.run_id") == .string("cut") })
    #expect(cut.status == .error(message: "Run did not complete"))
    #expect(cut.attribute("rlm.task") == .string("Interrupted"))
  }

  @Test func aLineThatIsNotAnEventIsAnErrorNamingIt() {
    #expect(throws: HookScriptError.self) { try HookScript(runLog: "{\"type\": \"step\"}\n", runPath: "p") }
    #expect(throws: HookScriptError.self) { try HookScript(runLog: "not json\n", runPath: "p") }
  }

  @Test func malformedHookScriptsAreRefusedWithTheElement() {
    #expect(throws: HookScriptError.self) { try HookScript(json: "{}") }
    #expect(throws: HookScriptError.self) { try HookScript(json: #"[{"hook": "on_fly"}]"#) }
    #expect(throws: HookScriptError.self) { try HookScript(json: #"[{"hook": "on_step"}]"#) }
    #expect(throws: HookScriptError.self) { try HookScript(json: #"[{"hook": "sleep", "ms": -1}]"#) }
  }
}
