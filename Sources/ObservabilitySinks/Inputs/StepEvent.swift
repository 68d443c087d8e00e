/// One step of an RLM run, as the runtime reports it to `onStep`.
///
/// Absent values take the reference's defaults: step 0, action `"unknown"`, no code, reward 0,
/// not successful, no output, no error. An empty `code`, `output` or `error` counts as absent.
public struct StepEvent: Hashable, Sendable {
  /// The step number (`rlm.step`).
  public var step: Int
  /// What the model decided to do.
  public var action: StepAction
  /// What came of it.
  public var observation: StepObservation
  /// The reward of this step (`rlm.reward`).
  public var reward: Double
  /// The model calls and tokens of this step (`rlm.usage.*` on `rlm.step`), if the runtime counts
  /// them.
  public var usage: UsageReport?

  /// Creates a step event.
  public init(
    step: Int = 0, action: StepAction = StepAction(), observation: StepObservation = StepObservation(),
    reward: Double = 0.0, usage: UsageReport? = nil
  ) {
    self.step = step
    self.action = action
    self.observation = observation
    self.reward = reward
    self.usage = usage
  }
}

/// The action of a step: its type and the code it ran.
public struct StepAction: Hashable, Sendable {
  /// The action type (`rlm.action_type`), e.g. `run_python` or `submit`.
  public var type: String
  /// The code the step executed; `nil` (or empty) when none, and then no `code_execution` event.
  public var code: String?

  /// Creates an action.
  public init(type: String = "unknown", code: String? = nil) {
    self.type = type
    self.code = code
  }
}

/// The observation of a step: whether it succeeded, its output and its error.
public struct StepObservation: Hashable, Sendable {
  /// Whether the step succeeded (`rlm.success`; status OK).
  public var success: Bool
  /// The step's output; `nil` (or empty) when none, and then no `output` event.
  public var output: String?
  /// The error message of a failed step; `nil` or empty when none.
  public var error: String?

  /// Creates an observation.
  public init(success: Bool = false, output: String? = nil, error: String? = nil) {
    self.success = success
    self.output = output
    self.error = error
  }
}
