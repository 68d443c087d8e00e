// Adapters from the JSON objects an RLM runtime logs to the typed hook inputs, with the
// reference's defaults for every absent key and Python's truthiness for optional texts.

extension RunParams {
  /// Reads `max_steps` and `model` from a runtime's `params` object.
  public init(json: JSONValue) {
    self.init(
      maxSteps: json["max_steps"]?.integerValue ?? 0,
      model: json["model"].map(\.pythonString) ?? "unknown"
    )
    passedThrough =
      RunAttributeTypes(
        maxSteps: PassedThrough.override(json["max_steps"]) { if case .int = $0 { true } else { false } },
        model: PassedThrough.override(json["model"]) { if case .string = $0 { true } else { false } }
      ).nonEmpty
  }
}

extension StepEvent {
  /// Reads a step event as the runtime logs it: `step`, `action.{action,code}` (`action.action` is the type),
  /// `observation.{success,output,error}`, `reward`; other keys are ignored.
  public init(json: JSONValue) {
    let action = json["action"] ?? .object([])
    let observation = json["observation"] ?? .object([])
    self.init(
      step: json["step"]?.integerValue ?? 0,
      action: StepAction(
        type: action["action"].map(\.pythonString) ?? "unknown",
        code: action["code"].flatMap(\.truthyText)
      ),
      observation: StepObservation(
        success: observation["success"].map { !$0.isFalsy } ?? false,
        output: observation["output"].flatMap(\.truthyText),
        error: observation["error"].flatMap(\.truthyText)
      ),
      reward: json["reward"]?.numberValue ?? 0.0
    )
    passedThrough =
      StepAttributeTypes(
        step: PassedThrough.override(json["step"]) { if case .int = $0 { true } else { false } },
        actionType: PassedThrough.override(action["action"]) { if case .string = $0 { true } else { false } },
        reward: PassedThrough.override(json["reward"]) { if case .double = $0 { true } else { false } },
        success: PassedThrough.override(observation["success"]) { if case .bool = $0 { true } else { false } }
      ).nonEmpty
  }

  /// The event with the JSON value of the hook's `cumulative_reward` argument, kept as the
  /// reference would pass it through (an integer stays an integer attribute).
  func with(cumulativeReward json: JSONValue) -> StepEvent {
    var event = self
    let override = PassedThrough.override(json) { if case .double = $0 { true } else { false } }
    event.passedThrough = (passedThrough ?? StepAttributeTypes()).with(cumulativeReward: override)
    return event
  }
}

extension RunResult {
  /// Reads a run result: `completed`, `steps`, `total_reward`, `final_answer`, `started_at`,
  /// `finished_at`. A timestamp that does not parse counts as absent (no duration is recorded).
  public init(json: JSONValue) {
    self.init(
      completed: json["completed"].map { !$0.isFalsy } ?? false,
      steps: json["steps"]?.integerValue ?? 0,
      totalReward: json["total_reward"]?.numberValue ?? 0.0,
      finalAnswer: json["final_answer"].flatMap(\.truthyText),
      startedAt: json["started_at"].flatMap(\.timestamp),
      finishedAt: json["finished_at"].flatMap(\.timestamp)
    )
    if let completed = json["completed"], !(completed.isBool) { completedText = completed.pythonString }
  }
}

extension JSONValue {
  /// `int(value)` for numbers and booleans, as Python would convert them.
  var integerValue: Int? {
    switch self {
    case .int(let value): return Int(exactly: value)
    case .double(let value): return value.isFinite ? Int(exactly: value.rounded(.towardZero)) : nil
    case .bool(let value): return value ? 1 : 0
    default: return nil
    }
  }

  var isBool: Bool {
    if case .bool = self { return true }
    return false
  }

  /// `float(value)` for numbers and booleans.
  var numberValue: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    case .bool(let value): return value ? 1 : 0
    default: return nil
    }
  }

  /// `str(value)` when the value is truthy; `nil` when Python would skip it.
  var truthyText: String? { isFalsy ? nil : pythonString }

  var timestamp: ISO8601Timestamp? {
    guard case .string(let text) = self else { return nil }
    return ISO8601Timestamp(text)
  }
}
