import SinkSupport
import Synchronization

/// The hot path: turns hook calls into finished span records and metric updates in memory.
///
/// Each hook takes one lock, does one dictionary lookup, and hands finished spans to the queue;
/// it never formats text, never allocates attribute lists and never touches the network.
package final class RunRecorder: Sendable {
  private let state: LockedValue<RecorderState>
  private let queue: SpanQueue?
  let counters: SinkCounters

  init(
    queue: SpanQueue?, counters: SinkCounters, metricsEnabled: Bool, cardinalityLimit: Int,
    recentRunCapacity: Int, maxActiveRuns: Int
  ) {
    self.queue = queue
    self.counters = counters
    state = LockedValue(
      RecorderState(
        runs: ActiveRuns(limit: maxActiveRuns), recent: RecentTraceIDs(capacity: recentRunCapacity),
        instruments: metricsEnabled ? RLMInstruments(cardinalityLimit: cardinalityLimit) : nil))
  }

  func runStarted(
    runID: String, task: String, environment: String, params: RunParams, parent: SpanParent?,
    paramTypes: RunAttributeTypes? = nil, at time: UInt64? = nil
  ) {
    let now = time ?? UnixClock.now()
    let ended = state.withLock { state -> RunSpanRecord? in
      let identity = SpanIdentity(
        traceID: parent?.traceID ?? state.ids.nextTraceID(), spanID: state.ids.nextSpanID(),
        parentSpanID: parent?.spanID,
        flags: parent?.isRemote == true ? SpanData.remoteParentFlags : SpanData.localParentFlags,
        traceState: parent?.traceState ?? "")
      let run = ActiveRun(
        runID: runID, identity: identity, startTime: now, task: task, environment: environment,
        params: params, paramTypes: paramTypes)
      let (replaced, evicted) = state.runs.insert(run)
      state.instruments?.runsCell(environment: environment, now: now).add(1)
      if let replaced {
        state.runsSuperseded += 1
        return replaced.runRecord(endTime: now, ending: .superseded)
      }
      guard let evicted else { return nil }
      // The oldest run pushed out by the bound: it ends now, with ERROR, and is exported.
      state.recent.remember(runID: evicted.runID, traceID: evicted.identity.traceID)
      counters.runsEvicted.wrappingAdd(1, ordering: .relaxed)
      return evicted.runRecord(endTime: now, ending: .evicted(limit: state.runs.limit))
    }
    if let ended { finish(.run(ended)) }
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
      let identity = SpanIdentity(
        traceID: run.identity.traceID, spanID: state.ids.nextSpanID(), parentSpanID: run.identity.spanID,
        flags: SpanData.localParentFlags, traceState: run.identity.traceState)
      if let instruments = state.instruments {
        instruments.recordStep(run: run, runID: runID, reward: event.reward, now: now)
      }
      return StepSpanRecord(
        identity: identity, startTime: min(start, now), endTime: now, runID: runID, event: event,
        cumulativeReward: cumulativeReward, types: types)
    }
    if let record { finish(.step(record)) }
  }

  /// `completedText`: for results replayed from JSON with a non-boolean `completed`, Python's
  /// `str()` of it, which the reference puts on `rlm.run_duration` (`"1"` for `1`).
  package func runEnded(
    runID: String, result: RunResult, runPath: String, completedText: String? = nil, at time: UInt64? = nil
  ) {
    let now = time ?? UnixClock.now()
    let record = state.withLock { state -> RunSpanRecord? in
      guard let run = state.runs.remove(runID) else { return nil }
      state.recent.remember(runID: runID, traceID: run.identity.traceID)
      if let instruments = state.instruments, let duration = result.durationSeconds,
        instruments.acceptsHistogramValue(duration)
      {
        instruments.durationCell(
          completed: completedText ?? (result.completed ? "True" : "False"), now: now
        ).record(
          duration, bounds: instruments.bounds)
      }
      return run.runRecord(endTime: now, ending: .finished(result, runPath: runPath))
    }
    if let record { finish(.run(record)) }
  }

  /// The trace id of an active run, else of a recently ended one.
  func traceID(of runID: String) -> SpanData.TraceID? {
    state.withLock { state in state.runs[runID]?.identity.traceID ?? state.recent.traceID(of: runID) }
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
  var counts: (activeRuns: Int, runsSuperseded: Int, rejectedMetricValues: Int) {
    state.withLock { ($0.runs.count, $0.runsSuperseded, $0.instruments?.rejectedValues ?? 0) }
  }

  private func finish(_ record: SpanRecord) {
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
  var recent: RecentTraceIDs
  var instruments: RLMInstruments?
  var runsSuperseded = 0
}
