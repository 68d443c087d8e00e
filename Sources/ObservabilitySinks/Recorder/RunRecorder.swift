import SinkSupport
import Synchronization

/// The hot path: turns hook calls into finished span records and metric updates in memory.
///
/// Each hook takes one lock, does one dictionary lookup, and hands finished spans to the queue;
/// it never formats text, never allocates attribute lists and never touches the network.
package final class RunRecorder: Sendable {
  private let state: LockedValue<RecorderState>
  private let queue: SpanQueue?
  /// Whether model calls keep their prompt and response.
  private let captureMessageContent: Bool
  /// Which traces are recorded; decided once per trace, at its top run.
  private let sampler: SamplingRule
  /// Whether a spool journals each sampled run's start (and each step a child opens early).
  private let journalsRunStarts: Bool
  /// The most run starts kept for the spool's writer between its turns.
  private let journalCapacity: Int
  let counters: SinkCounters

  init(
    queue: SpanQueue?, counters: SinkCounters, metricsEnabled: Bool, cardinalityLimit: Int,
    recentRunCapacity: Int, maxActiveRuns: Int, genAIMetrics: Bool = false,
    captureMessageContent: Bool = false, sampler: TraceSampler = .default, journalsRunStarts: Bool = false
  ) {
    self.queue = queue
    self.journalsRunStarts = journalsRunStarts
    journalCapacity = queue?.capacity ?? 0
    self.sampler = SamplingRule(sampler)
    self.counters = counters
    self.captureMessageContent = captureMessageContent
    state = LockedValue(
      RecorderState(
        runs: ActiveRuns(limit: maxActiveRuns), recent: RecentRuns(capacity: recentRunCapacity),
        instruments: metricsEnabled
          ? RLMInstruments(cardinalityLimit: cardinalityLimit, genAIMetrics: genAIMetrics) : nil))
  }

  func runStarted(
    runID: String, task: String, environment: String, params: RunParams, parent: SpanParent?,
    paramTypes: RunAttributeTypes? = nil, at time: UInt64? = nil
  ) {
    let now = time ?? UnixClock.now()
    let ended = state.withLock { state -> ActiveRun.Ended? in
      let run: ActiveRun
      if let parentRunID = params.parentRunID, parentRunID != runID, let parentRun = state.runs[parentRunID] {
        if journalsRunStarts, parentRun.isSampled, parentRun.stepInProgress == nil {
          _ = parentRun.stepInProgressID(&state.ids)
          if let step = parentRun.stepInProgressRecord(endTime: parentRun.lastStepEnd) {
            journal(.stepStarted(step))
          }
        }
        // A recursive run: one trace, the child under the parent's step in progress.
        let identity = SpanIdentity(
          traceID: parentRun.identity.traceID, spanID: state.ids.nextSpanID(),
          parentSpanID: parentRun.stepInProgressID(&state.ids), flags: SpanData.localParentFlags,
          traceState: parentRun.identity.traceState)
        // Its parent's decision: what every built-in sampler gives for a span of a sampled or
        // unsampled local parent in the same trace.
        run = ActiveRun(
          runID: runID, identity: identity, startTime: now, task: task, environment: environment,
          params: params, paramTypes: paramTypes, treeRoot: parentRun.treeRoot ?? parentRun,
          isSampled: parentRun.isSampled)
      } else {
        let identity = SpanIdentity(
          traceID: parent?.traceID ?? state.ids.nextTraceID(), spanID: state.ids.nextSpanID(),
          parentSpanID: parent?.spanID,
          flags: parent?.isRemote == true ? SpanData.remoteParentFlags : SpanData.localParentFlags,
          traceState: parent?.traceState ?? "")
        run = ActiveRun(
          runID: runID, identity: identity, startTime: now, task: task, environment: environment,
          params: params, paramTypes: paramTypes,
          parentRunSpan: params.parentRunID.flatMap { state.recent.run($0) },
          isSampled: sampler.isSampled(traceID: identity.traceID, parent: parent))
      }
      if !run.isSampled { state.runsNotSampled += 1 }
      if journalsRunStarts, run.isSampled {
        journalStart(run.start, in: &state)
      }
      let (replaced, evicted) = state.runs.insert(run)
      state.instruments?.runsCell(environment: environment, now: now).add(1)
      if let replaced {
        state.runsSuperseded += 1
        return replaced.isSampled ? replaced.ended(at: now, ending: .superseded) : nil
      }
      guard let evicted else { return nil }
      // The oldest run pushed out by the bound: it ends now, with ERROR, and is exported.
      state.recent.remember(runID: evicted.runID, run: evicted)
      counters.runsEvicted.wrappingAdd(1, ordering: .relaxed)
      return evicted.isSampled ? evicted.ended(at: now, ending: .evicted(limit: state.runs.limit)) : nil
    }
    if let ended { finish(ended) }
  }

  /// Hands a spool's journal record of a step a child run or model call took early (not a span:
  /// not counted as recorded) to the queue: what a later process needs to end the step should
  /// this one die first. Pushed under the recorder's lock (order: recorder, then queue), so it
  /// always precedes the span that closes it, whichever thread records that. A full queue
  /// refuses it like a span. (Run starts take ``journalStart(_:in:)``, no push.)
  private func journal(_ record: consuming SpanRecord) {
    if let queue, !queue.push(record) { counters.runsNotJournaled.wrappingAdd(1, ordering: .relaxed) }
  }

  /// Keeps a run's start for the spool's writer: a reference appended under the lock the hook
  /// already holds, not a second hand-off, so that journaling costs `onRunStart` next to nothing.
  private func journalStart(_ start: RunStart, in state: inout RecorderState) {
    if !state.journalClosed, state.startedRuns.count < journalCapacity {
      state.startedRuns.append(start)
    } else {
      counters.runsNotJournaled.wrappingAdd(1, ordering: .relaxed)
    }
  }

  /// The spool's writer takes the run starts kept since its last turn (`spare` must be empty).
  /// It drains the span queue first and this second: a span it drained was queued after its
  /// run's start was kept, so every start reaches the stream before a span that closes it.
  /// `closing`: the writer has stopped; later starts are not kept (counted as not journaled).
  func takeStartedRuns(into spare: inout [RunStart], closing: Bool = false) {
    state.withLock { state in
      swap(&state.startedRuns, &spare)
      if closing { state.journalClosed = true }
    }
  }

  package func stepFinished(
    runID: String, event: StepEvent, cumulativeReward: Double, types: StepAttributeTypes? = nil,
    at time: UInt64? = nil
  ) {
    let now = time ?? UnixClock.now()
    let record = state.withLock { state -> StepSpanRecord? in
      guard let run = state.runs[runID] else { return nil }
      let start = run.lastStepEnd
      run.lastStepEnd = now
      guard run.isSampled else {
        // Metrics count every run; an unsampled one makes no span.
        run.stepInProgress = nil
        state.instruments?.recordStep(run: run, runID: runID, reward: event.reward, now: now)
        return nil
      }
      let spanID = run.stepInProgress ?? state.ids.nextSpanID()
      run.stepInProgress = nil
      if let instruments = state.instruments {
        instruments.recordStep(run: run, runID: runID, reward: event.reward, now: now)
      }
      return StepSpanRecord(
        run: run.start, spanID: spanID, startTime: min(start, now), endTime: now, event: event,
        cumulativeReward: cumulativeReward, types: types)
    }
    if let record { finish(.step(record)) }
  }

  /// Records a model call of the run as a `chat {model}` span under the step in progress, from
  /// `startTime` to `endTime` (Unix nanoseconds). Does nothing for a run id that is not active.
  package func modelCallFinished(runID: String, call: LLMCall, startTime: UInt64, endTime: UInt64) {
    var call = call
    if !captureMessageContent, call.prompt != nil || call.response != nil {
      call.prompt = nil
      call.response = nil
    }
    let record = state.withLock { state -> LLMCallSpanRecord? in
      guard let run = state.runs[runID] else { return nil }
      guard run.isSampled else {
        (run.treeRoot ?? run).modelCallsReported = true
        let seconds = Double(endTime &- min(startTime, endTime)) / 1e9
        state.instruments?.models.record(call, durationSeconds: seconds, now: endTime)
        return nil
      }
      let opensStep = journalsRunStarts && run.stepInProgress == nil
      let spanID = state.ids.nextSpanID()
      let stepSpanID = run.stepInProgressID(&state.ids)
      if opensStep, let step = run.stepInProgressRecord(endTime: run.lastStepEnd) {
        journal(.stepStarted(step))
      }
      (run.treeRoot ?? run).modelCallsReported = true
      let seconds = Double(endTime &- min(startTime, endTime)) / 1e9
      state.instruments?.models.record(call, durationSeconds: seconds, now: endTime)
      return LLMCallSpanRecord(
        run: run.start, spanID: spanID, stepSpanID: stepSpanID, startTime: min(startTime, endTime),
        endTime: endTime, call: call)
    }
    if let record { finish(.llmCall(record)) }
  }

  /// `completedText`: for results replayed from JSON with a non-boolean `completed`, Python's
  /// `str()` of it, which the reference puts on `rlm.run_duration` (`"1"` for `1`).
  package func runEnded(
    runID: String, result: RunResult, runPath: String, completedText: String? = nil, at time: UInt64? = nil
  ) {
    let now = time ?? UnixClock.now()
    let ended = state.withLock { state -> ActiveRun.Ended? in
      guard let run = state.runs.remove(runID) else { return nil }
      state.recent.remember(runID: runID, run: run)
      // The top of a recursion counts the tree's usage, as the runtime sums it there, unless
      // its model calls were counted one by one.
      if let usage = result.usage, run.treeRoot == nil, !run.modelCallsReported {
        state.instruments?.models.count(usage, now: now)
      }
      if let instruments = state.instruments, let duration = result.durationSeconds,
        instruments.acceptsHistogramValue(duration)
      {
        instruments.durationCell(
          completed: completedText ?? (result.completed ? "True" : "False"), now: now
        ).record(
          duration, bounds: instruments.bounds)
      }
      return run.isSampled ? run.ended(at: now, ending: .finished(result, runPath: runPath)) : nil
    }
    if let ended { finish(ended) }
  }

  private func finish(_ ended: ActiveRun.Ended) {
    if let step = ended.unreportedStep { finish(.step(step)) }
    finish(.run(ended.run))
  }

  /// The trace id of an active run, else of a recently ended one.
  func traceID(of runID: String) -> SpanData.TraceID? {
    state.withLock { state in state.runs[runID]?.identity.traceID ?? state.recent.traceID(of: runID) }
  }

  /// The span of an active run, else of a recently ended one, as a parent to hand on.
  func traceParent(of runID: String) -> TraceParent? {
    state.withLock { state in
      if let run = state.runs[runID] {
        return TraceParent(
          traceID: run.identity.traceID, spanID: run.identity.spanID, traceState: run.identity.traceState,
          isSampled: run.isSampled)
      }
      return state.recent.run(runID).map {
        TraceParent(
          traceID: $0.traceID, spanID: $0.spanID, traceState: $0.traceState, isSampled: $0.isSampled)
      }
    }
  }

  /// The current metric points; for delta temporality this also starts a new interval. The lock
  /// is held only to read the values; the points are built after.
  func collectMetrics(temporality: AggregationTemporality) -> [MetricData] {
    let now = UnixClock.now()
    let snapshot = state.withLock { state in state.instruments?.snapshot(at: now, temporality: temporality) }
    return snapshot?.metricData() ?? []
  }

  /// The recorder's own counts, read under one lock: runs between start and end, runs replaced
  /// by a second start with the same id, histogram values refused (negative or not finite).
  /// (Runs pushed out by the active-run bound are in ``SinkCounters/runsEvicted``.)
  var counts: (activeRuns: Int, runsSuperseded: Int, rejectedMetricValues: Int, runsNotSampled: Int) {
    state.withLock {
      ($0.runs.count, $0.runsSuperseded, $0.instruments?.rejectedValues ?? 0, $0.runsNotSampled)
    }
  }

  private func finish(_ record: consuming SpanRecord) {
    counters.spansRecorded.wrappingAdd(1, ordering: .relaxed)
    guard let queue else { return }
    if !queue.push(record) {
      counters.spansDropped.wrappingAdd(1, ordering: .relaxed)
    }
  }
}

/// Everything the recorder's lock protects.
struct RecorderState {
  var ids = IdGenerator()
  var runs: ActiveRuns
  var recent: RecentRuns
  var instruments: RLMInstruments?
  var runsSuperseded = 0
  /// Runs the sampler left out (their metrics still count).
  var runsNotSampled = 0
  /// Run starts for the spool's writer to journal (``RunRecorder/takeStartedRuns(into:closing:)``).
  var startedRuns: [RunStart] = []
  var journalClosed = false
}
