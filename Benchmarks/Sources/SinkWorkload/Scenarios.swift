import ObservabilitySinks
import ObservabilitySinksTesting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a scenario is run with (from the command line).
struct WorkloadOptions {
  var endpoint: String?
  /// `OTEL_EXPORTER_OTLP_PROTOCOL` for the sink: `grpc` (the default) or `http/protobuf`.
  var otlpProtocol = "grpc"
  var inMemory = false
  var metrics = true
  var runs = 1000
  var steps = 50
  var activeRuns = 2000
  var queue: Int?
  var batch: Int?
  var seconds = 3.0
  var neverEnd = false
  var maxActiveRuns: Int?
  /// `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` for the sink (`nil`: the default sampler).
  var sampler: String?
  var samplerArgument: String?
  /// A spool directory for the sink (`nil`: in memory, the default).
  var spool: String?
  /// (hooks) Untimed passes of the same runs before the timed one.
  var warmUpPasses = 0
  /// (hooks) Microseconds spun (untimed) after each hook call: a runtime's pace rather than a
  /// burst, so that the sink's threads keep up and no sink drops anything.
  var paceMicroseconds = 0
}

/// Builds the sink under test: OTLP to `endpoint` (or an in-memory exporter), everything else at
/// the defaults unless the options say otherwise; the ambient environment is ignored, except that
/// the transport is chosen as a user chooses it, with `OTEL_EXPORTER_OTLP_PROTOCOL` (with
/// `http/protobuf` the endpoint is the base URL to which the sink appends `v1/traces`, `v1/metrics`).
func makeSink(_ options: WorkloadOptions) -> OpenTelemetrySink {
  var configuration = OpenTelemetrySinkConfiguration()
  configuration.environment =
    options.otlpProtocol == "grpc" ? [:] : ["OTEL_EXPORTER_OTLP_PROTOCOL": options.otlpProtocol]
  // Through the variables, as a user sets the sampler (and as the Python SDK reads it).
  configuration.environment?["OTEL_TRACES_SAMPLER"] = options.sampler
  configuration.environment?["OTEL_TRACES_SAMPLER_ARG"] = options.samplerArgument
  configuration.exitFlushTimeout = nil
  configuration.maxQueueSize = options.queue
  configuration.maxExportBatchSize = options.batch
  configuration.maxActiveRuns = options.maxActiveRuns
  configuration.spoolDirectory = options.spool
  if options.inMemory {
    configuration.spanExporter = InMemorySpanExporter()
    configuration.metricsExporter = ExporterKind.none
  }
  return OpenTelemetrySink(
    enabled: true, serviceName: "rlm-bench", endpoint: options.inMemory ? nil : options.endpoint,
    metricsEnabled: options.metrics, configuration: configuration)
}

/// The status counters every scenario reports.
func statusJSON(_ status: OpenTelemetrySinkStatus) -> JSON {
  .object([
    ("spans_recorded", .int(status.spansRecorded)), ("spans_exported", .int(status.spansExported)),
    ("spans_dropped", .int(status.spansDropped)), ("spans_failed", .int(status.spansFailed)),
    ("spans_rejected", .int(status.spansRejected)), ("spans_pending", .int(status.spansPending)),
    ("export_failures", .int(status.exportFailures)), ("metric_exports", .int(status.metricExports)),
    ("runs_not_sampled", .int(status.runsNotSampled)),
    ("spans_recovered", .int(status.spansRecovered)), ("spool_spans", .int(status.spoolSpans)),
    ("spool_bytes", .int(status.spoolBytes)), ("spool_spans_discarded", .int(status.spoolSpansDiscarded)),
    ("last_error", status.lastError.map(JSON.string) ?? .null),
  ])
}

/// Hook costs: `runs` runs of `steps` steps as fast as possible with every call timed, then
/// `activeRuns` runs started without being ended (does `onRunStart` stay flat as runs pile up?).
/// With `warmUpPasses`, the timed runs first go through that many times untimed, each followed by
/// a flush: the figures are then a warm process's, whose queue memory is already in place (the
/// first pass's are reported too, as `cold_*`).
func hooksScenario(_ options: WorkloadOptions) -> [(String, JSON)] {
  let sink = makeSink(options)
  var cold: [(String, JSON)] = []
  for pass in 0..<options.warmUpPasses {
    let timed = timeHooks(sink, options, firstRun: (pass + 1) * (options.runs + options.activeRuns))
    if pass == 0 {
      cold = [
        ("cold_on_step", Percentiles(timed.steps).json),
        ("cold_on_run_start", Percentiles(timed.starts).json),
        ("cold_on_run_end", Percentiles(timed.ends).json),
      ]
    }
    _ = sink.syncForceFlush(timeout: .seconds(60))
  }
  let began = monotonicNanos()
  let (starts, steps, ends) = timeHooks(sink, options, firstRun: 0)
  let hooksSeconds = Double(monotonicNanos() - began) / 1e9

  var active: [UInt64] = []
  active.reserveCapacity(options.activeRuns)
  for run in 0..<options.activeRuns {
    let runID = WorkloadInputs.runID(options.runs + run)
    let t0 = monotonicNanos()
    sink.onRunStart(
      runID: runID, task: WorkloadInputs.task, environment: WorkloadInputs.environment,
      params: WorkloadInputs.params)
    active.append(monotonicNanos() - t0)
  }
  for run in 0..<options.activeRuns {
    let runID = WorkloadInputs.runID(options.runs + run)
    sink.onRunEnd(runID: runID, result: WorkloadInputs.result(steps: 0), runPath: "runs/\(runID).jsonl")
  }
  let flushed = sink.syncShutdown(timeout: .seconds(30))
  let tenth = max(1, options.runs / 10)
  let activeTenth = max(1, options.activeRuns / 10)
  return [
    ("on_step", Percentiles(steps).json),
    ("on_run_start", Percentiles(starts).json),
    ("on_run_end", Percentiles(ends).json),
    ("on_run_start_first_tenth", Percentiles(Array(starts.prefix(tenth))).json),
    ("on_run_start_last_tenth", Percentiles(Array(starts.suffix(tenth))).json),
    ("on_run_start_active_first_tenth", Percentiles(Array(active.prefix(activeTenth))).json),
    ("on_run_start_active_last_tenth", Percentiles(Array(active.suffix(activeTenth))).json),
    ("hooks_seconds", .number(hooksSeconds)),
    ("flushed", .bool(flushed)),
    ("status", statusJSON(sink.status())),
  ] + cold
}

/// `runs` runs of `steps` steps, every hook call timed (nanoseconds), the run ids numbered from
/// `firstRun`.
private func timeHooks(
  _ sink: OpenTelemetrySink, _ options: WorkloadOptions, firstRun: Int
) -> (starts: [UInt64], steps: [UInt64], ends: [UInt64]) {
  var starts: [UInt64] = []
  var steps: [UInt64] = []
  var ends: [UInt64] = []
  starts.reserveCapacity(options.runs)
  steps.reserveCapacity(options.runs * options.steps)
  ends.reserveCapacity(options.runs)
  for run in 0..<options.runs {
    let runID = WorkloadInputs.runID(firstRun + run)
    var t0 = monotonicNanos()
    sink.onRunStart(
      runID: runID, task: WorkloadInputs.task, environment: WorkloadInputs.environment,
      params: WorkloadInputs.params)
    var t1 = monotonicNanos()
    starts.append(t1 - t0)
    pace(options)
    var cumulative = 0.0
    for number in 1...max(1, options.steps) {
      let event = WorkloadInputs.step(number)
      cumulative += event.reward
      t0 = monotonicNanos()
      sink.onStep(runID: runID, event: event, cumulativeReward: cumulative)
      t1 = monotonicNanos()
      steps.append(t1 - t0)
      pace(options)
    }
    let result = WorkloadInputs.result(steps: options.steps)
    t0 = monotonicNanos()
    sink.onRunEnd(runID: runID, result: result, runPath: "runs/\(runID).jsonl")
    t1 = monotonicNanos()
    ends.append(t1 - t0)
    pace(options)
  }
  return (starts, steps, ends)
}

/// Spins for `paceMicroseconds`: a wait that keeps the core (a sleep would measure the wake-up).
private func pace(_ options: WorkloadOptions) {
  guard options.paceMicroseconds > 0 else { return }
  let until = monotonicNanos() + UInt64(options.paceMicroseconds) * 1000
  while monotonicNanos() < until {}
}

/// The burst: `runs` × `steps` as fast as possible, then shutdown; what was lost.
func burstScenario(_ options: WorkloadOptions) -> [(String, JSON)] {
  let sink = makeSink(options)
  let began = monotonicNanos()
  for run in 0..<options.runs {
    let runID = WorkloadInputs.runID(run)
    playRun(sink, runID: runID, steps: options.steps)
  }
  let produced = monotonicNanos()
  let flushed = sink.syncShutdown(timeout: .seconds(60))
  let done = monotonicNanos()
  let status = sink.status()
  let expected = options.runs * (options.steps + 1)
  return [
    ("spans_produced", .int(expected)),
    ("spans_lost", .int(expected - status.spansExported)),
    ("burst_seconds", .number(Double(produced - began) / 1e9)),
    ("drain_seconds", .number(Double(done - produced) / 1e9)),
    ("flushed", .bool(flushed)),
    ("status", statusJSON(status)),
  ]
}

/// Sustained export: runs of `steps` steps for `seconds`, pausing whenever half the queue is
/// pending (so nothing is dropped), then a flush; spans exported per second of the whole window.
func sustainedScenario(_ options: WorkloadOptions) -> [(String, JSON)] {
  var options = options
  let queue = options.queue ?? 65_536
  options.queue = queue
  let sink = makeSink(options)
  let cpuBefore = processCPUSeconds()
  let began = monotonicNanos()
  let deadline = began + UInt64(options.seconds * 1e9)
  var run = 0
  var pauses = 0
  while monotonicNanos() < deadline {
    let runID = WorkloadInputs.runID(run)
    run += 1
    playRun(sink, runID: runID, steps: options.steps)
    // Back-pressure: bounded by the deadline, so the loop always ends.
    while sink.status().spansPending > queue / 2, monotonicNanos() < deadline {
      pauses += 1
      usleep(50)
    }
  }
  let produced = monotonicNanos()
  let flushed = sink.syncForceFlush(timeout: .seconds(60))
  let done = monotonicNanos()
  let cpuAfter = processCPUSeconds()
  let status = sink.status()
  _ = sink.syncShutdown(timeout: .seconds(10))
  let seconds = Double(done - began) / 1e9
  return [
    ("spans_produced", .int(status.spansRecorded)),
    ("spans_lost", .int(status.spansRecorded - status.spansExported)),
    ("spans_per_second", .number(Double(status.spansExported) / seconds)),
    ("window_seconds", .number(seconds)),
    ("produce_seconds", .number(Double(produced - began) / 1e9)),
    ("backpressure_pauses", .int(pauses)),
    // The whole window (producing and the flush), every thread of the process.
    ("cpu_user_seconds", .number(cpuAfter.user - cpuBefore.user)),
    ("cpu_system_seconds", .number(cpuAfter.system - cpuBefore.system)),
    ("flushed", .bool(flushed)),
    ("status", statusJSON(status)),
  ]
}

/// A long-lived process: `runs` runs of `steps` steps, each with a distinct run id (so that
/// finished-run bookkeeping and the `run_id` metric series would grow if they were unbounded);
/// resident memory is sampled every tenth of the way, and should stay flat. With `neverEnd` the
/// runs are never ended (a runtime crashing mid-run): the active-run bound must keep it flat.
func longRunScenario(_ options: WorkloadOptions) -> [(String, JSON)] {
  let sink = makeSink(options)
  var samples: [JSON] = []
  let tenth = max(1, options.runs / 10)
  let rssBefore = procStatusKilobytes("VmRSS")
  for run in 0..<options.runs {
    let runID = WorkloadInputs.runID(run)
    if options.neverEnd {
      playAbandonedRun(sink, runID: runID, steps: options.steps)
    } else {
      playRun(sink, runID: runID, steps: options.steps)
    }
    if (run + 1) % tenth == 0 { samples.append(.int(procStatusKilobytes("VmRSS"))) }
  }
  let status = sink.status()
  _ = sink.syncShutdown(timeout: .seconds(30))
  return [
    ("never_end", .bool(options.neverEnd)), ("rss_kb_before", .int(rssBefore)),
    ("rss_kb_every_tenth", .array(samples)), ("active_runs", .int(status.activeRuns)),
    ("runs_evicted", .int(status.runsEvicted)), ("status", statusJSON(sink.status())),
  ]
}

/// One run started and stepped, never ended (its runtime crashed).
func playAbandonedRun(_ sink: OpenTelemetrySink, runID: String, steps: Int) {
  sink.onRunStart(
    runID: runID, task: WorkloadInputs.task, environment: WorkloadInputs.environment,
    params: WorkloadInputs.params)
  var cumulative = 0.0
  for number in 0..<steps {
    let event = WorkloadInputs.step(number + 1)
    cumulative += event.reward
    sink.onStep(runID: runID, event: event, cumulativeReward: cumulative)
  }
}

/// One untimed run of `steps` steps, as fast as possible.
func playRun(_ sink: OpenTelemetrySink, runID: String, steps: Int) {
  sink.onRunStart(
    runID: runID, task: WorkloadInputs.task, environment: WorkloadInputs.environment,
    params: WorkloadInputs.params)
  var cumulative = 0.0
  for number in 1...max(1, steps) {
    let event = WorkloadInputs.step(number)
    cumulative += event.reward
    sink.onStep(runID: runID, event: event, cumulativeReward: cumulative)
  }
  sink.onRunEnd(runID: runID, result: WorkloadInputs.result(steps: steps), runPath: "runs/\(runID).jsonl")
}

/// Leaves spans in a spool: `runs` × `steps` recorded with a collector that is down, then a short
/// shutdown (for `recover` to time).
func spoolGenerateScenario(_ options: WorkloadOptions) -> [(String, JSON)] {
  var options = options
  options.metrics = false
  let sink = makeSink(options)
  let began = monotonicNanos()
  for run in 0..<options.runs {
    playRun(sink, runID: WorkloadInputs.runID(run), steps: options.steps)
    // Paced to the spool's writer (what waits in its hand-off, not on disk), so that nothing is
    // dropped: the hooks alone outrun any disk.
    var status = sink.status()
    while status.spansPending - status.spoolSpans > 16_384 {
      usleep(200)
      status = sink.status()
    }
  }
  // Everything written (a flush waits for the writer; the export part fails at once).
  _ = sink.syncForceFlush(timeout: .seconds(600))
  let written = monotonicNanos()
  _ = sink.syncShutdown(timeout: .seconds(1))
  return [
    ("spans_produced", .int(options.runs * (options.steps + 1))),
    ("write_seconds", .number(Double(written - began) / 1e9)),
    ("status", statusJSON(sink.status())),
  ]
}

/// Recovery speed: a sink started on a spool that earlier processes left, timed until every span
/// it recovered was exported.
func recoverScenario(_ options: WorkloadOptions) -> [(String, JSON)] {
  var options = options
  options.metrics = false
  let began = monotonicNanos()
  let sink = makeSink(options)
  var status = sink.status()
  // Polling the counters of the benchmark's own sink: measurement, not synchronisation.
  while status.spansRecovered == 0 || status.spansExported < status.spansRecovered {
    if monotonicNanos() - began > 600_000_000_000 { break }
    usleep(1000)
    status = sink.status()
  }
  let done = monotonicNanos()
  let seconds = Double(done - began) / 1e9
  _ = sink.syncShutdown(timeout: .seconds(30))
  return [
    ("spans_recovered", .int(status.spansRecovered)),
    ("recover_seconds", .number(seconds)),
    ("spans_per_second", .number(Double(status.spansExported) / seconds)),
    ("status", statusJSON(sink.status())),
  ]
}
