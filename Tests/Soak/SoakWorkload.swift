import Dispatch
import ObservabilitySinks
import SinkSupport
import Synchronization

/// The hooks the soak drives, on a thread of their own, at a steady pace until stopped; it counts
/// every span its calls must produce, so that the end can check none went missing.
///
/// Runs come in four kinds: normal (1–4 steps, some not completed), restarted (a second
/// `onRunStart` with the same id supersedes the first), and abandoned (started, one step, never
/// ended, as by a runtime that crashed: the active-run bound evicts them).
final class SoakWorkload: Sendable {
  private let sink: OpenTelemetrySink
  private let runsPerTick: Int
  private let tick: Duration
  private let maxActiveRuns: Int
  private let stopRequested = Atomic<Bool>(false)
  private let stopped = DispatchSemaphore(value: 0)
  /// The producer's figures, published when it stops.
  private let totals = LockedValue(Totals())

  struct Totals {
    /// Spans the hooks must have produced: one per run start (ended, superseded or evicted: all
    /// still-active runs are ended before the count is read) and one per step of an active run.
    var spansProduced = 0
    var runsStarted = 0
    var runsAbandoned = 0
  }

  init(sink: OpenTelemetrySink, runsPerTick: Int, tick: Duration, maxActiveRuns: Int) {
    self.sink = sink
    self.runsPerTick = runsPerTick
    self.tick = tick
    self.maxActiveRuns = maxActiveRuns
  }

  /// Starts the producer thread; `false` if the system refused it.
  func start() -> Bool {
    NativeThread.start(name: "soak-hooks") { [self] in produce() }
  }

  /// Stops the producer, ends the runs it abandoned that may still be active, and returns the totals.
  func stop() -> Totals {
    stopRequested.store(true, ordering: .relaxed)
    stopped.wait()
    return totals.withLock { $0 }
  }

  private func produce() {
    var counts = Totals()
    // The last `maxActiveRuns` abandoned ids: any older one has been evicted for sure, since at
    // least that many runs started after it.
    var abandoned: [String] = Array(repeating: "", count: maxActiveRuns)
    var index = 0
    while !stopRequested.load(ordering: .relaxed) {
      for _ in 0..<runsPerTick {
        play(index, abandoned: &abandoned, counts: &counts)
        index += 1
      }
      NativeThread.sleep(tick)  // pacing, not synchronisation
    }
    for runID in abandoned where !runID.isEmpty {
      // An evicted run is no longer active: ending it is a no-op, as the sink promises.
      sink.onRunEnd(runID: runID, result: RunResult(completed: false), runPath: "")
    }
    totals.withLock { $0 = counts }
    stopped.signal()
  }

  private func play(_ index: Int, abandoned: inout [String], counts: inout Totals) {
    let runID = "soak-\(index)"
    start(runID, counts: &counts)
    step(runID, 1, counts: &counts)
    switch index % 10 {
    case 3:
      abandoned[counts.runsAbandoned % abandoned.count] = runID
      counts.runsAbandoned += 1
      return
    case 7:
      start(runID, counts: &counts)
      step(runID, 1, counts: &counts)
    default:
      break
    }
    let steps = 1 + index % 4
    for number in 1..<steps { step(runID, number + 1, counts: &counts) }
    sink.onRunEnd(
      runID: runID,
      result: RunResult(completed: index % 13 != 0, steps: steps, totalReward: 0.5 * Double(steps)),
      runPath: "runs/\(runID).jsonl")
  }

  private func start(_ runID: String, counts: inout Totals) {
    sink.onRunStart(
      runID: runID, task: "soak: answer the question", environment: "soak",
      params: RunParams(maxSteps: 4, model: "soak-model"))
    counts.runsStarted += 1
    counts.spansProduced += 1
  }

  private func step(_ runID: String, _ number: Int, counts: inout Totals) {
    sink.onStep(
      runID: runID,
      event: StepEvent(
        step: number, action: StepAction(type: "run_python", code: "print(\(number))"),
        observation: StepObservation(success: number % 5 != 0, output: "\(number)"), reward: 0.5),
      cumulativeReward: 0.5 * Double(number))
    counts.spansProduced += 1
  }
}

/// Calls `forceFlush` with a short timeout every few seconds from a thread of its own, so that
/// flushes also meet the collector's restarts.
final class SoakFlusher: Sendable {
  private let sink: OpenTelemetrySink
  private let stopRequested = Atomic<Bool>(false)
  private let stopped = DispatchSemaphore(value: 0)
  private let flushes = Atomic<Int>(0)
  private let delivered = Atomic<Int>(0)

  init(sink: OpenTelemetrySink) {
    self.sink = sink
  }

  func start() -> Bool {
    NativeThread.start(name: "soak-flush") { [self] in
      var round = 0
      while !stopRequested.load(ordering: .relaxed) {
        round += 1
        // 0.4–3.2 s apart, in 100 ms pacing steps so that stop() is answered quickly.
        for _ in 0..<(4 + (round * 7) % 29) where !stopRequested.load(ordering: .relaxed) {
          NativeThread.sleep(.milliseconds(100))
        }
        if stopRequested.load(ordering: .relaxed) { break }
        let ok = sink.syncForceFlush(timeout: .milliseconds(500 + (round * 300) % 1500))
        flushes.wrappingAdd(1, ordering: .relaxed)
        if ok { delivered.wrappingAdd(1, ordering: .relaxed) }
      }
      stopped.signal()
    }
  }

  /// Stops the thread; the flushes made and how many of them delivered everything.
  func stop() -> (flushes: Int, delivered: Int) {
    stopRequested.store(true, ordering: .relaxed)
    stopped.wait()
    return (flushes.load(ordering: .relaxed), delivered.load(ordering: .relaxed))
  }
}
