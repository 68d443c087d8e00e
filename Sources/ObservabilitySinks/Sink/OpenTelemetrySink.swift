import Logging
import SinkSupport
import Synchronization

/// The OpenTelemetry sink of the reference (`rlm_code.rlm.observability_sinks.OpenTelemetrySink`):
/// an `rlm.run` span per run with an `rlm.step` child per step, the four RLM metric instruments,
/// exported over OTLP/gRPC (or to the console, or kept in memory).
///
/// Hooks record into memory and return; export runs on the sink's own thread. All state belongs to
/// this instance: two sinks in one process never interfere.
///
/// ```swift
/// let sink = OpenTelemetrySink(enabled: true, endpoint: "http://localhost:4317")
/// sink.onRunStart(runID: "r1", task: "Answer trivia", environment: "dspy", params: RunParams(maxSteps: 10))
/// sink.onStep(runID: "r1", event: StepEvent(step: 1, reward: 0.5), cumulativeReward: 0.5)
/// sink.onRunEnd(runID: "r1", result: RunResult(completed: true, steps: 1, totalReward: 0.5), runPath: "runs/r1.jsonl")
/// sink.syncShutdown()
/// ```
public final class OpenTelemetrySink: ObservabilitySink {
  /// Always `"opentelemetry"`.
  public let name = "opentelemetry"
  /// Whether the sink was enabled.
  public let enabled: Bool
  /// The `service.name` of the resource.
  public let serviceName: String
  /// The OTLP endpoint, if any.
  public let endpoint: String?
  /// Whether the four metric instruments are recorded.
  public let metricsEnabled: Bool
  /// The resource every span and metric carries.
  public let resource: Resource

  private let available: Bool
  private let detail: String
  package let recorder: RunRecorder?
  /// The parent given to this process through `TRACEPARENT`, read once.
  private let inheritedParent: SpanParent?
  private let worker: ExportWorker?
  /// The export thread, for tests that watch it.
  var exportWorker: ExportWorker? { worker }
  private let metricExporter: (any MetricExporter)?
  private let spanExporter: (any SpanExporter)?
  private let exportTimeout: Duration
  /// How long the `Service` conformance (ObservabilitySinksServiceLifecycle) waits for delivery
  /// after a graceful shutdown.
  package let gracefulShutdownTimeout: Duration
  private let counters = SinkCounters()

  /// The instrumentation scope of every span and metric: this library and its version.
  public static let instrumentationScope = InstrumentationScope(
    name: "ObservabilitySinks", version: ObservabilitySinksVersion.current)

  /// Creates a sink as the reference's constructor does; `configuration` holds everything else.
  public init(
    enabled: Bool, serviceName: String = "rlm-code", endpoint: String? = nil, metricsEnabled: Bool = true,
    configuration: OpenTelemetrySinkConfiguration = OpenTelemetrySinkConfiguration()
  ) {
    let endpoint = endpoint?.isEmpty == true ? nil : endpoint
    self.enabled = enabled
    self.serviceName = serviceName
    self.endpoint = endpoint
    self.metricsEnabled = metricsEnabled
    let settings = SinkSettings(configuration: configuration, endpoint: endpoint)
    exportTimeout = settings.pipeline.exportTimeout
    gracefulShutdownTimeout = configuration.gracefulShutdownTimeout
    resource = ResourceBuilder.resource(serviceName: serviceName, extra: settings.resourceAttributes)
    let source = TelemetrySource(resource: resource, scope: Self.instrumentationScope)
    inheritedParent = TraceParent.fromEnvironment(settings.environment).map { SpanParent($0, isRemote: true) }
    guard enabled, !settings.sdkDisabled else {
      available = false
      detail = enabled ? "disabled by OTEL_SDK_DISABLED" : "disabled"
      recorder = nil
      worker = nil
      metricExporter = nil
      spanExporter = nil
      return
    }
    let selection: ExporterSelection
    let pipeline: (recorder: RunRecorder, worker: ExportWorker?)
    do {
      selection = try ExporterSelection(
        settings: settings, metricsEnabled: metricsEnabled, configuration: configuration, source: source)
      pipeline = try Self.makePipeline(
        selection, settings: settings.pipeline, maxActiveRuns: settings.maxActiveRuns,
        captureMessageContent: settings.captureMessageContent, sampler: settings.sampler,
        configuration: configuration, metricsEnabled: metricsEnabled, source: source, counters: counters,
        spool: settings.spool)
    } catch {
      configuration.logger.warning("OpenTelemetry sink setup failed: \(error)")
      available = false
      detail = "setup failed: \(error)"
      recorder = nil
      worker = nil
      metricExporter = nil
      spanExporter = nil
      return
    }
    available = true
    detail = selection.detail
    metricExporter = selection.metricExporter
    spanExporter = selection.spanExporter
    recorder = pipeline.recorder
    worker = pipeline.worker
  }

  /// The recorder, and the export thread when there is something to export to.
  private static func makePipeline(
    _ selection: ExporterSelection, settings: PipelineSettings, maxActiveRuns: Int,
    captureMessageContent: Bool, sampler: TraceSampler,
    configuration: OpenTelemetrySinkConfiguration, metricsEnabled: Bool, source: TelemetrySource,
    counters: SinkCounters, spool spoolSettings: SpoolSettings?
  ) throws(SetupError) -> (recorder: RunRecorder, worker: ExportWorker?) {
    var spoolSettings = spoolSettings
    if spoolSettings != nil, !(selection.spanExporter is OTLPSpanExporter) {
      configuration.logger.warning(
        "DSPY_RLM_OTEL_SPOOL_DIR / spoolDirectory needs the OTLP span exporter (an endpoint); spans stay in memory"
      )
      spoolSettings = nil
    }
    // With a spool the queue is the hand-off to its writer, which empties it every 50 ms: a burst
    // far above the specification's 2,048 spans fits, and goes to disk, not to the floor.
    let queue = SpanQueue(
      capacity: spoolSettings.map { max($0.bufferCapacity, settings.maxQueueSize) } ?? settings.maxQueueSize,
      batchSize: settings.maxExportBatchSize)
    func makeRecorder(journals: Bool) -> RunRecorder {
      RunRecorder(
        queue: selection.spanExporter == nil ? nil : queue, counters: counters,
        metricsEnabled: metricsEnabled,
        cardinalityLimit: configuration.cardinalityLimit, recentRunCapacity: configuration.recentRunCapacity,
        maxActiveRuns: maxActiveRuns, genAIMetrics: settings.conventions.contains(.genAI),
        captureMessageContent: captureMessageContent, sampler: sampler, journalsRunStarts: journals)
    }
    // The spool's writer takes run starts from the recorder; without a spool nothing is journaled.
    var recorder = makeRecorder(journals: spoolSettings != nil)
    var spool: SpoolExport?
    if let spoolSettings, let exporter = selection.spanExporter as? OTLPSpanExporter {
      do {
        let writer = try SpoolWriter(
          settings: spoolSettings, source: source, queue: queue, recorder: recorder,
          conventions: settings.conventions, spanLimits: settings.spanLimits, counters: counters,
          logger: configuration.logger)
        spool = SpoolExport(writer: writer, exporter: exporter, source: source, settings: spoolSettings)
      } catch {
        configuration.logger.warning(
          "spool \(spoolSettings.directory) cannot be used: \(error); spans stay in memory")
        recorder = makeRecorder(journals: false)
      }
    }
    let pipelineRecorder = recorder
    guard selection.spanExporter != nil || selection.metricExporter != nil else { return (recorder, nil) }
    let worker = ExportWorker(
      queue: queue, spanExporter: selection.spanExporter, metricExporter: selection.metricExporter,
      collectMetrics: { pipelineRecorder.collectMetrics(temporality: $0) }, source: source,
      settings: settings,
      counters: counters,
      log: ExportWorker.LogTarget(
        logger: configuration.logger, spanDestination: selection.spanDestination,
        metricDestination: selection.metricDestination, maxActiveRuns: maxActiveRuns), spool: spool)
    guard worker.start() else { throw SetupError(description: "the system refused a thread for the export") }
    if let timeout = configuration.exitFlushTimeout { ExitFlush.register(worker, timeout: timeout) }
    return (recorder, worker)
  }

  /// Why a sink could not start.
  struct SetupError: Error, CustomStringConvertible {
    var description: String
  }

  deinit {
    // Deliver what is queued in the background, without holding up whoever released the sink;
    // the exit-time flush still waits for it if the process ends meanwhile.
    worker?.beginShutdown(deadline: Deadline(after: exportTimeout))
  }

  /// Whether anything recorded leaves the process (an exporter and its thread were set up).
  package var hasExporter: Bool { worker != nil }

  /// The reference's status fields plus our counters.
  public func status() -> OpenTelemetrySinkStatus {
    var status = OpenTelemetrySinkStatus(
      name: name, enabled: enabled, available: available, detail: detail, serviceName: serviceName,
      metricsEnabled: metricsEnabled)
    status.spansRecorded = counters.spansRecorded.load(ordering: .relaxed)
    status.spansExported = counters.spans.exported.load(ordering: .relaxed)
    status.spansDropped = counters.spansDropped.load(ordering: .relaxed)
    status.runsEvicted = counters.runsEvicted.load(ordering: .relaxed)
    status.spansFailed = counters.spans.failed.load(ordering: .relaxed)
    status.spansRejected = counters.spans.rejected.load(ordering: .relaxed)
    status.exportFailures = counters.spans.failedCalls.load(ordering: .relaxed)
    status.metricExports = counters.metricExports.load(ordering: .relaxed)
    status.metricExportFailures = counters.dataPoints.failedCalls.load(ordering: .relaxed)
    if let counts = recorder?.counts {
      status.activeRuns = counts.activeRuns
      status.runsSuperseded = counts.runsSuperseded
      status.metricValuesRejected = counts.rejectedMetricValues
      status.runsNotSampled = counts.runsNotSampled
    }
    status.metricExportStopped = metricExporter?.stoppedReason
    status.spoolSpansDiscarded = counters.spool.spansDiscarded.load(ordering: .relaxed)
    status.spansRecovered = counters.spool.spansRecovered.load(ordering: .relaxed)
    status.runsRecovered = counters.spool.runsRecovered.load(ordering: .relaxed)
    status.spoolSpans = counters.spool.spansOnDisk.load(ordering: .relaxed)
    status.spoolBytes = counters.spool.bytes.load(ordering: .relaxed)
    status.runsNotJournaled = counters.runsNotJournaled.load(ordering: .relaxed)
    if spanExporter != nil {
      let settled =
        status.spansExported + status.spansDropped + status.spansFailed + status.spansRejected
        + status.spoolSpansDiscarded
      status.spansPending = max(0, status.spansRecorded + status.spansRecovered - settled)
    }
    status.dataPointsExported = counters.dataPoints.exported.load(ordering: .relaxed)
    status.dataPointsRejected = counters.dataPoints.rejected.load(ordering: .relaxed)
    status.dataPointsFailed = counters.dataPoints.failed.load(ordering: .relaxed)
    status.exportRetries = (spanExporter?.retries ?? 0) + (metricExporter?.retries ?? 0)
    if let error = counters.lastErrorRecord {
      status.lastError = error.message
      status.lastErrorTimeUnixNano = error.timeUnixNano
    }
    return status
  }

  /// Starts the run's `rlm.run` span and counts it in `rlm.runs`. The run joins the caller's
  /// trace when there is one: the `TRACEPARENT` environment variable, else the span of the task's
  /// `ServiceContext` as the bootstrapped instrument (swift-otel's tracer, or any other)
  /// propagates it; otherwise it starts a new trace.
  ///
  /// Specification: *Environment Variables as Context Propagation Carriers* (`TRACEPARENT`,
  /// `TRACESTATE`); W3C Trace Context for the values.
  public func onRunStart(runID: String, task: String, environment: String, params: RunParams) {
    onRunStart(runID: runID, task: task, environment: environment, params: params, parent: nil)
  }

  /// Starts the run's `rlm.run` span as a child of `parent` (a span in another process, e.g. from
  /// an incoming `traceparent` header); with `nil`, as ``onRunStart(runID:task:environment:params:)``.
  ///
  /// Specification: W3C Trace Context (the run continues the parent's trace and carries its
  /// `tracestate`); OTLP `SpanFlags` (`0x300`: the parent is remote).
  public func onRunStart(
    runID: String, task: String, environment: String, params: RunParams, parent: TraceParent?
  ) {
    startRun(runID: runID, task: task, environment: environment, params: params, parent: parent, at: nil)
  }

  /// Starts a run at `time` (Unix nanoseconds; `nil` is now), resolving its parent: `parent`, else
  /// `TRACEPARENT`, else the task's `ServiceContext`.
  package func startRun(
    runID: String, task: String, environment: String, params: RunParams, parent: TraceParent?,
    paramTypes: RunAttributeTypes? = nil, at time: UInt64?
  ) {
    guard let recorder else { return }
    let resolved: SpanParent?
    if let parent {
      resolved = SpanParent(parent, isRemote: true)
    } else if let inherited = inheritedParent {
      resolved = inherited
    } else if let context = CallerTraceContext.current() {
      resolved = SpanParent(context, isRemote: false)
    } else {
      resolved = nil
    }
    recorder.runStarted(
      runID: runID, task: task, environment: environment, params: params, parent: resolved,
      paramTypes: paramTypes, at: time)
  }

  /// Records the step as an `rlm.step` child of the run's span, counts it in `rlm.steps` and its
  /// reward in `rlm.reward`. Does nothing for a run id that is not active.
  public func onStep(runID: String, event: StepEvent, cumulativeReward: Double) {
    recorder?.stepFinished(runID: runID, event: event, cumulativeReward: cumulativeReward)
  }

  /// Records a model call of the run as a CLIENT span `chat {model}` under the step in progress,
  /// with GenAI attributes (and OpenInference ones when on); counts its tokens in `rlm.tokens`
  /// (and the GenAI client metrics when on). Does nothing for a run id that is not active.
  ///
  /// Specification: Semantic conventions for generative AI client spans (`chat`, development).
  public func onLLMCall(runID: String, call: LLMCall) {
    guard let recorder else { return }
    let now = UnixClock.now()
    let clock = ContinuousClock.now
    recorder.modelCallFinished(
      runID: runID, call: call, startTime: Self.wallTime(of: call.start, now: now, clock: clock),
      endTime: Self.wallTime(of: call.end, now: now, clock: clock))
  }

  /// The Unix time of a continuous-clock instant, from one reading of both clocks.
  private static func wallTime(
    of instant: ContinuousClock.Instant, now: UInt64, clock: ContinuousClock.Instant
  )
    -> UInt64
  {
    let ago = clock - instant
    if ago >= .zero {
      let nanos = UInt64(clamping: ago.saturatingNanoseconds)
      return now >= nanos ? now - nanos : 0
    }
    let (sum, overflow) = now.addingReportingOverflow(UInt64(clamping: (.zero - ago).saturatingNanoseconds))
    return overflow ? .max : sum
  }

  /// Ends the run's span with its result and records `rlm.run_duration`. Does nothing for a run
  /// id that is not active.
  public func onRunEnd(runID: String, result: RunResult, runPath: String) {
    recorder?.runEnded(runID: runID, result: result, runPath: runPath)
  }

  /// The run's trace id as 32 lowercase hex digits, while it is active and for the last
  /// ``OpenTelemetrySinkConfiguration/recentRunCapacity`` ended runs; otherwise `nil`.
  public func traceID(forRun runID: String) -> String? {
    recorder?.traceID(of: runID)?.hex
  }

  /// The run's `rlm.run` span as a parent to hand on — to a subprocess's `TRACEPARENT`, an
  /// outgoing request's `traceparent` header (``TraceParent/traceparent``) — with the run's
  /// sampling decision in its `sampled` flag, so the callee follows it. Answers for the same runs
  /// as ``traceID(forRun:)``.
  ///
  /// Specification: W3C Trace Context, *traceparent Header*; *Environment Variables as Context
  /// Propagation Carriers*.
  public func traceParent(forRun runID: String) -> TraceParent? {
    recorder?.traceParent(of: runID)
  }

  /// Exports everything recorded so far (spans and metrics); `true` when all of it was delivered
  /// before `timeout`. The wait happens on a thread of its own, never on the Swift concurrency
  /// pool; the export itself runs on the sink's thread. `timeout` bounds how long the caller waits:
  /// an export still under way then goes on under its own timeout and is counted by its answer.
  ///
  /// Specification: Tracing SDK, span processor *ForceFlush()*; Metrics SDK, MetricReader
  /// *ForceFlush()* (one call covers both).
  @discardableResult
  public func forceFlush(timeout: Duration = .seconds(30)) async -> Bool {
    await OffPoolCall.run { self.syncForceFlush(timeout: timeout) }
  }

  /// Exports what is left, stops the export thread and releases the exporters, never taking
  /// longer than `timeout`; `true` when everything was delivered. Later spans are dropped and
  /// counted. Idempotent. Waits on a thread of its own, never on the Swift concurrency pool.
  ///
  /// Specification: Tracing SDK, span processor *Shutdown()*; Metrics SDK, MetricReader
  /// *Shutdown()* (one call covers both).
  @discardableResult
  public func shutdown(timeout: Duration = .seconds(30)) async -> Bool {
    await OffPoolCall.run { self.syncShutdown(timeout: timeout) }
  }

  /// ``forceFlush(timeout:)`` for code that is not async: blocks the calling thread.
  @discardableResult
  public func syncForceFlush(timeout: Duration = .seconds(30)) -> Bool {
    worker?.forceFlush(timeout: timeout) ?? true
  }

  /// ``shutdown(timeout:)`` for code that is not async: blocks the calling thread.
  @discardableResult
  public func syncShutdown(timeout: Duration = .seconds(30)) -> Bool {
    worker?.shutdown(timeout: timeout) ?? true
  }
}

/// This library's version, as its instrumentation scope and `telemetry.sdk.version` report it.
public enum ObservabilitySinksVersion {
  /// The current version.
  public static let current = "0.1.0"
}
