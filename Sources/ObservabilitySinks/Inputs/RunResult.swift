/// The outcome of a run, as the runtime reports it to `onRunEnd`.
public struct RunResult: Hashable, Sendable {
  /// Whether the run completed (`rlm.completed`; status OK, else ERROR "Run did not complete").
  public var completed: Bool
  /// How many steps the run took (`rlm.total_steps`).
  public var steps: Int
  /// The final cumulative reward (`rlm.total_reward`).
  public var totalReward: Double
  /// The final answer, if any; an empty answer counts as none (no `final_answer` event).
  public var finalAnswer: String?
  /// When the run started, as the runtime logged it (ISO 8601); with ``finishedAt`` it gives
  /// `rlm.run_duration`.
  public var startedAt: ISO8601Timestamp?
  /// When the run finished (ISO 8601).
  public var finishedAt: ISO8601Timestamp?
  /// The run's model calls and tokens, descendants included when the runtime counts them so
  /// (`rlm.usage.*` on `rlm.run`).
  public var usage: UsageReport?

  /// Creates a run result; absent values take the reference's defaults.
  public init(
    completed: Bool = false, steps: Int = 0, totalReward: Double = 0.0, finalAnswer: String? = nil,
    startedAt: ISO8601Timestamp? = nil, finishedAt: ISO8601Timestamp? = nil, usage: UsageReport? = nil
  ) {
    self.completed = completed
    self.steps = steps
    self.totalReward = totalReward
    self.finalAnswer = finalAnswer
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.usage = usage
  }

  /// The run's duration in seconds, as Python computes `finished - started`: `nil` when either
  /// timestamp is missing, or when one carries a UTC offset and the other does not.
  public var durationSeconds: Double? {
    guard let startedAt, let finishedAt else { return nil }
    return finishedAt.seconds(since: startedAt)
  }
}
