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
            runID: runID, task: task, environment: environment, params: Self.runParams(event),
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
          startedAt: runs[runID]?.startedAt, finishedAt: timestamp,
          usage: event["usage"].flatMap(Self.usageReport))
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
    Self.endStepsWhenTheNextLineBegins(calls, &times)
    self.init(calls: calls, times: times)
  }

  /// rlm-code stamps a step's line when its action starts (after planning), and writes the line
  /// when the action is done: a delegate step's children run after its timestamp. So a step is
  /// played when the next line of its run begins (the next step, or the final line), and child
  /// runs fall inside the step that started them.
  private static func endStepsWhenTheNextLineBegins(_ calls: [Call], _ times: inout [UInt64?]) {
    var pendingStep: [String: Int] = [:]
    for (index, call) in calls.enumerated() {
      guard case .step(let runID, _, _, _) = call, let time = times[index] else {
        if case .runEnd(let runID, _, _, _) = call, let step = pendingStep.removeValue(forKey: runID),
          let time = times[index]
        {
          times[step] = time
        }
        continue
      }
      if let previous = pendingStep[runID] { times[previous] = time }
      pendingStep[runID] = index
    }
  }
}

extension HookScript {
  /// A run's parameters from its first event: its `params` if it has them, and the `depth` and
  /// `parent_run_id` rlm-code writes on every line of a child run's log.
  fileprivate static func runParams(_ event: JSONValue) -> RunParams {
    var params = RunParams(json: event["params"] ?? .object([]))
    if params.parentRunID == nil { params.parentRunID = event["parent_run_id"].flatMap(\.truthyText) }
    if params.depth == nil { params.depth = event["depth"]?.integerValue }
    return params
  }

  /// A `final` line's `usage`: an object, or the Python `repr` of one that rlm-code 0.1.13
  /// writes there (`"{'total_calls': 3, …}"`), read back when it holds only numbers and names.
  fileprivate static func usageReport(_ value: JSONValue) -> UsageReport? {
    var value = value
    if case .string(let text) = value {
      let json = text.replacing("'", with: "\"").replacing("None", with: "null")
      guard let parsed = try? JSONValue(parsing: json) else { return nil }
      value = parsed
    }
    return UsageReport(json: value, roles: value["roles"])
  }

  /// The calls of several scripts in one timeline: each run's calls keep their order, and runs
  /// interleave by time (a call without a time goes with the call before it; at equal times the
  /// run that came first goes first). Run logs of a recursive run are written one run after the
  /// other; merged, a child starts while its parent is active, so it joins the parent's trace.
  package static func mergedByTime(_ scripts: [HookScript]) -> HookScript {
    // Each run's calls as where they are (script, index) and when, not as copies of the calls:
    // thousands of logs hold hundreds of thousands of calls, each with strings to retain.
    var runs: [[MergeEntry]] = []
    var runIndex: [String: Int] = [:]
    for (scriptIndex, script) in scripts.enumerated() {
      for (index, call) in script.calls.enumerated() {
        let key = call.runID ?? ""
        let run = runIndex[key] ?? runs.count
        if run == runs.count {
          runIndex[key] = run
          runs.append([])
        }
        let stamp = index < script.times.count ? script.times[index] : nil
        runs[run].append(
          MergeEntry(time: stamp ?? runs[run].last?.time ?? 0, script: scriptIndex, index: index))
      }
    }
    // A k-way merge of the runs' sequences through a heap of their next calls, ordered by
    // (time, run): the earliest call first, and at equal times the run that came first. A linear
    // scan over the runs per call made 5,000 logs of 20 lines take minutes.
    var heads = MergeHeap()
    for run in runs.indices where !runs[run].isEmpty {
      heads.push(MergeHead(time: runs[run][0].time, run: run))
    }
    var next = Array(repeating: 0, count: runs.count)
    var calls: [Call] = []
    var times: [UInt64?] = []
    let total = runs.reduce(0) { $0 + $1.count }
    calls.reserveCapacity(total)
    times.reserveCapacity(total)
    while let head = heads.top {
      let run = head.run
      let entry = runs[run][next[run]]
      next[run] += 1
      let script = scripts[entry.script]
      calls.append(script.calls[entry.index])
      times.append(entry.index < script.times.count ? script.times[entry.index] : nil)
      if next[run] < runs[run].count {
        heads.replaceTop(with: MergeHead(time: runs[run][next[run]].time, run: run))
      } else {
        heads.removeTop()
      }
    }
    return HookScript(calls: calls, times: times)
  }
}

/// Where a call of ``HookScript/mergedByTime(_:)`` is, and the time it is merged at.
private struct MergeEntry {
  var time: UInt64
  var script: Int
  var index: Int
}

/// A run's next call in the merge: its time, then the run's index, break ties.
private struct MergeHead {
  var time: UInt64
  var run: Int

  func precedes(_ other: MergeHead) -> Bool { (time, run) < (other.time, other.run) }
}

/// A binary min-heap of the runs' next calls (the standard library has none).
private struct MergeHeap {
  private var items: [MergeHead] = []

  var top: MergeHead? { items.first }

  mutating func push(_ head: MergeHead) {
    items.append(head)
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard items[child].precedes(items[parent]) else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  /// Replaces the smallest element (there must be one) and restores the heap.
  mutating func replaceTop(with head: MergeHead) {
    items[0] = head
    siftDown()
  }

  /// Removes the smallest element (there must be one).
  mutating func removeTop() {
    let last = items.removeLast()
    guard !items.isEmpty else { return }
    items[0] = last
    siftDown()
  }

  private mutating func siftDown() {
    var parent = 0
    while true {
      let left = 2 * parent + 1
      guard left < items.count else { return }
      let right = left + 1
      let smaller = right < items.count && items[right].precedes(items[left]) ? right : left
      guard items[smaller].precedes(items[parent]) else { return }
      items.swapAt(parent, smaller)
      parent = smaller
    }
  }
}

extension HookScript.Call {
  /// The run the call is about, if any.
  var runID: String? {
    switch self {
    case .runStart(let runID, _, _, _, _), .step(let runID, _, _, _), .runEnd(let runID, _, _, _),
      .modelCall(let runID, _, _, _), .traceID(forRun: let runID, _):
      return runID
    case .sleep: return nil
    }
  }
}

/// What the run-log reader tracks per run.
private struct RunLogState {
  var startedAt: ISO8601Timestamp?
  var lastTime: UInt64?
  var cumulativeReward = 0.0
  var ended = false
}
