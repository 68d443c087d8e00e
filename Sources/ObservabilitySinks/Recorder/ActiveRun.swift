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
  /// The id of the step span now in progress, fixed when a child run or a model call needs it
  /// as parent before the step ends; the step span then takes it.
  var stepInProgress: SpanData.SpanID?
  /// The top of the recursion this run belongs to, when it joined an active parent's trace.
  let treeRoot: ActiveRun?
  /// Set on a tree's top run when a model call of the tree was reported through `onLLMCall`, so
  /// that the run's usage summary is not counted in `rlm.tokens` a second time.
  var modelCallsReported = false
  /// The session and user every span of the run carries (OpenInference), if the caller gave them.
  let labels: RunLabels?
  /// The span of the already ended run that started this one.
  let parentRunSpan: RecentRun?
  /// Whether the sampler kept the run's trace: an unsampled run counts in the metrics and makes
  /// no span.
  let isSampled: Bool

  init(
    runID: String, identity: SpanIdentity, startTime: UInt64, task: String, environment: String,
    params: RunParams, paramTypes: RunAttributeTypes? = nil, treeRoot: ActiveRun? = nil,
    parentRunSpan: RecentRun? = nil, isSampled: Bool = true
  ) {
    self.isSampled = isSampled
    self.runID = runID
    self.identity = identity
    self.startTime = startTime
    self.task = task
    self.environment = environment
    self.params = params
    self.paramTypes = paramTypes
    lastStepEnd = startTime
    self.treeRoot = treeRoot
    self.parentRunSpan = parentRunSpan
    labels = RunLabels(params)
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
    let identity = SpanIdentity(
      traceID: self.identity.traceID, spanID: stepInProgress, parentSpanID: self.identity.spanID,
      flags: SpanData.localParentFlags, traceState: self.identity.traceState)
    return StepSpanRecord(
      identity: identity, startTime: min(lastStepEnd, endTime), endTime: endTime, runID: runID,
      event: StepEvent(), cumulativeReward: 0, labels: labels)
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
    RunSpanRecord(
      identity: identity, startTime: startTime, endTime: endTime, runID: runID, task: task,
      environment: environment, params: params, paramTypes: paramTypes, ending: ending,
      parentRunSpan: parentRunSpan)
  }
}
