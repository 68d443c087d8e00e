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
  /// A sampler set in code; `nil` leaves the default (`parentbased_always_on`, every run sampled).
  var sampler: SamplerChoice? = nil

  var label: String {
    let base = "metrics \(metrics ? "on" : "off"), \(exporting ? "live exporter" : "no exporter")"
    return sampler.map { "\($0.label), \(base)" } ?? base
  }

  static let all = [true, false].flatMap { metrics in
    [true, false].map { SinkVariant(metrics: metrics, exporting: $0) }
  }

  /// A sink of this variant; the queue is large and drained every millisecond so that hooks take the
  /// push path, not the (cheaper) drop path.
  /// `conventions`: the LLM conventions (none, the default, keeps the reference's export).
  func makeSink(queue: Int = 65_536, conventions: LLMConventions = []) -> OpenTelemetrySink {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.conventions = conventions
    configuration.exitFlushTimeout = nil
    configuration.maxQueueSize = queue
    configuration.scheduleDelay = .milliseconds(1)
    configuration.metricsExporter = ExporterKind.none
    configuration.sampler = sampler?.sampler
    if exporting {
      configuration.spanExporter = DiscardingSpanExporter()
    } else {
      configuration.tracesExporter = ExporterKind.none
    }
    return OpenTelemetrySink(
      enabled: true, serviceName: "rlm-bench", metricsEnabled: metrics, configuration: configuration)
  }
}

/// A sampler the sampling benchmarks set explicitly. The ratios are 1 and 0 so that every run of a
/// benchmark gets the same decision (a ratio in between would mix sampled and unsampled runs) while
/// still taking the ratio code path.
struct SamplerChoice: Sendable {
  var sampler: TraceSampler
  /// Whether a new top run (no parent) is sampled under `sampler`.
  var samples: Bool

  /// "sampled, traceidratio 1.0", "not sampled, always_off", ...
  var label: String {
    let name: String
    switch sampler {
    case .traceIDRatio(let ratio): name = "traceidratio \(ratio)"
    case .parentBased(.traceIDRatio(let ratio)): name = "parentbased_traceidratio \(ratio)"
    default: name = sampler.description
    }
    return "\(samples ? "sampled" : "not sampled"), \(name)"
  }

  static let all = [
    SamplerChoice(sampler: .traceIDRatio(1), samples: true),
    SamplerChoice(sampler: .parentBased(root: .traceIDRatio(1)), samples: true),
    SamplerChoice(sampler: .alwaysOff, samples: false),
    SamplerChoice(sampler: .parentBased(root: .traceIDRatio(0)), samples: false),
  ]
}

/// One long-lived sink per variant (created on first use, outside any measurement), each with one
/// active run the `onStep` and `onLLMCall` benchmarks add steps and model calls to, and one
/// active run the child-run benchmarks start children of.
enum Sinks {
  static let stepRunID = "bench-run"
  static let parentRunID = "bench-parent"
  private static let sinks: [OpenTelemetrySink] = SinkVariant.all.map { makeSink($0, conventions: []) }
  /// The same, with the GenAI and OpenInference conventions on.
  private static let conventionSinks: [OpenTelemetrySink] = SinkVariant.all.map {
    makeSink($0, conventions: Inputs.conventions)
  }

  private static func makeSink(_ variant: SinkVariant, conventions: LLMConventions) -> OpenTelemetrySink {
    let sink = variant.makeSink(conventions: conventions)
    sink.onRunStart(
      runID: stepRunID, task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    sink.onRunStart(
      runID: parentRunID, task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    return sink
  }

  /// Per sampler (and conventions), the same set of sinks with that sampler, made when a benchmark
  /// first asks for it: every variant, so that a sampling row runs beside as many idle export
  /// threads as the row it is compared with (each benchmark is its own process).
  private static let samplingSinks = Mutex<[String: [OpenTelemetrySink]]>([:])

  static func sink(for variant: SinkVariant, conventions: LLMConventions = []) -> OpenTelemetrySink {
    let index =
      SinkVariant.all.firstIndex { $0.metrics == variant.metrics && $0.exporting == variant.exporting } ?? 0
    guard let sampler = variant.sampler else {
      return conventions.isEmpty ? sinks[index] : conventionSinks[index]
    }
    let key = "\(sampler.label), conventions \(conventions.isEmpty ? "none" : "\(conventions)")"
    return samplingSinks.withLock { cache in
      if let made = cache[key] { return made[index] }
      let made = SinkVariant.all.map { other in
        var other = other
        other.sampler = sampler
        return makeSink(other, conventions: conventions)
      }
      cache[key] = made
      return made[index]
    }
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
  /// ``step`` with the usage an RLM runtime reports: in all and split by model role.
  static let stepWithUsage: StepEvent = {
    var event = step
    event.usage = UsageReport(
      total: TokenUsage(calls: 3, promptTokens: 1_650, completionTokens: 210),
      root: TokenUsage(calls: 1, promptTokens: 1_200, completionTokens: 150),
      sub: TokenUsage(calls: 2, promptTokens: 450, completionTokens: 60))
    return event
  }()
  /// A child run's parameters: it names ``Sinks/parentRunID``, one level down, with session and user.
  static let childParams = RunParams(
    maxSteps: 10, model: "gpt-4o-mini", parentRunID: Sinks.parentRunID, depth: 1, sessionID: "session-1",
    userID: "user-1")
  /// The conventions of the `onLLMCall` conventions benchmarks.
  static let conventions: LLMConventions = [.genAI, .openInference]
  /// A sub-model call of 250 ms that just returned (prompt and response are dropped: content
  /// capture is off by default).
  static func llmCall() -> LLMCall {
    let end = ContinuousClock.now
    return LLMCall(
      model: "gpt-4o-mini", role: .sub, provider: "openai", promptTokens: 412, completionTokens: 38,
      start: end - .milliseconds(250), end: end, error: nil, prompt: "What is the capital of France?",
      response: "Paris")
  }
  static let result = RunResult(
    completed: true, steps: 50, totalReward: 5, finalAnswer: "42",
    startedAt: ISO8601Timestamp("2025-01-01T00:00:00+00:00"),
    finishedAt: ISO8601Timestamp("2025-01-01T00:00:05+00:00"))
}
