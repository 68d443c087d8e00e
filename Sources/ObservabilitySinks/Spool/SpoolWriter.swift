import Dispatch
import Logging
import SinkSpool
import SinkSupport
import Synchronization

/// The spool's writer thread ("otel-spool"): takes what the hooks recorded from the queue, turns
/// it into spans (conventions and span limits applied, as the export thread does without a
/// spool), encodes each, and appends them to this process's stream at least every
/// ``SpoolSettings/writeInterval``, syncing every ``SpoolSettings/syncInterval``. The export
/// thread reads them back from the stream. Hooks never wait for it: the queue between them is the
/// same bounded, non-blocking hand-off as without a spool.
final class SpoolWriter: Sendable {
  let queue: SpanQueue
  /// Where the hooks keep run starts for the journal (taken after the queue, each turn).
  private let recorder: RunRecorder
  /// The export thread waits on this: signalled when a batch's worth of spans is written.
  let spansWritten = DispatchSemaphore(value: 0)
  private let state: LockedValue<State>
  private let settings: SpoolSettings
  private let conventions: LLMConventions
  private let spanLimits: ResolvedSpanLimits
  private let counters: SinkCounters
  private let logger: Logger
  private let stopped = OneShot<Bool>()
  let published: LockedValue<SpoolPublished>
  /// What a failed write left: sent from memory by the export thread.
  let unspooled: UnspooledSpans
  /// The stream; touched by the writer thread only once it runs (`nonisolated(unsafe)`: handed
  /// over at start, then the thread's alone, until ``stop(deadline:)`` has waited for it).
  nonisolated(unsafe) private var stream: SpoolStream
  let directory: String

  /// Unsent spans discarded to keep within the size bound since the last line saying so, and when
  /// that line was: the writer thread's alone.
  nonisolated(unsafe) private var discardedSinceLog = 0
  nonisolated(unsafe) private var lastDiscardLog: ContinuousClock.Instant?
  /// Spans lost to failed writes (they did not fit in memory) since the last line saying so, and
  /// when that was: the writer thread's alone.
  nonisolated(unsafe) private var lostSinceLog = 0
  nonisolated(unsafe) private var lastLossLog: ContinuousClock.Instant?
  /// Runs whose start is on disk and whose span a failed write sent to memory: a `closed` record
  /// says so with the next write that works, so that no later recovery rebuilds them. The
  /// writer thread's alone.
  nonisolated(unsafe) private var pendingCloses: [UInt64] = []
  /// Spans written since the export thread was last told: the writer thread's alone.
  nonisolated(unsafe) private var unsignalled = 0

  private struct State {
    var writeRequests: [OneShot<Bool>] = []
    var stopRequested = false
  }

  /// Opens a new stream in `settings.directory`; throws when the directory cannot be used.
  init(
    settings: SpoolSettings, source: TelemetrySource, queue: SpanQueue, recorder: RunRecorder,
    conventions: LLMConventions, spanLimits: ResolvedSpanLimits, counters: SinkCounters, logger: Logger
  ) throws(SpoolIOError) {
    self.settings = settings
    self.queue = queue
    self.recorder = recorder
    self.conventions = conventions
    self.spanLimits = spanLimits
    self.counters = counters
    self.logger = logger
    directory = settings.directory
    let encoded = TraceRequestEncoder().encodeSource(source)
    stream = try SpoolStream(
      directory: settings.directory, source: encoded, segmentBytes: settings.segmentBytes)
    published = stream.published
    if let network = SpoolDirectory.networkFileSystem(settings.directory) {
      logger.warning(
        "spool \(settings.directory) is on a network file system (\(network)): each process writes its own stream, but hosts that share this directory rely on its locks working across them (not so on an nfs `nolock` mount); a local disk is safer"
      )
    }
    unspooled = UnspooledSpans(capacity: settings.bufferCapacity)
    state = LockedValue(State())
  }

  /// Starts the thread; `false` when the system refuses one.
  func start() -> Bool {
    NativeThread.start(name: "otel-spool") { [self] in run() }
  }

  /// Writes everything queued so far; `true` when it is in the stream within `deadline`.
  func write(until deadline: Deadline) -> Bool {
    let done = OneShot<Bool>()
    let accepted = state.withLock { state -> Bool in
      guard !state.stopRequested else { return false }
      state.writeRequests.append(done)
      return true
    }
    guard accepted else { return stopped.wait(until: deadline) != nil }
    queue.batchReady.signal()
    return done.wait(until: deadline) ?? false
  }

  /// Writes what is left, syncs, and closes the stream (keeping it if anything is unsettled).
  func stop(deadline: Deadline) -> Bool {
    state.withLock { $0.stopRequested = true }
    queue.batchReady.signal()
    return stopped.wait(until: deadline) ?? false
  }

  private func run() {
    var writeFailures = 0
    recoverEarlierStreams(failures: &writeFailures)
    var spare = queue.makeSpare()
    var starts: [RunStart] = []
    var lastSync = ContinuousClock.now
    var lastRescan = ContinuousClock.now
    var unsynced = false
    while true {
      _ = queue.batchReady.wait(timeout: Deadline(after: settings.writeInterval).dispatchTime)
      let (requests, stopping) = state.withLock { state in
        defer { state.writeRequests.removeAll() }
        return (state.writeRequests, state.stopRequested)
      }
      if stopping { queue.close() }
      // The queue first, then the starts: see RunRecorder.takeStartedRuns.
      queue.drain(into: &spare)
      recorder.takeStartedRuns(into: &starts, closing: stopping)
      let written = write(starts: starts, spare, failures: &writeFailures)
      spare.removeAll(keepingCapacity: true)
      starts.removeAll(keepingCapacity: true)
      unsignalled += written
      do {
        try stream.acknowledge()
      } catch {
        if writeFailures == 0 {
          logger.warning(
            "spool \(directory): recording what the collector took failed: \(error); it is tried again (until then a crash would send it twice)"
          )
        }
        writeFailures += 1
      }
      // Also when no hook records: recovery and acknowledgements change the size too.
      enforceBound()
      // Synced every interval when something was written since (zero: after every write).
      unsynced = unsynced || written > 0 || !requests.isEmpty
      if unsynced, ContinuousClock.now - lastSync >= settings.syncInterval || stopping {
        try? stream.sync()
        lastSync = .now
        unsynced = false
      }
      let unsettled = stream.unsettled
      counters.spool.spansOnDisk.store(unsettled.spans, ordering: .relaxed)
      counters.spool.bytes.store(unsettled.bytes, ordering: .relaxed)
      if unsettled.spans > 0 && (unsignalled >= queue.batchSize || !requests.isEmpty || stopping) {
        unsignalled = 0
        spansWritten.signal()
      }
      for request in requests { request.fulfil(true) }
      if stopping {
        stream.close()
        stopped.fulfil(true)
        return
      }
      // What neighbours that died since (or shut down with spans unsent) left, without a restart;
      // after the turn's flushes are answered, so that none waits for it.
      if settings.rescanInterval > .zero, ContinuousClock.now - lastRescan >= settings.rescanInterval {
        recoverEarlierStreams(failures: &writeFailures)
        lastRescan = .now
      }
    }
  }

  /// Converts and appends the journal records of `starts`, then `records`; the spans among them
  /// that were written.
  private func write(starts: [RunStart], _ records: [SpanRecord], failures: inout Int) -> Int {
    // Also with nothing new when closes wait: an idle process must not leave them unwritten.
    guard !records.isEmpty || !starts.isEmpty || !pendingCloses.isEmpty else { return 0 }
    let encoder = TraceRequestEncoder()
    var entries: [SpoolStream.Entry] = []
    entries.reserveCapacity(starts.count + records.count + 1)
    if !pendingCloses.isEmpty {
      entries.append(SpoolStream.Entry(kind: .closed, payload: SpoolClosed.payload(pendingCloses)))
    }
    var spans = 0
    for index in 0..<(starts.count + records.count) {
      let record = index < starts.count ? SpanRecord.runStarted(starts[index]) : records[index - starts.count]
      let data = record.spanData(conventions: conventions).limited(by: spanLimits)
      let encoded = encoder.encodeSpan(data)
      // A record holds at most 4 MiB: a span larger than that (huge run ids or labels) is not
      // kept, counted and said, never a trap in the host.
      guard encoded.count <= SpoolRecord.largestPayload - SpoolSpan.fixedSize - 16 else {
        if case .runStarted = record {
        } else if case .stepStarted = record {
        } else {
          counters.spool.spansDiscarded.wrappingAdd(1, ordering: .relaxed)
          // Its journal, if it had one, is closed: the span will not be rebuilt as unfinished.
          stream.close(data.spanID.value)
        }
        logger.warning(
          "spool \(directory): a span of \(encoded.count) bytes is over the 4 MiB a spool record holds; it is not kept (status().spoolSpansDiscarded)"
        )
        continue
      }
      switch record {
      case .runStarted, .stepStarted:
        // Journaled, not sent: a later process ends it if this one dies first.
        let role: SpoolSpan.Role = if case .runStarted = record { .runEnded } else { .plain }
        let payload = SpoolSpan(data, role: role, time: data.startTimeUnixNano, span: encoded).payload()
        entries.append(SpoolStream.Entry(kind: .runStarted, payload: payload, startsRun: data.spanID.value))
      case .run, .step, .llmCall:
        let role: SpoolSpan.Role = if case .run = record { .runEnded } else { .plain }
        let payload = SpoolSpan(data, role: role, time: data.endTimeUnixNano, span: encoded).payload()
        // Any span closes the journal of the same id (a run, or a step a child took early).
        entries.append(SpoolStream.Entry(kind: .span, payload: payload, endsRun: data.spanID.value))
        spans += 1
      }
    }
    let appended = stream.append(entries)
    let written = entries.prefix(appended.written).count { $0.kind == .span }
    if appended.written > 0, entries.first?.kind == .closed { pendingCloses = [] }
    if let error = appended.error {
      // Nothing of the rest is on disk: its spans go on in memory (the export thread sends them
      // as without a spool). A run whose start is on disk gets a `closed` record with the next
      // write that works; its journal is forgotten now, so that it is not carried forward.
      let unwritten = entries.dropFirst(appended.written)
      for entry in unwritten {
        if let run = entry.endsRun, stream.close(run) { pendingCloses.append(run) }
      }
      let startsLost = unwritten.count { $0.kind == .runStarted }
      counters.runsNotJournaled.wrappingAdd(startsLost, ordering: .relaxed)
      let unwrittenSpans = unwritten.filter { $0.kind == .span }.map {
        Array($0.payload[SpoolSpan.fixedSize...])
      }
      let kept = unspooled.keep(unwrittenSpans)
      let lost = unwrittenSpans.count - kept
      counters.spool.spansDiscarded.wrappingAdd(lost, ordering: .relaxed)
      if kept > 0 { spansWritten.signal() }
      lostSinceLog += lost
      if failures == 0 {
        var fate = ["\(kept) spans go on in memory, sent without the spool"]
        if lost > 0 {
          fate.append(
            "\(lost) more did not fit (\(unspooled.capacity) spans, \(unspooled.byteCapacity >> 20) MiB at most) and are lost (status().spoolSpansDiscarded)"
          )
        }
        if startsLost > 0 {
          fate.append("\(startsLost) run starts are not journaled (status().runsNotJournaled)")
        }
        logger.warning(
          "spool \(directory): a write failed: \(error); \(fate.joined(separator: "; ")); later writes are tried again"
        )
        lastLossLog = .now
        lostSinceLog = 0
      } else if lostSinceLog > 0,
        lastLossLog.map({ ContinuousClock.now - $0 >= settings.problemLogInterval }) ?? true
      {
        logger.warning(
          "spool \(directory): writes still fail (\(error)): \(lostSinceLog) more spans did not fit in memory and are lost (status().spoolSpansDiscarded); repeats are summarised at most every \(settings.problemLogInterval.components.seconds) s"
        )
        lastLossLog = .now
        lostSinceLog = 0
      }
      failures += 1
    } else if failures > 0 {
      logger.notice("spool \(directory): writing works again after \(failures) failed writes")
      failures = 0
    }
    enforceBound()
    return written
  }

  /// Keeps the stream within its bound, counting and saying what that costs.
  private func enforceBound() {
    let discarded = stream.enforce(maxBytes: settings.maxBytes)
    if discarded > 0 {
      counters.spool.spansDiscarded.wrappingAdd(discarded, ordering: .relaxed)
      discardedSinceLog += discarded
      if lastDiscardLog.map({ ContinuousClock.now - $0 >= settings.problemLogInterval }) ?? true {
        logger.warning(
          "spool \(directory) is full (\(settings.maxBytes) bytes, DSPY_RLM_OTEL_SPOOL_MAX_BYTES): the oldest \(discardedSinceLog) unsent spans were discarded (status().spoolSpansDiscarded); repeats are summarised at most every \(settings.problemLogInterval.components.seconds) s"
        )
        lastDiscardLog = .now
        discardedSinceLog = 0
      }
    }
  }

  /// Sends again what processes before this one left unsent, and ends the runs they left open:
  /// one stream at a time, keeping up with the hooks between segments.
  private func recoverEarlierStreams(failures: inout Int) {
    let recovery = SpoolRecovery(directory: directory, ownName: stream.name)
    for name in recovery.otherStreams() {
      guard let lock = recovery.lockIfDead(name) else { continue }
      var failuresMeanwhile = failures
      do {
        let adopted = try recovery.adopt(name, into: stream) {
          var records: [SpanRecord] = []
          var starts: [RunStart] = []
          queue.drain(into: &records)
          recorder.takeStartedRuns(into: &starts)
          unsignalled += write(starts: starts, records, failures: &failuresMeanwhile)
          try? stream.acknowledge()
          enforceBound()
        }
        counters.spool.spansRecovered.wrappingAdd(adopted.spans + adopted.rebuilt, ordering: .relaxed)
        counters.spool.runsRecovered.wrappingAdd(adopted.runs, ordering: .relaxed)
        logger.notice(
          "spool \(directory): recovered \(adopted.spans) unsent spans and \(adopted.runs) unfinished runs (ended with ERROR: \(RunSpanRecord.processEndedMessage)) of an earlier process (\(name))"
        )
        for problem in adopted.problems { logger.warning("spool \(directory): \(problem)") }
      } catch let error as SpoolRecovery.SetAside {
        logger.error("spool \(directory): \(error)")
      } catch {
        logger.warning(
          "spool \(directory): \(name) is not recovered: \(error); it is left for a later process")
      }
      failures = failuresMeanwhile
      withExtendedLifetime(lock) {}
    }
    if stream.unsettled.spans > 0 { spansWritten.signal() }
  }
}
