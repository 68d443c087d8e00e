/// What the recorder holds for a run between `onRunStart` and `onRunEnd`: everything a hook
/// updates, reached with one dictionary lookup. Mutated only under the recorder's lock.
final class ActiveRun {
  /// What the run started with, shared with its span record and a spool's journal.
  let start: RunStart
  var runID: String { start.runID }
  var identity: SpanIdentity { start.identity }
  var labels: RunLabels? { start.labels }
  /// Where the next step span starts: the end of the previous step, or the run's start.
  var lastStepEnd: UInt64
  /// The run's `rlm.steps` and `rlm.reward` series, found on first use.
  var stepsCell: SumCell?
  var rewardCell: HistogramCell?
  /// Where ``ActiveRuns`` keeps the run's place in start order.
  var slot = 0
  /// The id of the step span now in progress, fixed when a child run or a model call needs it
  /// as parent before the step ends; the step span then takes it.
  var stepInProgress: SpanData.SpanID?
  /// The top of the recursion this run belongs to, when it joined an active parent's trace.
  let treeRoot: ActiveRun?
  /// Set on a tree's top run when a model call of the tree was reported through `onLLMCall`, so
  /// that the run's usage summary is not counted in `rlm.tokens` a second time.
  var modelCallsReported = false
  /// Whether the sampler kept the run's trace: an unsampled run counts in the metrics and makes
  /// no span.
  let isSampled: Bool

  init(
    runID: String, identity: SpanIdentity, startTime: UInt64, task: String, environment: String,
    params: RunParams, paramTypes: RunAttributeTypes? = nil, treeRoot: ActiveRun? = nil,
    parentRunSpan: RecentRun? = nil, isSampled: Bool = true
  ) {
    self.isSampled = isSampled
    start = RunStart(
      runID: runID, identity: identity, startTime: startTime, task: task, environment: environment,
      params: params, paramTypes: paramTypes, parentRunSpan: parentRunSpan)
    lastStepEnd = startTime
    self.treeRoot = treeRoot
  }

  /// The id of the step in progress, fixed now if it was not yet.
  func stepInProgressID(_ ids: inout IdGenerator) -> SpanData.SpanID {
    if let stepInProgress { return stepInProgress }
    let id = ids.nextSpanID()
    stepInProgress = id
    return id
  }

  /// The step in progress as the reference's defaults end it (what ``ended(at:ending:)`` exports
  /// for a step never reported), ending at `endTime`; `nil` when no child took its id yet.
  func stepInProgressRecord(endTime: UInt64) -> StepSpanRecord? {
    guard let stepInProgress else { return nil }
    return StepSpanRecord(
      run: start, spanID: stepInProgress, startTime: min(lastStepEnd, endTime), endTime: endTime,
      event: StepEvent(), cumulativeReward: 0)
  }

  /// A run's last spans: its own and, when a child run or a model call hung under a step that
  /// was never reported, that step (with the reference's defaults), so no exported span's parent
  /// is missing.
  struct Ended {
    var run: RunSpanRecord
    var unreportedStep: StepSpanRecord?
  }

  func ended(at endTime: UInt64, ending: RunEnding) -> Ended {
    Ended(
      run: runRecord(endTime: endTime, ending: ending), unreportedStep: stepInProgressRecord(endTime: endTime)
    )
  }

  func runRecord(endTime: UInt64, ending: RunEnding) -> RunSpanRecord {
    RunSpanRecord(start: start, endTime: endTime, ending: ending)
  }
}
