package import ObservabilitySinks

/// A recorded sequence of hook calls, in the golden-fixture format: a JSON array whose elements
/// have `hook` (`on_run_start`, `on_step`, `on_run_end`, `get_trace_id`, `sleep`) and that hook's
/// arguments, with JSON types kept as given.
package struct HookScript: Sendable {
  /// One call of the script.
  package enum Call: Sendable {
    /// `on_run_start(run_id, task, environment, params)`, with the `params` attributes whose JSON
    /// type the reference passes through.
    case runStart(
      runID: String, task: String, environment: String, params: RunParams,
      paramTypes: RunAttributeTypes? = nil)
    /// `on_step(run_id, event, cumulative_reward)`, with the attributes whose JSON type the
    /// reference passes through.
    case step(runID: String, event: StepEvent, cumulativeReward: Double, types: StepAttributeTypes? = nil)
    /// `on_run_end(run_id, result, run_path)`; `completedText` is Python's `str()` of a
    /// non-boolean `completed`, as the reference labels `rlm.run_duration` with it.
    case runEnd(runID: String, result: RunResult, runPath: String, completedText: String? = nil)
    /// Ask for the run's trace id and record the answer under `label`.
    /// A model call, from `startTime` to `endTime` (Unix nanoseconds); the call's own instants are
    /// not used.
    case modelCall(runID: String, call: LLMCall, startTime: UInt64, endTime: UInt64)
    case traceID(forRun: String, label: String)
    /// Wait this long.
    case sleep(Duration)
  }

  /// The calls, in order.
  package var calls: [Call]
  /// When each call happened, Unix nanoseconds, for scripts read from a runtime's log; empty,
  /// or `nil` for a call, means "when it is played".
  package var times: [UInt64?] = []

  /// Parses a script; throws ``HookScriptError`` naming the element that is wrong.
  package init(json text: String) throws {
    guard case .array(let elements) = try JSONValue(parsing: text) else {
      throw HookScriptError(index: nil, reason: "a script is a JSON array of hook calls")
    }
    calls = try elements.enumerated().map { index, element in try Self.call(element, index: index) }
  }

  /// Creates a script from calls, optionally with the time of each.
  package init(calls: [Call], times: [UInt64?] = []) {
    self.calls = calls
    self.times = times
  }

  private static let longestSleepMilliseconds = 86_400_000.0

  private static func call(_ element: JSONValue, index: Int) throws(HookScriptError) -> Call {
    guard case .string(let hook)? = element["hook"] else {
      throw HookScriptError(index: index, reason: "missing \"hook\"")
    }
    func text(_ key: String) throws(HookScriptError) -> String {
      guard let value = element[key] else {
        throw HookScriptError(index: index, reason: "missing \"\(key)\"")
      }
      return value.pythonString
    }
    switch hook {
    case "on_run_start":
      return .runStart(
        runID: try text("run_id"), task: try text("task"), environment: try text("environment"),
        params: RunParams(json: element["params"] ?? .object([])),
        paramTypes: RunAttributeTypes.of(params: element["params"] ?? .object([])))
    case "on_step":
      let cumulative = element["cumulative_reward"] ?? .double(0)
      return .step(
        runID: try text("run_id"),
        event: StepEvent(json: element["event"] ?? .object([])),
        cumulativeReward: cumulative.numberValue ?? 0,
        types: StepAttributeTypes.of(event: element["event"] ?? .object([]), cumulativeReward: cumulative))
    case "on_run_end":
      return .runEnd(
        runID: try text("run_id"), result: RunResult(json: element["result"] ?? .object([])),
        runPath: element["run_path"].map(\.pythonString) ?? "",
        completedText: RunResult.completedText(json: element["result"] ?? .object([])))
    case "get_trace_id":
      return .traceID(forRun: try text("run_id"), label: element["label"].map(\.pythonString) ?? "")
    case "sleep":
      // At most a day: a script is a test fixture, and a larger (or non-finite) "ms" is a typo
      // that would hang the replay or overflow the conversion to a Duration.
      guard let milliseconds = element["ms"]?.numberValue,
        (0...Self.longestSleepMilliseconds).contains(milliseconds)
      else {
        throw HookScriptError(index: index, reason: "sleep needs an \"ms\" from 0 to 86400000 (a day)")
      }
      return .sleep(.microseconds(Int64(milliseconds * 1000)))
    default:
      throw HookScriptError(index: index, reason: "unknown hook \"\(hook)\"")
    }
  }
}

/// Why a hook script could not be read.
package struct HookScriptError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The index of the offending element, if the problem is in one.
  package var index: Int?
  /// What is wrong.
  package var reason: String
  /// For a run log: the file, as given to the reader.
  package var file: String?
  /// For a run log: the line, from 1.
  package var line: Int?

  /// Creates an error about element `index` of a script.
  init(index: Int?, reason: String) {
    self.index = index
    self.reason = reason
  }

  /// Creates an error about a line of a run log (its `index` is `line - 1`).
  init(index: Int, reason: String, file: String, line: Int) {
    self.index = index
    self.reason = reason
    self.file = file
    self.line = line
  }

  /// A one-line message: `file:line: reason` for a run log, else naming the script element.
  package var description: String {
    if let file, let line { return "\(file):\(line): \(reason)" }
    return index.map { "script element \($0): \(reason)" } ?? "script: \(reason)"
  }
}
