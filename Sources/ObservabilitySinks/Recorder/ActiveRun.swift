import TelemetryModel

/// What the recorder holds for a run between `onRunStart` and `onRunEnd`: everything a hook
/// updates, reached with one dictionary lookup. Mutated only under the recorder's lock.
final class ActiveRun {
  let identity: SpanIdentity
  let startTime: UInt64
  let task: String
  let environment: String
  let params: RunParams
  /// Where the next step span starts: the end of the previous step, or the run's start.
  var lastStepEnd: UInt64
  /// The run's `rlm.steps` and `rlm.reward` series, found on first use.
  var stepsCell: SumCell?
  var rewardCell: HistogramCell?

  init(identity: SpanIdentity, startTime: UInt64, task: String, environment: String, params: RunParams) {
    self.identity = identity
    self.startTime = startTime
    self.task = task
    self.environment = environment
    self.params = params
    lastStepEnd = startTime
  }

  func runRecord(runID: String, endTime: UInt64, ending: RunEnding) -> RunSpanRecord {
    RunSpanRecord(
      identity: identity, startTime: startTime, endTime: endTime, runID: runID, task: task,
      environment: environment, params: params, ending: ending)
  }
}
