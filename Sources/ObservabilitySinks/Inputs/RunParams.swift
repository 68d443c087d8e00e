/// The parameters of a run that the OpenTelemetry sink records on `rlm.run`.
public struct RunParams: Hashable, Sendable {
  /// The step budget of the run (`rlm.max_steps`); the reference's default is 0.
  public var maxSteps: Int
  /// The model identifier (`rlm.model`); the reference's default is `"unknown"`.
  public var model: String

  /// Creates run parameters; absent values take the reference's defaults.
  public init(maxSteps: Int = 0, model: String = "unknown") {
    self.maxSteps = maxSteps
    self.model = model
  }
}
