import Logging
import OTel
import ObservabilitySinks
import ObservabilitySinksTesting
import ServiceLifecycle
import Tracing

/// swift-otel's tracing backend, made as an application makes it and bootstrapped as the
/// process's instrument. Once per process: `InstrumentationSystem.bootstrap` may be called only
/// once, and every test of this package runs in the same process.
enum SwiftOTel {
  /// swift-otel's background service (exporter, batch processor, tracer), for a `ServiceGroup`.
  /// A `ServiceGroup` runs once, so only one test may run it.
  static let service: any Service = {
    var configuration = OTel.Configuration.default
    configuration.serviceName = "swift-otel-integration-tests"
    // Nothing leaves the process: the tests read swift-otel's span context, not its exports, so
    // they need no collector.
    configuration.traces.exporter = .none
    configuration.metrics.enabled = false
    configuration.logs.enabled = false
    configuration.diagnosticLogLevel = .warning
    let backend = try! OTel.makeTracingBackend(configuration: configuration)
    InstrumentationSystem.bootstrap(backend.factory)
    return backend.service
  }()

  /// Makes sure swift-otel's tracer is the process's instrument before a test starts spans.
  static func bootstrap() {
    _ = service
  }

  /// The trace and span id of swift-otel's current span, read from the task's `ServiceContext`
  /// by swift-otel itself — its public logging metadata provider, which reads its own span
  /// context key — so that the expectation does not go through the sink's code, nor through the
  /// propagator the sink asks. `nil` outside any swift-otel span.
  static func currentSpan() -> SpanIdentity? {
    let metadata = metadataProvider.get()
    guard let traceID = metadata["trace_id"], let spanID = metadata["span_id"] else { return nil }
    return SpanIdentity(traceID: "\(traceID)", spanID: "\(spanID)")
  }

  private static let metadataProvider = OTel.makeLoggingMetadataProvider()
}

/// A span's ids as lowercase hex, as swift-otel prints them.
struct SpanIdentity: Hashable, Sendable {
  var traceID: String
  var spanID: String
}

/// A sink whose spans stay in memory, with nothing read from the environment (a `TRACEPARENT`
/// there would take precedence over the task's context).
func makeSink(
  spans: InMemorySpanExporter, configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
) -> OpenTelemetrySink {
  var configuration = OpenTelemetrySinkConfiguration()
  configuration.spanExporter = spans
  configuration.environment = [:]
  configure(&configuration)
  return OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
}

/// One run of `steps` steps, through the sink's hooks only: what an RLM runtime does.
func playRun(_ sink: OpenTelemetrySink, runID: String, steps: Int = 2) {
  startRun(sink, runID: runID, steps: steps)
  finishRun(sink, runID: runID, steps: steps)
}

/// The run's start: from here its span has a parent, or not.
func startRun(_ sink: OpenTelemetrySink, runID: String, steps: Int = 2) {
  sink.onRunStart(
    runID: runID, task: "Answer trivia", environment: "dspy", params: RunParams(maxSteps: steps))
}

/// The run's steps and its end.
func finishRun(_ sink: OpenTelemetrySink, runID: String, steps: Int = 2) {
  for step in 1...max(1, steps) where steps > 0 {
    sink.onStep(
      runID: runID, event: StepEvent(step: step, reward: 0.5), cumulativeReward: Double(step) * 0.5)
  }
  sink.onRunEnd(
    runID: runID, result: RunResult(completed: true, steps: steps, totalReward: Double(steps) * 0.5),
    runPath: "runs/\(runID).jsonl")
}

extension InMemorySpanExporter {
  /// The `rlm.run` span of `runID` (by its `rlm.run_id` attribute), if exported.
  func runSpan(_ runID: String) -> SpanData? {
    finishedSpans.first { $0.name == "rlm.run" && $0.attributes["rlm.run_id"] == .string(runID) }
  }

  /// The `rlm.step` spans whose parent is `run`.
  func stepSpans(of run: SpanData) -> [SpanData] {
    finishedSpans.filter { $0.name == "rlm.step" && $0.parentSpanID == run.spanID }
  }
}
