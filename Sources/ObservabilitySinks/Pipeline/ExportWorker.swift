import Dispatch
import Logging
import SinkSupport
import Synchronization

/// The export thread: takes finished spans from the queue in batches and collected metrics on
/// their interval, and hands them to the exporters, one export at a time.
///
/// It runs on its own `Thread`, never on the Swift concurrency pool, so a slow or blocking
/// exporter never starves the caller's tasks.
final class ExportWorker: Sendable {
  private let queue: SpanQueue
  private let spanExporter: (any SpanExporter)?
  private let metricExporter: (any MetricExporter)?
  private let collectMetrics: @Sendable (AggregationTemporality) -> [MetricData]
  private let source: TelemetrySource
  private let settings: PipelineSettings
  private let counters: SinkCounters
  private let log: LogTarget
  private let requests = LockedValue(WorkerRequests())
  /// With a spool: the writer between the queue and this thread, and what this thread reads.
  private let spool: SpoolExport?
  /// What wakes the thread: the queue filling a batch, or (with a spool) the writer.
  private let wake: DispatchSemaphore
  private let stopped = OneShot<Bool>()
  /// Times the thread woke, for tests that prove it does not spin.
  let wakeups = Atomic<Int>(0)

  /// Where problems are logged, and the names of the destinations they mention.
  struct LogTarget: Sendable {
    var logger: Logger
    var spanDestination: String
    var metricDestination: String
    /// The active-run bound, for the eviction message.
    var maxActiveRuns: Int
  }

  init(
    queue: SpanQueue, spanExporter: (any SpanExporter)?, metricExporter: (any MetricExporter)?,
    collectMetrics: @escaping @Sendable (AggregationTemporality) -> [MetricData], source: TelemetrySource,
    settings: PipelineSettings, counters: SinkCounters, log: LogTarget, spool: SpoolExport? = nil
  ) {
    self.spool = spool
    wake = spool?.writer.spansWritten ?? queue.batchReady
    self.queue = queue
    self.spanExporter = spanExporter
    self.metricExporter = metricExporter
    self.collectMetrics = collectMetrics
    self.source = source
    self.settings = settings
    self.counters = counters
    self.log = log
  }

  /// Starts the export thread; `false` when the system refuses a thread.
  func start() -> Bool {
    if let spool, !spool.writer.start() { return false }
    return NativeThread.start(name: "otel-export") { [self] in run() }
  }

  /// Exports everything recorded so far; `true` when all of it was delivered within `timeout`.
  func forceFlush(timeout: Duration) -> Bool {
    let deadline = Deadline(after: timeout)
    let request = CompletionRequest(deadline: deadline)
    let accepted = requests.withLock { requests -> Bool in
      guard requests.shutdownRequest == nil else { return false }
      requests.flushes.append(request)
      return true
    }
    guard accepted else { return false }
    wake.signal()
    return request.wait()
  }

  /// Exports what is left, stops the thread and shuts the exporters down, within `timeout`.
  /// Returns whether everything was delivered and the thread stopped in time. Idempotent: a later
  /// call waits, up to its own timeout, for the shutdown already under way.
  func shutdown(timeout: Duration) -> Bool {
    let deadline = Deadline(after: timeout)
    // Keep a small part of the time for cancelling an export that outlives the rest.
    let workDeadline = Deadline(after: timeout - min(.milliseconds(200), timeout / 4))
    let request = beginShutdown(deadline: workDeadline)
    if let delivered = request.answer(until: workDeadline) {
      return stopped.wait(until: deadline) != nil && delivered
    }
    // An export is still in flight: cancel it, so that what it carried is counted as failed now
    // instead of hanging on past the caller's deadline.
    spanExporter?.cancelExport()
    metricExporter?.cancelExport()
    _ = stopped.wait(until: deadline)
    return false
  }

  /// Asks the thread to export what is left and stop, within `deadline`, without waiting for it.
  @discardableResult
  func beginShutdown(deadline: Deadline) -> CompletionRequest {
    let (request, first) = requests.withLock { requests -> (CompletionRequest, Bool) in
      if let existing = requests.shutdownRequest { return (existing, false) }
      let request = CompletionRequest(deadline: deadline)
      requests.shutdownRequest = request
      return (request, true)
    }
    if first { wake.signal() }
    return request
  }

  private func run() {
    var spare = queue.makeSpare()
    var problems = ProblemLog(
      logger: log.logger, interval: settings.problemLogInterval, spanDestination: log.spanDestination,
      metricDestination: log.metricDestination, spanFailuresKept: spool != nil)
    var dropsReported = 0
    var evictionsReported = 0
    var nextSpanExport = Deadline(after: settings.scheduleDelay)
    var nextMetricExport = Deadline(after: settings.metricExportInterval)
    while true {
      let wakeAt = metricExporter == nil ? nextSpanExport : min(nextSpanExport, nextMetricExport)
      _ = wake.wait(timeout: wakeAt.dispatchTime)
      wakeups.wrappingAdd(1, ordering: .relaxed)
      let (flushes, shutdownRequest) = requests.withLock { requests in
        defer { requests.flushes.removeAll() }
        return (requests.flushes, requests.shutdownRequest)
      }
      if shutdownRequest != nil, spool == nil { queue.close() }
      reportDrops(since: &dropsReported, to: &problems)
      reportEvictions(since: &evictionsReported, to: &problems)
      let urgent = !flushes.isEmpty || shutdownRequest != nil
      // A flush's deadline is how long its caller waits, not a shorter timeout for the export:
      // spans are counted by what the server answered. Only shutdown cuts exports short.
      let deadline = shutdownRequest?.deadline
      var delivered = true
      if let spool {
        // A flush or shutdown first has the writer write everything recorded before it, and
        // after the export, the acknowledgements: a process killed right after a flush
        // returned sends nothing of it twice.
        let flushDeadline = flushes.map(\.deadline).min() ?? deadline
        if urgent, let flushDeadline { delivered = spool.writer.write(until: flushDeadline) && delivered }
        if urgent || nextSpanExport.hasPassed || spool.reader.backlog >= queue.batchSize
          || spool.writer.unspooled.count >= queue.batchSize
        {
          delivered =
            exportSpooled(spool, deadline: deadline, urgent: urgent, problems: &problems) && delivered
          nextSpanExport = Deadline(after: settings.scheduleDelay)
          if urgent, let flushDeadline { delivered = spool.writer.write(until: flushDeadline) && delivered }
        }
      } else if urgent || nextSpanExport.hasPassed || queue.count >= queue.batchSize {
        delivered = exportSpans(using: &spare, deadline: deadline, problems: &problems) && delivered
        nextSpanExport = Deadline(after: settings.scheduleDelay)
      }
      if metricExporter != nil, urgent || nextMetricExport.hasPassed {
        delivered = exportMetrics(deadline: deadline, problems: &problems) && delivered
        nextMetricExport = Deadline(after: settings.metricExportInterval)
      }
      problems.tick(at: .now)
      for flush in flushes {
        flush.complete(delivered && (spanExporter?.forceFlush(timeout: flush.deadline.remaining) ?? true))
      }
      if let shutdownRequest {
        reportDrops(since: &dropsReported, to: &problems)
        reportEvictions(since: &evictionsReported, to: &problems)
        problems.flush(at: .now)
        // What is still unsent stays in the spool's stream for the next process.
        if let spool {
          if !spool.writer.stop(deadline: shutdownRequest.deadline) {
            log.logger.warning(
              "spool \(spool.writer.directory): the writer did not finish within the shutdown deadline; what it had not written is not sent (status().spansPending)"
            )
          }
          // Its last writes may have failed: what they held is sent from memory now or counted.
          delivered =
            exportUnspooled(spool, deadline: shutdownRequest.deadline, urgent: true, problems: &problems)
            && delivered
          problems.flush(at: .now)
        }
        let remaining = shutdownRequest.deadline.remaining
        spanExporter?.shutdown(timeout: remaining)
        metricExporter?.shutdown(timeout: shutdownRequest.deadline.remaining)
        shutdownRequest.complete(delivered)
        stopped.fulfil(true)
        ExitFlush.unregister(self)
        return
      }
    }
  }

  /// Exports every queued span in batches; spans still queued after the deadline count as failed.
  /// With a pipelined exporter the next batch is converted and encoded while the previous one is
  /// on the wire (still one request in flight at a time).
  private func exportSpans(
    using spare: inout [SpanRecord], deadline: Deadline?, problems: inout ProblemLog
  ) -> Bool {
    queue.drain(into: &spare)
    defer { spare.removeAll(keepingCapacity: true) }
    guard !spare.isEmpty, let spanExporter else { return true }
    let pipelined = spanExporter as? any PipelinedSpanExporter
    var delivered = true
    var inFlight: (export: any PendingExport, count: Int)?
    var start = 0
    while start < spare.count {
      let end = min(start + queue.batchSize, spare.count)
      let batch = spare[start..<end].map {
        $0.spanData(conventions: settings.conventions).limited(by: settings.spanLimits)
      }
      start = end
      let timeout = min(settings.exportTimeout, deadline?.remaining ?? settings.exportTimeout)
      guard let pipelined else {
        let result =
          timeout > .zero
          ? spanExporter.export(batch, from: source, timeout: timeout)
          : .failure("the shutdown deadline passed")
        delivered = account(result, spans: batch.count, problems: &problems) && delivered
        continue
      }
      let prepared = pipelined.prepareExport(batch, from: source)
      if let previous = inFlight {
        delivered = account(previous.export.wait(), spans: previous.count, problems: &problems) && delivered
        inFlight = nil
      }
      let remaining = min(settings.exportTimeout, deadline?.remaining ?? settings.exportTimeout)
      guard remaining > .zero else {
        delivered =
          account(.failure("the shutdown deadline passed"), spans: batch.count, problems: &problems)
          && delivered
        continue
      }
      inFlight = (prepared.start(timeout: remaining), batch.count)
    }
    if let previous = inFlight {
      delivered = account(previous.export.wait(), spans: previous.count, problems: &problems) && delivered
    }
    return delivered
  }

  /// Sends what the spool's writer has written, in order, one batch at a time. A batch the
  /// receiver took (or refused for its content: it would be refused again) is settled and
  /// counted; one that failed otherwise stays in the stream and is sent again after a backoff
  /// (at once for a flush or shutdown), so an outage longer than any timeout loses nothing.
  private func exportSpooled(
    _ spool: SpoolExport, deadline: Deadline?, urgent: Bool, problems: inout ProblemLog
  ) -> Bool {
    let unspooledDelivered = exportUnspooled(spool, deadline: deadline, urgent: urgent, problems: &problems)
    return exportSpoolStream(spool, deadline: deadline, urgent: urgent, problems: &problems)
      && unspooledDelivered
  }

  /// Sends the spans the writer could not write, as a sink without a spool sends its queue: once
  /// (with the exporter's retries), a failure counted as failed. A few batches a turn unless a
  /// flush or shutdown waits, as for the stream; the thread wakes itself to go on.
  private func exportUnspooled(
    _ spool: SpoolExport, deadline: Deadline?, urgent: Bool, problems: inout ProblemLog
  ) -> Bool {
    let spans = spool.writer.unspooled.take(limit: urgent ? .max : 8 * queue.batchSize)
    if !urgent, spool.writer.unspooled.count > 0 { wake.signal() }
    var delivered = true
    var start = 0
    while start < spans.count {
      let batch = spans[start..<min(start + queue.batchSize, spans.count)]
      start = batch.endIndex
      let timeout = min(settings.exportTimeout, deadline?.remaining ?? settings.exportTimeout)
      let result =
        timeout > .zero
        ? spool.exporter.exportEncoded(batch, source: spool.source, timeout: timeout)
        : .failure("the shutdown deadline passed")
      delivered =
        account(result, spans: batch.count, problems: &problems, as: .unspooledSpanExport) && delivered
    }
    return delivered
  }

  /// Sends what the spool's writer has written (see ``exportSpooled(_:deadline:urgent:problems:)``).
  private func exportSpoolStream(
    _ spool: SpoolExport, deadline: Deadline?, urgent: Bool, problems: inout ProblemLog
  ) -> Bool {
    if !urgent, let retryAt = spool.retry.withLock({ $0.at }), !retryAt.hasPassed { return false }
    // A few batches a turn unless a flush or shutdown waits: a long backlog (a recovered spool)
    // must not hold up metric export and new requests; the thread wakes itself to go on.
    var batches = 0
    defer { if batches >= 8 { wake.signal() } }
    while urgent || batches < 8, let batch = spool.reader.next(limit: queue.batchSize) {
      batches += 1
      guard !batch.spans.isEmpty else {
        spool.reader.settle(batch)
        continue
      }
      let timeout = min(settings.exportTimeout, deadline?.remaining ?? settings.exportTimeout)
      guard timeout > .zero else { return false }
      let result = spool.exporter.exportEncoded(
        batch.spans[...], source: batch.source ?? spool.source, timeout: timeout)
      // A split batch partly delivered is kept and sent again whole (its delivered part twice,
      // at-least-once) unless what failed was a refusal of its content.
      if result.isDelivered || SpoolExport.isRefusal(result) {
        _ = account(result, spans: batch.spans.count, problems: &problems)
        spool.reader.settle(batch)
        // The writer records the acknowledgement now, not at its next tick: the window in which
        // a crash makes this batch be sent again stays the batch in flight.
        queue.batchReady.signal()
        spool.retry.withLock { $0 = (nil, spool.settings.firstRetryDelay) }
        continue
      }
      // Kept: not failed, just not yet delivered.
      let reason: String
      switch result {
      case .failure(let text), .partialFailure(_, _, let text): reason = text
      default: reason = ""
      }
      counters.spans.failedCalls.wrappingAdd(1, ordering: .relaxed)
      counters.recordError("span export: \(reason)")
      problems.record(.spanExport, items: batch.spans.count, reason: reason, at: .now)
      spool.retry.withLock { retry in
        retry.at = Deadline(after: retry.delay)
        retry.delay = min(retry.delay * 2, spool.settings.longestRetryDelay)
      }
      return false
    }
    if let problem = spool.reader.lastProblem, spool.reportedProblem.exchange(problem) != problem {
      log.logger.warning("spool \(spool.writer.directory): \(problem)")
    }
    return true
  }

  /// Counts what became of one batch, and logs a failure as `kind`; `true` when it was delivered.
  private func account(
    _ result: ExportResult, spans count: Int, problems: inout ProblemLog,
    as kind: ProblemLog.Kind = .spanExport
  ) -> Bool {
    let outcome = Settled(result, items: count)
    counters.spans.add(outcome)
    if let message = outcome.message { counters.recordError("span export: \(message)") }
    if outcome.failed > 0 {
      problems.record(kind, items: outcome.failed, reason: outcome.reason, at: .now)
    } else {
      problems.recovered(kind, at: .now)
    }
    return result.isDelivered
  }

  /// Reports spans the hooks dropped since the last look (they count; the export thread logs).
  private func reportDrops(since reported: inout Int, to problems: inout ProblemLog) {
    report(.spanDrop, count: counters.spansDropped.load(ordering: .relaxed), since: &reported, to: &problems)
  }

  /// Reports runs the active-run bound pushed out since the last look.
  private func reportEvictions(since reported: inout Int, to problems: inout ProblemLog) {
    report(
      .runEviction, count: counters.runsEvicted.load(ordering: .relaxed), since: &reported, to: &problems)
  }

  /// Logs what a counter the hooks keep gained since `reported`.
  private func report(
    _ kind: ProblemLog.Kind, count: Int, since reported: inout Int, to problems: inout ProblemLog
  ) {
    guard count > reported else { return }
    let reason =
      kind == .spanDrop ? "it holds \(queue.capacity) spans" : "more than \(log.maxActiveRuns) active runs"
    problems.record(kind, items: count - reported, reason: reason, at: .now)
    reported = count
  }

  private func exportMetrics(deadline: Deadline?, problems: inout ProblemLog) -> Bool {
    // An exporter that gave up for good (a trace-only backend) is not asked again.
    guard let metricExporter, metricExporter.stoppedReason == nil else { return true }
    let metrics = collectMetrics(metricExporter.preferredTemporality)
    guard !metrics.isEmpty else { return true }
    let timeout = min(settings.metricExportTimeout, deadline?.remaining ?? settings.metricExportTimeout)
    let result =
      timeout > .zero
      ? metricExporter.export(metrics, from: source, timeout: timeout)
      : .failure("the shutdown deadline passed")
    counters.metricExports.wrappingAdd(1, ordering: .relaxed)
    let points = metrics.reduce(0) { count, metric in
      switch metric.points {
      case .sum(let points, _, _): return count + points.count
      case .histogram(let points, _): return count + points.count
      }
    }
    let outcome = Settled(result, items: points)
    counters.dataPoints.add(outcome)
    if let message = outcome.message { counters.recordError("metric export: \(message)") }
    if outcome.failed > 0 {
      // A trace-only backend was already reported, once, by the exporter that stopped.
      if metricExporter.stoppedReason == nil {
        problems.record(.metricExport, items: outcome.failed, reason: outcome.reason, at: .now)
      }
    } else {
      problems.recovered(.metricExport, at: .now)
    }
    // A trace-only backend (no metrics service) is not a failure to deliver: the spans decide.
    return result.isDelivered || metricExporter.stoppedReason != nil
  }
}

/// What callers asked of the export thread since it last looked.
private struct WorkerRequests {
  var flushes: [CompletionRequest] = []
  var shutdownRequest: CompletionRequest?
}

/// A caller waiting, up to a deadline, for the export thread to answer.
struct CompletionRequest: Sendable {
  /// The deadline the export thread works to.
  let deadline: Deadline
  private let answer = OneShot<Bool>()

  init(deadline: Deadline) {
    self.deadline = deadline
  }

  func complete(_ delivered: Bool) {
    answer.fulfil(delivered)
  }

  /// The answer, or `false` when the request's deadline passed first.
  func wait() -> Bool {
    answer(until: deadline) ?? false
  }

  /// The answer, or `nil` when `waitDeadline` passed first.
  func answer(until waitDeadline: Deadline) -> Bool? {
    answer.wait(until: waitDeadline)
  }
}
