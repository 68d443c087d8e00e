import ObservabilitySinks
import ObservabilitySinksTesting
import ServiceContextModule
import SinkReplay
import SinkSupport
import Testing
import W3CTraceContext

@Suite("Joining the caller's trace")
struct TraceParentTests {
  static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

  @Test func anExplicitTraceparentMakesTheRunARemoteChild() throws {
    let test = TestSink()
    let parent = try TraceParent(traceparent: Self.traceparent, tracestate: "vendor=abc")
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams(), parent: parent)
    test.sink.onStep(runID: "r", event: StepEvent(step: 1), cumulativeReward: 0)
    test.sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    #expect(test.sink.traceID(forRun: "r") == "4bf92f3577b34da6a3ce929d0e0e4736")
    let spans = test.flushedSpans()
    let run = try #require(spans.first { $0.name == "rlm.run" })
    let step = try #require(spans.first { $0.name == "rlm.step" })
    #expect(run.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
    #expect(run.parentSpanID?.hex == "00f067aa0ba902b7")
    #expect(run.flags == 0x300 && run.traceState == "vendor=abc")
    #expect(step.traceID == run.traceID && step.parentSpanID == run.spanID && step.flags == 0x100)
    #expect(step.traceState == "vendor=abc")
  }

  @Test(arguments: [
    "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
    "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
  ])
  func invalidTraceparentsAreRejected(text: String) {
    #expect(throws: (any Error).self) { try TraceParent(traceparent: text) }
  }

  @Test func theTraceparentEnvironmentVariableIsTheDefaultParent() throws {
    let spans = InMemorySpanExporter()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.spanExporter = spans
    configuration.environment = ["TRACEPARENT": Self.traceparent, "TRACESTATE": "k=v"]
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    sink.syncForceFlush()
    let run = try #require(spans.finishedSpans.first)
    #expect(
      run.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736" && run.flags == 0x300 && run.traceState == "k=v")
  }

  @Test func theSpanOfTheCallersServiceContextIsJoinedThroughTheBootstrappedInstrument() throws {
    let test = TestSink()
    let context = try ServiceContext.tracing(Self.traceparent)
    ServiceContext.withValue(context) {
      test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    }
    test.sink.onRunStart(runID: "alone", task: "t", environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    test.sink.onRunEnd(runID: "alone", result: RunResult(), runPath: "")
    let runs = test.spans(named: "rlm.run")
    let joined = try #require(runs.first { $0.attribute("rlm.run_id") == .string("r") })
    let alone = try #require(runs.first { $0.attribute("rlm.run_id") == .string("alone") })
    #expect(
      joined.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736"
        && joined.parentSpanID?.hex == "00f067aa0ba902b7")
    #expect(joined.flags == 0x100)
    #expect(alone.parentSpanID == nil && alone.traceID != joined.traceID)
  }
}

@Suite("Which parent wins")
struct TraceParentPrecedenceTests {
  static let fromEnvironment = "00-11111111111111111111111111111111-2222222222222222-01"
  static let explicit = "00-33333333333333333333333333333333-4444444444444444-01"
  static let inContext = "00-55555555555555555555555555555555-6666666666666666-01"

  private func sink(_ spans: InMemorySpanExporter) -> OpenTelemetrySink {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.spanExporter = spans
    configuration.environment = ["TRACEPARENT": Self.fromEnvironment]
    return OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
  }

  @Test func explicitBeatsEnvironmentWhichBeatsServiceContext() throws {
    let spans = InMemorySpanExporter()
    let sink = sink(spans)
    let context = try ServiceContext.tracing(Self.inContext)
    ServiceContext.withValue(context) {
      sink.onRunStart(
        runID: "explicit", task: "t", environment: "e", params: RunParams(),
        parent: try? TraceParent(traceparent: Self.explicit))
      sink.onRunStart(runID: "inherited", task: "t", environment: "e", params: RunParams())
    }
    _ = HookScriptPlayer(sleepScale: 0).play(
      HookScript(calls: [.runStart(runID: "replayed", task: "t", environment: "e", params: RunParams())]),
      on: sink)
    for runID in ["explicit", "inherited", "replayed"] {
      sink.onRunEnd(runID: runID, result: RunResult(), runPath: "")
    }
    sink.syncForceFlush()
    let traces = Dictionary(
      uniqueKeysWithValues: spans.finishedSpans.compactMap { span -> (String, String)? in
        guard case .string(let runID)? = span.attributes["rlm.run_id"] else { return nil }
        return (runID, span.traceID.hex)
      })
    #expect(traces["explicit"] == "33333333333333333333333333333333")
    #expect(traces["inherited"] == "11111111111111111111111111111111")
    #expect(traces["replayed"] == "11111111111111111111111111111111")
  }

  @Test func anInvalidTraceparentWarnsAndRunsStartNewTraces() throws {
    let logs = CapturedLogs()
    let spans = InMemorySpanExporter()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.spanExporter = spans
    configuration.logger = logs.logger
    configuration.environment = ["TRACEPARENT": "00-not-a-traceparent"]
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    sink.syncForceFlush()
    #expect(spans.finishedSpans.first?.parentSpanID == nil)
    #expect(logs.messages.withLock { $0 }.contains { $0.contains("TRACEPARENT") })
  }
}
