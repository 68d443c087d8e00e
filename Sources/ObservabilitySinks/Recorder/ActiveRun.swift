/// What the recorder holds for a run between `onRunStart` and `onRunEnd`: everything a hook
/// updates, reached with one dictionary lookup. Mutated only under the recorder's lock.
final class ActiveRun {
  let runID: String
  let identity: SpanIdentity
  let startTime: UInt64
  let task: String
  let environment: String
  let params: RunParams
  /// For runs replayed from JSON: the attributes whose JSON type the reference passes through.
  let paramTypes: RunAttributeTypes?
  /// Where the next step span starts: the end of the previous step, or the run's start.
  var lastStepEnd: UInt64
  /// The run's `rlm.steps` and `rlm.reward` series, found on first use.
  var stepsCell: SumCell?
  var rewardCell: HistogramCell?
  /// Where ``ActiveRuns`` keeps the run's place in start order.
  var slot = 0

  init(
    runID: String, identity: SpanIdentity, startTime: UInt64, task: String, environment: String,
    params: RunParams, paramTypes: RunAttributeTypes? = nil
  ) {
    self.runID = runID
    self.identity = identity
    self.startTime = startTime
    self.task = task
    self.environment = environment
    self.params = params
    self.paramTypes = paramTypes
    lastStepEnd = startTime
  }

  func runRecord(endTime: UInt64, ending: RunEnding) -> RunSpanRecord {
    RunSpanRecord(
      identity: identity, startTime: startTime, endTime: endTime, runID: runID, task: task,
      environment: environment, params: params, paramTypes: paramTypes, ending: ending)
  }
}
