import ObservabilitySinks
import ObservabilitySinksTesting
import SinkReplay
import SinkSupport
import Testing

@Suite("Sub-LM calls (onLLMCall) and the LLM-observability conventions")
struct ModelCallTests {
  static func call(
    _ model: String = "gpt-4o-mini", role: ModelRole = .sub, prompt: Int? = 412, completion: Int? = 38,
    error: String? = nil
  ) -> LLMCall {
    let end = ContinuousClock.now
    return LLMCall(
      model: model, role: role, provider: "openai", promptTokens: prompt, completionTokens: completion,
      start: end - .milliseconds(250), end: end, error: error, prompt: "What is 2+2?", response: "4")
  }

  /// A run with one step in progress that makes `calls`, then ends.
  static func run(_ test: TestSink, calls: [LLMCall], params: RunParams = RunParams()) {
    test.sink.onRunStart(runID: "r", task: "Add", environment: "e", params: params)
    for call in calls { test.sink.onLLMCall(runID: "r", call: call) }
    test.sink.onStep(
      runID: "r", event: StepEvent(step: 1, action: StepAction(type: "llm_query", code: "q()")),
      cumulativeReward: 0)
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true, finalAnswer: "4"), runPath: "")
  }

  @Test func aCallIsAClientChatSpanUnderTheStepInProgress() throws {
    let test = TestSink()
    Self.run(test, calls: [Self.call()])
    let spans = test.flushedSpans()
    let chat = try #require(spans.first { $0.name == "chat gpt-4o-mini" })
    let step = try #require(spans.first { $0.name == "rlm.step" })
    #expect(chat.kind == .client)
    #expect(chat.parentSpanID == step.spanID)
    #expect(chat.traceID == step.traceID)
    let duration = chat.endTimeUnixNano - chat.startTimeUnixNano
    #expect(duration >= 249_000_000 && duration <= 251_000_000, "\(duration)")
    #expect(chat.attribute("gen_ai.operation.name") == .string("chat"))
    #expect(chat.attribute("gen_ai.request.model") == .string("gpt-4o-mini"))
    #expect(chat.attribute("gen_ai.provider.name") == .string("openai"))
    #expect(chat.attribute("gen_ai.usage.input_tokens") == .int(412))
    #expect(chat.attribute("gen_ai.usage.output_tokens") == .int(38))
    #expect(chat.attribute("rlm.model.role") == .string("sub"))
    #expect(chat.status == .unset)
    // Content capture is off by default.
    #expect(!chat.attributes.contains { $0.key.contains("messages") || $0.key.hasSuffix(".value") })
    // No conventions by default: the reference's spans carry none of their attributes.
    #expect(!spans.contains { $0.attribute("openinference.span.kind") != nil })
    let run = try #require(spans.first { $0.name == "rlm.run" })
    #expect(!run.attributes.contains { $0.key.hasPrefix("gen_ai.") })
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func aFailedCallIsAnErrorAndACallForAnUnknownRunIsIgnored() throws {
    let test = TestSink()
    test.sink.onLLMCall(runID: "nobody", call: Self.call())
    Self.run(test, calls: [Self.call(error: "rate limited")])
    let chats = test.spans(named: "chat gpt-4o-mini")
    #expect(chats.count == 1)
    #expect(chats.first?.status == .error(message: "rate limited"))
    #expect(chats.first?.attribute("error.type") == .string("_OTHER"))
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func callsAreCountedInRLMTokensAndTheRunSummaryIsNotCountedAgain() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: "Add", environment: "e", params: RunParams())
    test.sink.onLLMCall(runID: "r", call: Self.call(role: .root, prompt: 100, completion: 10))
    test.sink.onLLMCall(runID: "r", call: Self.call(role: .sub, prompt: 7, completion: 3))
    let usage = UsageReport(total: TokenUsage(calls: 2, promptTokens: 107, completionTokens: 13))
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true, usage: usage), runPath: "")
    let values = Dictionary(
      uniqueKeysWithValues: test.sumPoints("rlm.tokens").map {
        ("\($0.attributes["rlm.token.type"]!)/\($0.attributes["rlm.model.role"]!)", $0.value)
      })
    #expect(
      values == [
        "\"prompt\"/\"root\"": 100, "\"completion\"/\"root\"": 10, "\"prompt\"/\"sub\"": 7,
        "\"completion\"/\"sub\"": 3,
      ])
    // GenAI metrics only with the conventions on.
    #expect(test.metric("gen_ai.client.token.usage") == nil)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func runsWithoutUsageExportNoTokenMetric() {
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: "Add", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true), runPath: "")
    #expect(test.metric("rlm.tokens") == nil)
    #expect(test.metric("rlm.runs") != nil)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func genAIConventionsAddInvokeAgentAndTheClientMetrics() throws {
    let test = TestSink { $0.conventions = .genAI }
    Self.run(test, calls: [Self.call()], params: RunParams(model: "gpt-4o", sessionID: "s-1"))
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.attribute("gen_ai.operation.name") == .string("invoke_agent"))
    #expect(run.attribute("gen_ai.agent.name") == .string("rlm"))
    #expect(run.attribute("gen_ai.request.model") == .string("gpt-4o"))
    #expect(run.attribute("gen_ai.conversation.id") == .string("s-1"))
    let usage = try #require(test.metric("gen_ai.client.token.usage"))
    #expect(usage.unit == "{token}")
    guard case .histogram(let points, _) = usage.points else {
      Issue.record("not a histogram")
      return
    }
    #expect(points.count == 2)
    #expect(points.allSatisfy { $0.explicitBounds.first == 1 && $0.explicitBounds.last == 67_108_864 })
    #expect(
      Set(points.compactMap { $0.attributes["gen_ai.token.type"]?.description }) == [
        "\"input\"", "\"output\"",
      ])
    let duration = try #require(test.histogramPoints("gen_ai.client.operation.duration").first)
    #expect(duration.explicitBounds.first == 0.01 && duration.explicitBounds.last == 81.92)
    #expect(duration.count == 1)
    #expect(abs(duration.sum - 0.25) < 0.002)
    #expect(test.metric("gen_ai.client.operation.duration")?.unit == "s")
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func manyModelsOverflowIntoOneSeriesAndFailedCallsHaveTheirOwn() throws {
    let test = TestSink {
      $0.conventions = .genAI
      $0.cardinalityLimit = 3
    }
    test.sink.onRunStart(runID: "r", task: "Add", environment: "e", params: RunParams())
    for index in 0..<20 {
      test.sink.onLLMCall(runID: "r", call: Self.call("model-\(index % 5)", prompt: 10, completion: 1))
    }
    test.sink.onLLMCall(runID: "r", call: Self.call("model-0", error: "timeout"))
    test.sink.onRunEnd(runID: "r", result: RunResult(completed: true), runPath: "")
    let usage = test.histogramPoints("gen_ai.client.token.usage")
    #expect(usage.count <= 4, "3 series of their own and the overflow one")
    #expect(usage.contains { $0.attributes["otel.metric.overflow"] == .bool(true) })
    let inputCount = usage.filter { $0.attributes["gen_ai.token.type"] != .string("output") }.reduce(0) {
      $0 + $1.count
    }
    #expect(usage.reduce(0) { $0 + $1.count } == 42, "every call's input and output, overflow included")
    #expect(inputCount >= 21)
    let durations = test.histogramPoints("gen_ai.client.operation.duration")
    #expect(durations.reduce(0) { $0 + $1.count } == 21)
    let tokens = test.sumPoints("rlm.tokens").reduce(0) { $0 + $1.value }
    #expect(tokens == 20 * 11 + 450)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func openInferenceKindsAndTokenCountsOnlyOnLLMSpans() throws {
    let test = TestSink { $0.conventions = .openInference }
    Self.run(test, calls: [Self.call()], params: RunParams(sessionID: "s-1", userID: "u-1"))
    let spans = test.flushedSpans()
    let kinds = Dictionary(
      uniqueKeysWithValues: spans.map { ($0.name, $0.attribute("openinference.span.kind")) })
    #expect(
      kinds == [
        "rlm.run": .string("AGENT"), "rlm.step": .string("CHAIN"), "chat gpt-4o-mini": .string("LLM"),
      ])
    #expect(
      spans.allSatisfy {
        $0.attribute("session.id") == .string("s-1") && $0.attribute("user.id") == .string("u-1")
      })
    for span in spans {
      let hasCounts = span.attributes.contains { $0.key.hasPrefix("llm.token_count.") }
      #expect(hasCounts == (span.name == "chat gpt-4o-mini"), "\(span.name)")
    }
    let chat = try #require(spans.first { $0.name.hasPrefix("chat") })
    #expect(chat.attribute("llm.token_count.total") == .int(450))
    #expect(chat.attribute("llm.model_name") == .string("gpt-4o-mini"))
    let run = try #require(spans.first { $0.name == "rlm.run" })
    #expect(run.attribute("input.value") == .string("Add"))
    #expect(run.attribute("output.value") == .string("4"))
    let step = try #require(spans.first { $0.name == "rlm.step" })
    #expect(step.attribute("input.value") == .string("q()"))
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func contentIsCapturedOnlyWhenAskedFor() throws {
    let test = TestSink {
      $0.conventions = [.genAI, .openInference]
      $0.environment = ["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true"]
    }
    Self.run(test, calls: [Self.call()])
    let chat = try #require(test.flushedSpans().first { $0.name.hasPrefix("chat") })
    #expect(chat.attribute("input.value") == .string("What is 2+2?"))
    #expect(chat.attribute("output.value") == .string("4"))
    #expect(
      chat.attribute("gen_ai.input.messages")
        == .string(#"[{"role":"user","parts":[{"type":"text","content":"What is 2+2?"}]}]"#))
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test(arguments: [
    (["DSPY_RLM_OTEL_CONVENTIONS": "genai, OpenInference"], true, true),
    (["DSPY_RLM_OTEL_CONVENTIONS": "openinference,bogus"], false, true),
    (["OTEL_SEMCONV_STABILITY_OPT_IN": "http,gen_ai_latest_experimental"], true, false),
    ([:], false, false),
  ])
  func conventionsComeFromTheEnvironment(environment: [String: String], genAI: Bool, openInference: Bool)
    throws
  {
    let logs = CapturedLogs()
    let test = TestSink {
      $0.environment = environment
      $0.logger = logs.logger
    }
    Self.run(test, calls: [Self.call()])
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect((run.attribute("gen_ai.operation.name") != nil) == genAI)
    #expect((run.attribute("openinference.span.kind") != nil) == openInference)
    let warned = logs.messages.withLock { $0 }.filter { $0.contains("DSPY_RLM_OTEL_CONVENTIONS") }
    #expect(warned.count == (environment.values.contains { $0.contains("bogus") } ? 1 : 0), "\(warned)")
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }

  @Test func aTrajectoryLogReplaysAsOneTreeWithModelCalls() throws {
    var bad: [HookScriptError] = []
    let text = try fixture("rlm-code/trajectory/recursive.jsonl")
    let script = HookScript.mergedByTime([
      HookScript(trajectory: Array(text.utf8), file: "t.jsonl", badLines: &bad)
    ])
    #expect(bad.isEmpty)
    let test = TestSink { $0.conventions = .openInference }
    _ = HookScriptPlayer(sleepScale: 0).play(script, on: test.sink)
    let spans = test.flushedSpans()
    #expect(Set(spans.map(\.traceID)).count == 1)
    let runs = spans.filter { $0.name == "rlm.run" }
    #expect(runs.count >= 2)
    let chats = spans.filter { $0.name.hasPrefix("chat ") }
    #expect(!chats.isEmpty)
    let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID, $0) })
    #expect(chats.allSatisfy { $0.parentSpanID.flatMap { byID[$0] }?.name == "rlm.step" })
    #expect(chats.contains { $0.attribute("rlm.model.role") == .string("sub") })
    #expect(
      chats.allSatisfy {
        if case .int(let n)? = $0.attribute("llm.token_count.prompt") { n > 0 } else { false }
      })
    #expect(test.sumPoints("rlm.tokens").reduce(0) { $0 + $1.value } > 0)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))
  }
}
