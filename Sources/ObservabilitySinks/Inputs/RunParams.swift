/// The parameters of a run that the OpenTelemetry sink records on `rlm.run`.
public struct RunParams: Hashable, Sendable {
  /// The step budget of the run (`rlm.max_steps`); the reference's default is 0.
  public var maxSteps: Int
  /// The model identifier (`rlm.model`); the reference's default is `"unknown"`.
  public var model: String
  /// The run whose step started this one (`rlm.parent_run_id`). When that run is active in the
  /// same sink, this run's span joins its trace under the step in progress.
  public var parentRunID: String?
  /// How deep in the recursion the run is, 0 for a top-level run (`rlm.depth`).
  public var depth: Int?
  /// The conversation or session the run belongs to (`session.id`, `gen_ai.conversation.id` when
  /// those conventions are on).
  public var sessionID: String?
  /// The user the run works for (`user.id` when the OpenInference conventions are on).
  public var userID: String?

  /// Creates run parameters; absent values take the reference's defaults.
  public init(
    maxSteps: Int = 0, model: String = "unknown", parentRunID: String? = nil, depth: Int? = nil,
    sessionID: String? = nil, userID: String? = nil
  ) {
    self.maxSteps = maxSteps
    self.model = model
    self.parentRunID = parentRunID
    self.depth = depth
    self.sessionID = sessionID
    self.userID = userID
  }
}
