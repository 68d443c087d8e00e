/// What the reference makes of a value it passes straight to an attribute: Python's OpenTelemetry
/// SDK keeps `str`, `bool`, `int` and `float` as they are, sends `None` as an empty value, and
/// drops containers (with a warning). Kept for inputs replayed from JSON (SinkReplay), so that a replayed `"reward": 1` is an int attribute
/// as in the reference, while typed Swift callers get the typed attributes.
package enum PassedThrough: Hashable, Sendable {
  /// The attribute, with the JSON value's own type.
  case value(AttributeValue)
  /// No attribute at all.
  case omitted
}

/// The `rlm.step` attributes whose JSON type differs from the typed input's, if any. A class, so
/// that a `StepEvent` on the hot path carries one pointer, not five optional values.
package final class StepAttributeTypes: Hashable, Sendable {
  package let step: PassedThrough?
  package let actionType: PassedThrough?
  package let reward: PassedThrough?
  package let success: PassedThrough?
  package let cumulativeReward: PassedThrough?

  package init(
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
  package var nonEmpty: StepAttributeTypes? {
    [step, actionType, reward, success, cumulativeReward].allSatisfy { $0 == nil } ? nil : self
  }

  package func with(cumulativeReward: PassedThrough?) -> StepAttributeTypes? {
    StepAttributeTypes(
      step: step, actionType: actionType, reward: reward, success: success, cumulativeReward: cumulativeReward
    )
    .nonEmpty
  }

  package static func == (lhs: StepAttributeTypes, rhs: StepAttributeTypes) -> Bool {
    (lhs.step, lhs.actionType, lhs.reward, lhs.success, lhs.cumulativeReward)
      == (rhs.step, rhs.actionType, rhs.reward, rhs.success, rhs.cumulativeReward)
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(step)
    hasher.combine(actionType)
    hasher.combine(reward)
    hasher.combine(success)
    hasher.combine(cumulativeReward)
  }
}

/// The `rlm.run` attributes whose JSON type differs from the typed input's, if any.
package struct RunAttributeTypes: Hashable, Sendable {
  package var maxSteps: PassedThrough?
  package var model: PassedThrough?

  package init(maxSteps: PassedThrough? = nil, model: PassedThrough? = nil) {
    self.maxSteps = maxSteps
    self.model = model
  }

  package var nonEmpty: RunAttributeTypes? { maxSteps == nil && model == nil ? nil : self }
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
