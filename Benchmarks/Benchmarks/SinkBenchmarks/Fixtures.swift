import ObservabilitySinks
import Synchronization

/// A span exporter that counts and discards: the export thread stays live without keeping spans
/// (an in-memory exporter would grow by every span the benchmark records).
final class DiscardingSpanExporter: SpanExporter {
  private let exported = Atomic<Int>(0)

  /// Spans received so far.
  var count: Int { exported.load(ordering: .relaxed) }

  func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    exported.wrappingAdd(spans.count, ordering: .relaxed)
    return .success
  }
}

/// How a benchmarked sink is set up.
struct SinkVariant: Sendable {
  /// Whether the four instruments are recorded.
  var metrics: Bool
  /// Whether an export thread drains the queue into a (discarding) exporter; otherwise the sink
  /// only records (no queue, no thread).
  var exporting: Bool

  var label: String { "metrics \(metrics ? "on" : "off"), \(exporting ? "live exporter" : "no exporter")" }

  static let all = [true, false].flatMap { metrics in
    [true, false].map { SinkVariant(metrics: metrics, exporting: $0) }
  }

  /// A sink of this variant; the queue is large and drained every millisecond so that hooks take the
  /// push path, not the (cheaper) drop path.
  func makeSink(queue: Int = 65_536) -> OpenTelemetrySink {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.exitFlushTimeout = nil
    configuration.maxQueueSize = queue
    configuration.scheduleDelay = .milliseconds(1)
    configuration.metricsExporter = ExporterKind.none
    if exporting {
      configuration.spanExporter = DiscardingSpanExporter()
    } else {
      configuration.tracesExporter = ExporterKind.none
    }
    return OpenTelemetrySink(
      enabled: true, serviceName: "rlm-bench", metricsEnabled: metrics, configuration: configuration)
  }
}

/// One long-lived sink per variant (created on first use, outside any measurement), each with one
/// active run the `onStep` benchmarks add steps to.
enum Sinks {
  static let stepRunID = "bench-run"
  private static let sinks: [OpenTelemetrySink] = SinkVariant.all.map { variant in
    let sink = variant.makeSink()
    sink.onRunStart(
      runID: stepRunID, task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    return sink
  }

  static func sink(for variant: SinkVariant) -> OpenTelemetrySink {
    sinks[
      SinkVariant.all.firstIndex { $0.metrics == variant.metrics && $0.exporting == variant.exporting } ?? 0]
  }
}

/// The inputs of Benchmarks/Sources/SinkWorkload (and of the Python driver).
enum Inputs {
  static let task = "Answer the trivia question using the Python sandbox and report the final answer."
  static let environment = "dspy"
  static let params = RunParams(maxSteps: 50, model: "gpt-4o")
  static let step = StepEvent(
    step: 1,
    action: StepAction(
      type: "run_python", code: "import math\nresult = sum(math.sqrt(i) for i in range(100))\n"),
    observation: StepObservation(success: true, output: "result = 661.4629471031477 (float), ok"), reward: 0.1
  )
  static let result = RunResult(
    completed: true, steps: 50, totalReward: 5, finalAnswer: "42",
    startedAt: ISO8601Timestamp("2025-01-01T00:00:00+00:00"),
    finishedAt: ISO8601Timestamp("2025-01-01T00:00:05+00:00"))
}
