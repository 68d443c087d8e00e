// The package-benchmark suites: per-call cost and allocations of each hook, OTLP encoding cost per
// span, and end-to-end export throughput. Run from the repository root:
//   swift package --package-path Benchmarks benchmark
//   swift package --package-path Benchmarks benchmark --filter "onStep.*"
//   swift package --package-path Benchmarks benchmark --filter '^on(Step|RunStart|RunEnd) \((not )?sampled.*'
// End-to-end export over OTLP/gRPC runs when SINK_BENCH_ENDPOINT names a receiver, e.g.
//   SINK_BENCH_ENDPOINT=http://127.0.0.1:4317 swift package --package-path Benchmarks benchmark
import Benchmark
@_spi(Benchmarks) import ObservabilitySinks
import ObservabilitySinksTesting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, .peakMemoryResident],
    timeUnits: .nanoseconds, warmupIterations: 3, scalingFactor: .kilo, maxDuration: .seconds(2),
    maxIterations: 2_000)

  hookBenchmarks()
  encodingBenchmarks()
  endToEndBenchmarks()
}

/// `onRunStart`, `onStep`, `onRunEnd`, `onLLMCall` and a child run's `onRunStart` for every variant,
/// and the first three under explicit samplers; 1000 calls per iteration (figures are per call).
func hookBenchmarks() {
  for variant in SinkVariant.all {
    onStepBenchmark(variant)
    onRunStartBenchmark(variant)

    Benchmark("onStep with usage (\(variant.label))") { benchmark in
      let sink = Sinks.sink(for: variant)
      let event = Inputs.stepWithUsage
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        sink.onStep(runID: Sinks.stepRunID, event: event, cumulativeReward: 1)
      }
    }

    // Model calls of the step in progress of the run the onStep benchmarks add to: the first
    // call fixes the step's span id, the others reuse it (as calls within one step do).
    Benchmark("onLLMCall (\(variant.label))") { benchmark in
      let sink = Sinks.sink(for: variant)
      let call = Inputs.llmCall()
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        sink.onLLMCall(runID: Sinks.stepRunID, call: call)
      }
    }

    // The same with conventions [.genAI, .openInference]: with metrics on, the hook also records
    // gen_ai.client.token.usage (two points) and gen_ai.client.operation.duration; the attributes
    // of both conventions are added on the export thread.
    Benchmark("onLLMCall genai metrics (\(variant.label))") { benchmark in
      let sink = Sinks.sink(for: variant, conventions: Inputs.conventions)
      let call = Inputs.llmCall()
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        sink.onLLMCall(runID: Sinks.stepRunID, call: call)
      }
    }

    // Children of an active run: each joins the parent's trace under its step in progress (fixed
    // by the first child). Ended outside the measurement, as in onRunStart.
    Benchmark("onRunStart of a child run (\(variant.label))") { benchmark in
      let sink = Sinks.sink(for: variant)
      let prefix = String(UInt32.random(in: .min ... .max), radix: 16) + "-c"
      let ids = benchmark.scaledIterations.map { prefix + String($0) }
      let params = Inputs.childParams
      benchmark.startMeasurement()
      for id in ids {
        sink.onRunStart(runID: id, task: Inputs.task, environment: Inputs.environment, params: params)
      }
      benchmark.stopMeasurement()
      for id in ids { sink.onRunEnd(runID: id, result: Inputs.result, runPath: "runs/r.jsonl") }
    }

    onRunEndBenchmark(variant)
  }

  // The same three hooks with a sampler set in code, metrics on (the realistic case), beside the
  // rows above (default sampler) for comparison: a sampled run takes the sampler's ratio path at
  // onRunStart, an unsampled one also skips building and queueing every span record.
  for sampler in SamplerChoice.all {
    for exporting in [true, false] {
      let variant = SinkVariant(metrics: true, exporting: exporting, sampler: sampler)
      onStepBenchmark(variant)
      onRunStartBenchmark(variant)
      onRunEndBenchmark(variant)
    }
  }
}

/// Steps of the variant's long-lived run (``Sinks/stepRunID``).
func onStepBenchmark(_ variant: SinkVariant) {
  Benchmark("onStep (\(variant.label))") { benchmark in
    let sink = Sinks.sink(for: variant)
    let event = Inputs.step
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      sink.onStep(runID: Sinks.stepRunID, event: event, cumulativeReward: 1)
    }
  }
}

/// New top runs (each decided by the sampler), ended outside the measurement.
func onRunStartBenchmark(_ variant: SinkVariant) {
  Benchmark("onRunStart (\(variant.label))") { benchmark in
    let sink = Sinks.sink(for: variant)
    let prefix = String(UInt32.random(in: .min ... .max), radix: 16) + "-"
    let ids = benchmark.scaledIterations.map { prefix + String($0) }
    benchmark.startMeasurement()
    for id in ids {
      sink.onRunStart(runID: id, task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    }
    benchmark.stopMeasurement()
    for id in ids { sink.onRunEnd(runID: id, result: Inputs.result, runPath: "runs/r.jsonl") }
  }
}

/// Ends of runs started outside the measurement.
func onRunEndBenchmark(_ variant: SinkVariant) {
  Benchmark("onRunEnd (\(variant.label))") { benchmark in
    let sink = Sinks.sink(for: variant)
    let prefix = String(UInt32.random(in: .min ... .max), radix: 16) + "-"
    let ids = benchmark.scaledIterations.map { prefix + String($0) }
    for id in ids {
      sink.onRunStart(runID: id, task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    }
    benchmark.startMeasurement()
    for id in ids { sink.onRunEnd(runID: id, result: Inputs.result, runPath: "runs/r.jsonl") }
  }
}

/// The OTLP encoder (protobuf-c, one arena per request) on 512 real `rlm.step` spans, as one export
/// batch; figures are per request (divide by 512 for a span).
func encodingBenchmarks() {
  Benchmark(
    "encode one 512-span rlm.step request (TraceRequestEncoder)",
    configuration: .init(scalingFactor: .one)
  ) { benchmark in
    let spans = EncodingInput.spans
    let source = EncodingInput.source
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      blackHole(TraceRequestEncoder.encode(spans, from: source))
    }
  }
}

/// Spans as the sink hands them to its exporter: one run of 511 steps, captured in memory.
enum EncodingInput {
  static let captured: ([SpanData], TelemetrySource) = {
    let exporter = InMemorySpanExporter()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.exitFlushTimeout = nil
    configuration.spanExporter = exporter
    configuration.metricsExporter = ExporterKind.none
    let sink = OpenTelemetrySink(enabled: true, serviceName: "rlm-bench", configuration: configuration)
    sink.onRunStart(
      runID: "encode", task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    for number in 1...511 {
      var event = Inputs.step
      event.step = number
      sink.onStep(runID: "encode", event: event, cumulativeReward: Double(number) / 10)
    }
    sink.onRunEnd(runID: "encode", result: Inputs.result, runPath: "runs/encode.jsonl")
    sink.syncShutdown(timeout: .seconds(10))
    let spans = exporter.finishedSpans
    return (
      spans,
      exporter.sources.first
        ?? TelemetrySource(resource: sink.resource, scope: OpenTelemetrySink.instrumentationScope)
    )
  }()
  static var spans: [SpanData] { captured.0 }
  static var source: TelemetrySource { captured.1 }
}

/// The burst (205 runs × 50 steps, 10,455 spans) from the first hook until the exporter has
/// everything (queue sized to the burst); figures are per burst.
func endToEndBenchmarks() {
  let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, .peakMemoryResident],
    timeUnits: .milliseconds, scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 50)

  Benchmark("burst 205×50 through the export thread (discarding exporter)", configuration: configuration) {
    benchmark in
    for _ in benchmark.scaledIterations {
      let sink = SinkVariant(metrics: true, exporting: true).makeSink(queue: 10_455)
      runBurst(sink)
      let flushed = sink.syncForceFlush(timeout: .seconds(30))
      precondition(flushed && sink.status().spansExported == 10_455, "burst not fully exported")
      benchmark.stopMeasurement()
      sink.syncShutdown(timeout: .seconds(5))
    }
  }

  guard let endpoint = getenv("SINK_BENCH_ENDPOINT").map({ String(cString: $0) }), !endpoint.isEmpty else {
    return
  }
  Benchmark("burst 205×50 over OTLP/gRPC to SINK_BENCH_ENDPOINT", configuration: configuration) { benchmark in
    for _ in benchmark.scaledIterations {
      var options = OpenTelemetrySinkConfiguration()
      options.environment = [:]
      options.exitFlushTimeout = nil
      options.maxQueueSize = 10_455
      let sink = OpenTelemetrySink(
        enabled: true, serviceName: "rlm-bench", endpoint: endpoint, configuration: options)
      runBurst(sink)
      let flushed = sink.syncForceFlush(timeout: .seconds(30))
      precondition(flushed && sink.status().spansExported == 10_455, "burst not fully exported")
      benchmark.stopMeasurement()
      sink.syncShutdown(timeout: .seconds(5))
    }
  }
}

func runBurst(_ sink: OpenTelemetrySink) {
  for run in 0..<205 {
    let id = "burst-\(run)"
    sink.onRunStart(runID: id, task: Inputs.task, environment: Inputs.environment, params: Inputs.params)
    for number in 1...50 {
      var event = Inputs.step
      event.step = number
      sink.onStep(runID: id, event: event, cumulativeReward: Double(number) / 10)
    }
    sink.onRunEnd(runID: id, result: Inputs.result, runPath: "runs/\(id).jsonl")
  }
}
