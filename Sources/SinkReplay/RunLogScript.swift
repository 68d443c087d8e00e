import ObservabilitySinks

extension HookScript {
  /// Reads an RLM runtime's run log (`<run_id>.jsonl`: one event object per line, `type`
  /// `context`, `step` or `final`) as the hook calls the runtime made, at the times it logged.
  ///
  /// A run starts at its first event (with the `task` and `environment` its events carry), each
  /// `step` event is a step whose cumulative reward is the running sum, and the `final` event
  /// ends it (`completed`, `steps`, `total_reward`, `final_response` as the answer). A run whose log
  /// has no `final` event (an interrupted run) ends, not completed, at its last event. Unknown
  /// event types are skipped. Lines end in LF or CRLF, a leading UTF-8 byte-order mark is ignored,
  /// and so are blank lines. A bad line (not UTF-8, not a JSON object with a string `run_id`, or
  /// a `timestamp` that is not ISO 8601 or lies outside 1970–2554, what OTLP can carry) is an
  /// error naming `runPath` and the line.
  package init(runLog text: String, runPath: String) throws {
    let log = RunLog(bytes: Array(text.utf8), file: runPath)
    if let first = log.badLines.first { throw first }
    self.init(runLogEvents: log.events, runPath: runPath)
  }

  /// Reads a run log as ``init(runLog:runPath:)`` does, but skips bad lines instead of failing,
  /// and returns why each was skipped: a log cut off mid-line by a crash still replays.
  package init(runLog bytes: [UInt8], runPath: String, badLines: inout [HookScriptError]) {
    let log = RunLog(bytes: bytes, file: runPath)
    badLines += log.badLines
    self.init(runLogEvents: log.events, runPath: runPath)
  }

  private init(runLogEvents events: [(runID: String, event: JSONValue)], runPath: String) {
    // The context event comes first but carries no task: take each run's first task and environment.
    var firstTask: [String: String] = [:]
    var firstEnvironment: [String: String] = [:]
    for (runID, event) in events {
      if firstTask[runID] == nil, let task = event["task"] { firstTask[runID] = task.pythonString }
      if firstEnvironment[runID] == nil, let environment = event["environment"] {
        firstEnvironment[runID] = environment.pythonString
      }
    }
    var runs: [String: RunLogState] = [:]
    var order: [String] = []
    var calls: [Call] = []
    var times: [UInt64?] = []
    for (runID, event) in events {
      let timestamp = event["timestamp"].flatMap(\.timestamp)
      let time = timestamp.map(\.unixNanoseconds)
      if runs[runID] == nil {
        let task = firstTask[runID] ?? ""
        let environment = firstEnvironment[runID] ?? ""
        runs[runID] = RunLogState(startedAt: timestamp)
        order.append(runID)
        calls.append(
          .runStart(
            runID: runID, task: task, environment: environment,
            params: RunParams(json: event["params"] ?? .object([])),
            paramTypes: RunAttributeTypes.of(params: event["params"] ?? .object([]))))
        times.append(time)
      }
      runs[runID]?.lastTime = time
      switch event["type"] {
      case .string("step")?:
        let step = StepEvent(json: event)
        runs[runID]?.cumulativeReward += step.reward
        calls.append(
          .step(
            runID: runID, event: step, cumulativeReward: runs[runID]?.cumulativeReward ?? 0,
            types: StepAttributeTypes.of(event: event)))
        times.append(time)
      case .string("final")?:
        let result = RunResult(
          completed: event["completed"].map { !$0.isFalsy } ?? false,
          steps: event["steps"]?.integerValue ?? 0,
          totalReward: event["total_reward"]?.numberValue ?? 0,
          finalAnswer: (event["final_answer"] ?? event["final_response"]).flatMap(\.truthyText),
          startedAt: runs[runID]?.startedAt, finishedAt: timestamp)
        calls.append(.runEnd(runID: runID, result: result, runPath: runPath))
        times.append(time)
        runs[runID]?.ended = true
      default:
        continue
      }
    }
    for runID in order where runs[runID]?.ended == false {
      let state = runs[runID]!
      calls.append(
        .runEnd(
          runID: runID, result: RunResult(completed: false, totalReward: state.cumulativeReward),
          runPath: runPath))
      times.append(state.lastTime)
    }
    self.init(calls: calls, times: times)
  }
}

/// What the run-log reader tracks per run.
private struct RunLogState {
  var startedAt: ISO8601Timestamp?
  var lastTime: UInt64?
  var cumulativeReward = 0.0
  var ended = false
}
