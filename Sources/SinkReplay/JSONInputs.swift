package import ObservabilitySinks

// Adapters from the JSON objects an RLM runtime logs to the typed hook inputs, with the
// reference's defaults for every absent key and Python's truthiness for optional texts. What the
// reference would pass through with its JSON type (an int reward) is read separately, as the
// attribute types the sink's package-level replay hooks take: the typed inputs carry none of it.

extension RunParams {
  /// Reads `max_steps` and `model` from a runtime's `params` object.
  package init(json: JSONValue) {
    self.init(
      maxSteps: json["max_steps"]?.integerValue ?? 0,
      model: json["model"].map(\.pythonString) ?? "unknown"
    )
  }
}

extension RunAttributeTypes {
  /// The `rlm.run` attributes of a `params` object whose JSON type differs from the typed one.
  package static func of(params json: JSONValue) -> RunAttributeTypes? {
    RunAttributeTypes(
      maxSteps: PassedThrough.override(json["max_steps"]) { if case .int = $0 { true } else { false } },
      model: PassedThrough.override(json["model"]) { if case .string = $0 { true } else { false } }
    ).nonEmpty
  }
}

extension StepEvent {
  /// Reads a step event as the runtime logs it: `step`, `action.{action,code}` (`action.action` is the type),
  /// `observation.{success,output,error}`, `reward`; other keys are ignored.
  package init(json: JSONValue) {
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
  }
}

extension StepAttributeTypes {
  /// The `rlm.step` attributes of a step event, and of the hook's `cumulative_reward` argument,
  /// whose JSON type differs from the typed one.
  package static func of(event json: JSONValue, cumulativeReward: JSONValue? = nil) -> StepAttributeTypes? {
    let action = json["action"] ?? .object([])
    let observation = json["observation"] ?? .object([])
    return StepAttributeTypes(
      step: PassedThrough.override(json["step"]) { if case .int = $0 { true } else { false } },
      actionType: PassedThrough.override(action["action"]) { if case .string = $0 { true } else { false } },
      reward: PassedThrough.override(json["reward"]) { if case .double = $0 { true } else { false } },
      success: PassedThrough.override(observation["success"]) { if case .bool = $0 { true } else { false } },
      cumulativeReward: cumulativeReward.flatMap { value in
        PassedThrough.override(value) { if case .double = $0 { true } else { false } }
      }
    ).nonEmpty
  }
}

extension RunResult {
  /// Reads a run result: `completed`, `steps`, `total_reward`, `final_answer`, `started_at`,
  /// `finished_at`. A timestamp that does not parse counts as absent (no duration is recorded).
  package init(json: JSONValue) {
    self.init(
      completed: json["completed"].map { !$0.isFalsy } ?? false,
      steps: json["steps"]?.integerValue ?? 0,
      totalReward: json["total_reward"]?.numberValue ?? 0.0,
      finalAnswer: json["final_answer"].flatMap(\.truthyText),
      startedAt: json["started_at"].flatMap(\.timestamp),
      finishedAt: json["finished_at"].flatMap(\.timestamp)
    )
  }

  /// For a `completed` that is not a boolean, Python's `str()` of it, which the reference puts on
  /// `rlm.run_duration` (`"1"` for `1`); `nil` otherwise.
  package static func completedText(json: JSONValue) -> String? {
    guard let completed = json["completed"], !completed.isBool else { return nil }
    return completed.pythonString
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
