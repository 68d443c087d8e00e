import ObservabilitySinks
import ObservabilitySinksTesting
import SinkReplay
import Testing

/// Hook calls recorded from the real rlm-code 0.1.13 runtime (Fixtures/rlm-code), replayed:
/// one trace per recursion, children under the step they ran in, usage on every step, outputs
/// from stdout, answers from `final_response`.
@Suite("Recordings of the real rlm-code runtime")
struct RecordedRuntimeTests {
  static let recursive = ["recursive_sequential", "recursive_concurrent"]

  /// What each recording's parent steps spawned: `on_run_start` calls with a `parent_run_id`, by
  /// child id, from the script itself (not from what the sink exported).
  static func scriptedParents(_ name: String) throws -> [String: String] {
    guard case .array(let calls) = try JSONValue(parsing: try fixture("rlm-code/\(name)/script.json")) else {
      return [:]
    }
    var parents: [String: String] = [:]
    for call in calls where call["hook"] == .string("on_run_start") {
      if case .string(let child)? = call["run_id"],
        case .string(let parent)? = call["params"]?["parent_run_id"]
      {
        parents[child] = parent
      }
    }
    return parents
  }

  static func replay(_ name: String) throws -> [SpanData] {
    let script = try HookScript(json: try fixture("rlm-code/\(name)/script.json"))
    let test = TestSink()
    _ = HookScriptPlayer(sleepScale: 0).play(script, on: test.sink)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
    #expect(test.sink.status().spansDropped == 0)
    return test.spans.finishedSpans
  }

  @Test(arguments: recursive)
  func aRecursiveRunIsOneTraceWithEachChildUnderTheStepThatStartedIt(name: String) throws {
    let spans = try Self.replay(name)
    let parents = try Self.scriptedParents(name)
    #expect(parents.count >= 2)
    #expect(Set(spans.map(\.traceID)).count == 1, "one trace for the whole recursion")
    let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID, $0) })
    let runs = spans.filter { $0.name == "rlm.run" }
    for run in runs {
      guard case .string(let runID)? = run.attribute("rlm.run_id") else { continue }
      guard let parentRunID = parents[runID] else {
        #expect(run.parentSpanID == nil, "the top run is the trace's root")
        #expect(run.attribute("rlm.depth") == .int(0))
        continue
      }
      #expect(run.attribute("rlm.parent_run_id") == .string(parentRunID))
      let step = try #require(run.parentSpanID.flatMap { byID[$0] }, "\(runID)'s parent span is exported")
      #expect(step.name == "rlm.step")
      #expect(step.attribute("rlm.run_id") == .string(parentRunID))
      // The step that started the child is a delegating one, and its span covers the child.
      guard case .string(let action)? = step.attribute("rlm.action_type") else { continue }
      #expect(action.hasPrefix("delegate"), "\(runID) hangs under \(action)")
      #expect(step.startTimeUnixNano <= run.startTimeUnixNano && run.endTimeUnixNano <= step.endTimeUnixNano)
      let parentDepth = runs.first { $0.attribute("rlm.run_id") == .string(parentRunID) }?.attribute(
        "rlm.depth")
      if case .int(let depth)? = parentDepth { #expect(run.attribute("rlm.depth") == .int(depth + 1)) }
    }
  }

  @Test(arguments: recursive + ["basic", "unfinished"])
  func everyStepCarriesItsTokenUsageAndEveryEndedRunItsSummary(name: String) throws {
    let spans = try Self.replay(name)
    for step in spans where step.name == "rlm.step" {
      for key in ["rlm.usage.calls", "rlm.usage.prompt_tokens", "rlm.usage.completion_tokens"] {
        guard case .int? = step.attribute(key) else {
          Issue.record("\(key) missing on a step of \(name)")
          continue
        }
      }
      #expect(step.attribute("rlm.usage.root.prompt_tokens") != nil)
      #expect(step.attribute("rlm.usage.sub.calls") != nil)
    }
    for run in spans where run.name == "rlm.run" {
      guard case .int(let prompt)? = run.attribute("rlm.usage.prompt_tokens") else {
        Issue.record("no usage summary on \(String(describing: run.attribute("rlm.run_id")))")
        continue
      }
      #expect(prompt > 0)
    }
  }

  @Test func stdoutBecomesTheOutputEventAndStderrTheErrorOfAFailedStep() throws {
    let spans = try Self.replay("basic").filter { $0.name == "rlm.step" }.sorted {
      $0.startTimeUnixNano < $1.startTimeUnixNano
    }
    #expect(spans.count == 3)
    guard case .string(let output)? = spans[0].event("output")?.attributes["output"] else {
      Issue.record("the first run_python step has no output event")
      return
    }
    #expect(!output.isEmpty)
    // The failing run_python: partial stdout as output, the KeyError traceback as its error.
    #expect(spans[1].event("output") != nil)
    guard case .error(let message) = spans[1].status else {
      Issue.record("the failing step is not ERROR: \(spans[1].status)")
      return
    }
    #expect(message.contains("KeyError"))
    #expect(message.unicodeScalars.count <= 200)
    // A `final` step's observation has no `success`: UNSET, as the reference does.
    #expect(spans[2].attribute("rlm.action_type") == .string("final"))
    #expect(spans[2].status == .unset)
  }

  @Test func finalResponseBecomesTheFinalAnswer() throws {
    let run = try #require(try Self.replay("basic").first { $0.name == "rlm.run" })
    guard case .string(let answer)? = run.event("final_answer")?.attributes["answer"] else {
      Issue.record("no final_answer event")
      return
    }
    #expect(!answer.isEmpty)
    #expect(run.status == .ok)
  }

  @Test func aRunOutOfStepsIsAnErrorWithTheResponseItGaveUpWith() throws {
    let run = try #require(try Self.replay("unfinished").first { $0.name == "rlm.run" })
    #expect(run.attribute("rlm.completed") == .bool(false))
    #expect(run.status == .error(message: "Run did not complete"))
    // rlm-code still reports a final_response when the budget runs out.
    #expect(run.event("final_answer") != nil)
  }

  @Test func theTraceIDLookupAnswersTheParentsTraceForAChildFromItsStart() throws {
    let script = try HookScript(json: try fixture("rlm-code/recursive_sequential/script.json"))
    let test = TestSink()
    let observations = HookScriptPlayer(sleepScale: 0).play(script, on: test.sink)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
    let answers = Set(observations.compactMap(\.traceID))
    #expect(answers.count == 1)
    #expect(answers.first == test.spans.finishedSpans.first?.traceID.hex)
    #expect(observations.count >= 8)
  }

  @Test func tokensAreCountedOnceFromTheTopRunsSummary() throws {
    let script = try HookScript(json: try fixture("rlm-code/recursive_sequential/script.json"))
    let test = TestSink()
    _ = HookScriptPlayer(sleepScale: 0).play(script, on: test.sink)
    let points = test.sumPoints("rlm.tokens")
    #expect(test.metric("rlm.tokens")?.unit == "{token}")
    let byKey = Dictionary(
      uniqueKeysWithValues: points.map { point in
        (
          "\(point.attributes["rlm.token.type"]?.description ?? "")/\(point.attributes["rlm.model.role"]?.description ?? "")",
          point.value
        )
      })
    // The top run's usage_summary (roles.root: 6676 prompt, 534 completion; roles.sub: none).
    #expect(byKey == ["\"prompt\"/\"root\"": 6676, "\"completion\"/\"root\"": 534])
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }
}
