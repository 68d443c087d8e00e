import ObservabilitySinks

extension HookScript {
  /// Reads rlm-code's trajectory log (`rlm_code.rlm.trajectory.TrajectoryLogger`, JSONL: one event
  /// per line with `event_type`, `timestamp` in Unix seconds, `run_id`, `iteration`, and `depth`,
  /// `parent_id`, `data`, `tokens_in`, `tokens_out`, `duration_ms` when they apply) as hook calls.
  ///
  /// `run_start` starts a run (its `data.task`, `data.model`, `data.metadata.environment`; a child
  /// names its parent in `parent_id`), `iteration_end` is a step with the code and output the
  /// iteration logged, `llm_response` / `sub_llm_response` are model calls (root / sub; tokens from
  /// the request, start time from `duration_ms`), an `error` event is the failing step's error,
  /// `final_detected` gives the answer and `run_end` ends the run. Other event types are skipped.
  /// A run with no `run_end` ends, not completed, at its last event. Bad lines are skipped and
  /// returned, as for run logs.
  package init(trajectory bytes: [UInt8], file: String, badLines: inout [HookScriptError]) {
    let log = RunLog(bytes: bytes, file: file, timestamps: .unixSeconds)
    badLines += log.badLines
    var reader = TrajectoryReader(file: file)
    for (runID, event) in log.events { reader.read(runID: runID, event: event) }
    reader.endUnfinishedRuns()
    self.init(calls: reader.calls, times: reader.times)
  }
}

/// What the trajectory reader keeps per run between its events.
private struct TrajectoryRun {
  var model: String
  var code: String?
  var output: String?
  var error: String?
  var answer: String?
  var prompts: [String: (text: String?, tokens: Int?)] = [:]
  var cumulativeReward = 0.0
  var steps = 0
  var lastTime: UInt64?
  var ended = false
}

private struct TrajectoryReader {
  let file: String
  var calls: [HookScript.Call] = []
  var times: [UInt64?] = []
  private var runs: [String: TrajectoryRun] = [:]
  private var order: [String] = []

  init(file: String) {
    self.file = file
  }

  mutating func read(runID: String, event: JSONValue) {
    let time = event["timestamp"]?.numberValue.map { UInt64(($0 * 1e9).rounded()) }
    let data = event["data"] ?? .object([])
    let type = event["event_type"].map(\.pythonString) ?? ""
    if type == "run_start" || runs[runID] == nil {
      start(runID: runID, event: event, data: data, time: time)
      if type == "run_start" { return }
    }
    if let time { runs[runID]?.lastTime = time }
    switch type {
    case "llm_request", "sub_llm_request":
      runs[runID]?.prompts[type] = (data["prompt"].flatMap(\.truthyText), event["tokens_in"]?.integerValue)
    case "llm_response", "sub_llm_response":
      modelCall(
        runID: runID, event: event, data: data, role: type == "llm_response" ? .root : .sub, time: time)
    case "iteration_code": runs[runID]?.code = data["code"].flatMap(\.truthyText)
    case "iteration_output": runs[runID]?.output = data["output"].flatMap(\.truthyText)
    case "error": runs[runID]?.error = data["error"].flatMap(\.truthyText)
    case "final_detected": runs[runID]?.answer = data["answer"].flatMap(\.truthyText)
    case "iteration_end": step(runID: runID, event: event, data: data, time: time)
    case "run_end": end(runID: runID, data: data, time: time)
    default: break
    }
  }

  private mutating func start(runID: String, event: JSONValue, data: JSONValue, time: UInt64?) {
    let model = data["model"].flatMap(\.truthyText) ?? "unknown"
    runs[runID] = TrajectoryRun(model: model, lastTime: time)
    order.append(runID)
    let metadata = data["metadata"] ?? .object([])
    let params = RunParams(
      model: model, parentRunID: event["parent_id"].flatMap(\.truthyText),
      depth: event["depth"]?.integerValue ?? (event["parent_id"] == nil ? 0 : nil))
    append(
      .runStart(
        runID: runID, task: data["task"].map(\.pythonString) ?? "",
        environment: metadata["environment"].map(\.pythonString) ?? "", params: params),
      at: time)
  }

  private mutating func modelCall(
    runID: String, event: JSONValue, data: JSONValue, role: ModelRole, time: UInt64?
  ) {
    guard let end = time, let run = runs[runID] else { return }
    let request = run.prompts[role == .root ? "llm_request" : "sub_llm_request"]
    runs[runID]?.prompts[role == .root ? "llm_request" : "sub_llm_request"] = nil
    let milliseconds = event["duration_ms"]?.numberValue ?? 0
    let nanoseconds =
      milliseconds.isFinite && milliseconds > 0 ? UInt64(min(milliseconds * 1e6, Double(end))) : 0
    // The log names only the root model; a sub-model call is recorded under the role's name.
    let call = LLMCall(
      model: role == .root ? run.model : "sub", role: role, promptTokens: request?.tokens,
      completionTokens: event["tokens_out"]?.integerValue, start: .now, end: .now,
      error: data["error"].flatMap(\.truthyText), prompt: request?.text,
      response: data["response"].flatMap(\.truthyText))
    append(.modelCall(runID: runID, call: call, startTime: end - nanoseconds, endTime: end), at: time)
  }

  private mutating func step(runID: String, event: JSONValue, data: JSONValue, time: UInt64?) {
    guard var run = runs[runID] else { return }
    let success = data["success"].map { !$0.isFalsy } ?? false
    let reward = data["reward"]?.numberValue ?? 0
    run.cumulativeReward = data["cumulative_reward"]?.numberValue ?? (run.cumulativeReward + reward)
    run.steps += 1
    let step = StepEvent(
      step: event["iteration"]?.integerValue ?? run.steps,
      action: StepAction(type: data["action"].map(\.pythonString) ?? "unknown", code: run.code),
      observation: StepObservation(success: success, output: run.output, error: success ? nil : run.error),
      reward: reward)
    run.code = nil
    run.output = nil
    run.error = nil
    runs[runID] = run
    append(.step(runID: runID, event: step, cumulativeReward: run.cumulativeReward), at: time)
  }

  private mutating func end(runID: String, data: JSONValue, time: UInt64?) {
    guard let run = runs[runID], !run.ended else { return }
    runs[runID]?.ended = true
    let result = RunResult(
      completed: data["success"].map { !$0.isFalsy } ?? false,
      steps: data["total_iterations"]?.integerValue ?? run.steps, totalReward: run.cumulativeReward,
      finalAnswer: data["answer"].flatMap(\.truthyText) ?? run.answer)
    append(.runEnd(runID: runID, result: result, runPath: file), at: time)
  }

  mutating func endUnfinishedRuns() {
    for runID in order {
      guard let run = runs[runID], !run.ended else { continue }
      runs[runID]?.ended = true
      append(
        .runEnd(
          runID: runID,
          result: RunResult(completed: false, steps: run.steps, totalReward: run.cumulativeReward),
          runPath: file),
        at: run.lastTime)
    }
  }

  private mutating func append(_ call: HookScript.Call, at time: UInt64?) {
    calls.append(call)
    times.append(time)
  }
}
