/// What the reference makes of a value it passes straight to an attribute: Python's OpenTelemetry
/// SDK keeps `str`, `bool`, `int` and `float` as they are, sends `None` as an empty value, and
/// drops containers (with a warning). Kept for inputs read from JSON, so that a replayed `"reward": 1` is an int attribute
/// as in the reference, while typed Swift callers get the typed attributes.
enum PassedThrough: Hashable, Sendable {
  /// The attribute, with the JSON value's own type.
  case value(AttributeValue)
  /// No attribute at all.
  case omitted

  init(_ json: JSONValue) {
    switch json {
    case .string(let text): self = .value(.string(text))
    case .bool(let flag): self = .value(.bool(flag))
    case .int(let number): self = .value(.int(number))
    case .double(let number): self = .value(.double(number))
    case .null: self = .value(.empty)
    case .array, .object: self = .omitted
    }
  }

  /// The JSON value's attribute when its type differs from what the typed input gives (`typed`),
  /// else `nil`: most logs match the typed defaults, and then nothing is kept.
  static func override(_ json: JSONValue?, typed: (AttributeValue) -> Bool) -> PassedThrough? {
    guard let json else { return nil }
    let passed = PassedThrough(json)
    if case .value(let value) = passed, typed(value) { return nil }
    return passed
  }
}

/// The `rlm.step` attributes whose JSON type differs from the typed input's, if any. A class, so
/// that a `StepEvent` on the hot path carries one pointer, not five optional values.
final class StepAttributeTypes: Hashable, Sendable {
  let step: PassedThrough?
  let actionType: PassedThrough?
  let reward: PassedThrough?
  let success: PassedThrough?
  let cumulativeReward: PassedThrough?

  init(
    step: PassedThrough? = nil, actionType: PassedThrough? = nil, reward: PassedThrough? = nil,
    success: PassedThrough? = nil, cumulativeReward: PassedThrough? = nil
  ) {
    self.step = step
    self.actionType = actionType
    self.reward = reward
    self.success = success
    self.cumulativeReward = cumulativeReward
  }

  /// `nil` when every field matches its typed attribute.
  var nonEmpty: StepAttributeTypes? {
    [step, actionType, reward, success, cumulativeReward].allSatisfy { $0 == nil } ? nil : self
  }

  func with(cumulativeReward: PassedThrough?) -> StepAttributeTypes? {
    StepAttributeTypes(
      step: step, actionType: actionType, reward: reward, success: success, cumulativeReward: cumulativeReward
    )
    .nonEmpty
  }

  static func == (lhs: StepAttributeTypes, rhs: StepAttributeTypes) -> Bool {
    (lhs.step, lhs.actionType, lhs.reward, lhs.success, lhs.cumulativeReward)
      == (rhs.step, rhs.actionType, rhs.reward, rhs.success, rhs.cumulativeReward)
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(step)
    hasher.combine(actionType)
    hasher.combine(reward)
    hasher.combine(success)
    hasher.combine(cumulativeReward)
  }
}

/// The `rlm.run` attributes whose JSON type differs from the typed input's, if any.
struct RunAttributeTypes: Hashable, Sendable {
  var maxSteps: PassedThrough?
  var model: PassedThrough?

  var nonEmpty: RunAttributeTypes? { maxSteps == nil && model == nil ? nil : self }
}

extension Array where Element == Attribute {
  /// Appends `key` with `typed`, or with the passed-through value, or not at all.
  mutating func append(_ key: String, _ typed: AttributeValue, passedThrough: PassedThrough?) {
    switch passedThrough {
    case nil: append(Attribute(key, typed))
    case .value(let value)?: append(Attribute(key, value))
    case .omitted?: break
    }
  }
}
