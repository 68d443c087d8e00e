/// Model calls and tokens, as an RLM runtime counts them for a step or a run.
///
/// Recorded as `rlm.usage.calls`, `rlm.usage.prompt_tokens` and `rlm.usage.completion_tokens`
/// (with `root.` or `sub.` after `rlm.usage.` for one model role) and counted in `rlm.tokens`.
public struct TokenUsage: Hashable, Sendable {
  /// How many model calls were made.
  public var calls: Int
  /// Tokens sent to the model.
  public var promptTokens: Int
  /// Tokens the model returned.
  public var completionTokens: Int

  /// Creates a usage count.
  public init(calls: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0) {
    self.calls = calls
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
  }
}

/// Token usage in all and split by model role, as a step or a run reports it.
public struct UsageReport: Hashable, Sendable {
  /// Every call, whichever model made it.
  public var total: TokenUsage
  /// The calls of the root model (the one that plans the steps), if the runtime splits them.
  public var root: TokenUsage?
  /// The calls of the sub model (`llm_query` and delegated work), if the runtime splits them.
  public var sub: TokenUsage?

  /// Creates a usage report.
  public init(total: TokenUsage, root: TokenUsage? = nil, sub: TokenUsage? = nil) {
    self.total = total
    self.root = root
    self.sub = sub
  }
}

/// Which model of an RLM made a call: the root model, which plans, or a sub model it delegates to.
public enum ModelRole: String, Hashable, Sendable {
  /// The model that plans the run's steps.
  case root
  /// A model the run calls for sub-tasks (`llm_query`, delegation).
  case sub
}
