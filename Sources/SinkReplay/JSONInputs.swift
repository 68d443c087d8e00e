package import ObservabilitySinks

// Adapters from the JSON objects an RLM runtime logs to the typed hook inputs, with the
// reference's defaults for every absent key and Python's truthiness for optional texts. What the
// reference would pass through with its JSON type (an int reward) is read separately, as the
// attribute types the sink's package-level replay hooks take: the typed inputs carry none of it.

extension RunParams {
  /// Reads `max_steps` and `model` from a runtime's `params` object, and beyond the reference
  /// `parent_run_id` and `depth` (rlm-code's recursion), `session_id` and `user_id`.
  package init(json: JSONValue) {
    self.init(
      maxSteps: json["max_steps"]?.integerValue ?? 0,
      model: json["model"].map(\.pythonString) ?? "unknown",
      parentRunID: json["parent_run_id"].flatMap(\.truthyText),
      depth: json["depth"]?.integerValue,
      sessionID: json["session_id"].flatMap(\.truthyText),
      userID: json["user_id"].flatMap(\.truthyText)
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
  /// `observation.{success,output,error}`, `reward`; other keys are ignored. Beyond the reference,
  /// what rlm-code really reports: `observation.stdout` when there is no `output`,
  /// `observation.stderr` as a failed step's error when there is no `error`, and `usage` /
  /// `role_usage`.
  package init(json: JSONValue) {
    let action = json["action"] ?? .object([])
    let observation = json["observation"] ?? .object([])
    let success = observation["success"].map { !$0.isFalsy } ?? false
    self.init(
      step: json["step"]?.integerValue ?? 0,
      action: StepAction(
        type: action["action"].map(\.pythonString) ?? "unknown",
        code: action["code"].flatMap(\.truthyText)
      ),
      observation: StepObservation(
        success: success,
        output: observation["output"].flatMap(\.truthyText) ?? observation["stdout"].flatMap(\.truthyText),
        error: observation["error"].flatMap(\.truthyText)
          ?? (success ? nil : observation["stderr"].flatMap(\.truthyText))
      ),
      reward: json["reward"]?.numberValue ?? 0.0,
      usage: UsageReport(json: json["usage"], roles: json["role_usage"])
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
  /// Beyond the reference: rlm-code's `final_response` when there is no `final_answer`, and
  /// `usage_summary`.
  package init(json: JSONValue) {
    self.init(
      completed: json["completed"].map { !$0.isFalsy } ?? false,
      steps: json["steps"]?.integerValue ?? 0,
      totalReward: json["total_reward"]?.numberValue ?? 0.0,
      finalAnswer: json["final_answer"].flatMap(\.truthyText) ?? json["final_response"].flatMap(\.truthyText),
      startedAt: json["started_at"].flatMap(\.timestamp),
      finishedAt: json["finished_at"].flatMap(\.timestamp),
      usage: UsageReport(json: json["usage_summary"], roles: json["usage_summary"]?["roles"])
    )
  }

  /// For a `completed` that is not a boolean, Python's `str()` of it, which the reference puts on
  /// `rlm.run_duration` (`"1"` for `1`); `nil` otherwise.
  package static func completedText(json: JSONValue) -> String? {
    guard let completed = json["completed"], !completed.isBool else { return nil }
    return completed.pythonString
  }
}

extension UsageReport {
  /// rlm-code's usage counts: `{total_calls, prompt_tokens, completion_tokens}`, split by role in
  /// `roles` (`{root: {…}, sub: {…}}`); `nil` when `json` is not such an object.
  package init?(json: JSONValue?, roles: JSONValue?) {
    guard let total = json.flatMap(TokenUsage.init(json:)) else { return nil }
    self.init(
      total: total, root: roles?["root"].flatMap(TokenUsage.init(json:)),
      sub: roles?["sub"].flatMap(TokenUsage.init(json:)))
  }
}

extension TokenUsage {
  /// `{total_calls, prompt_tokens, completion_tokens}`; `nil` for anything but an object with at
  /// least one of them.
  init?(json: JSONValue) {
    guard case .object = json else { return nil }
    let calls = json["total_calls"]?.integerValue
    let prompt = json["prompt_tokens"]?.integerValue
    let completion = json["completion_tokens"]?.integerValue
    guard calls != nil || prompt != nil || completion != nil else { return nil }
    self.init(calls: calls ?? 0, promptTokens: prompt ?? 0, completionTokens: completion ?? 0)
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
