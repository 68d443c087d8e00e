import Instrumentation
import ObservabilitySinks
import ServiceContextModule
import Tracing
import W3CTraceContext

// Every name below belongs to the ecosystem's modules; each must resolve without qualification
// although ObservabilitySinks is imported too.
let kind: SpanKind = .client
let status = SpanStatus(code: .ok)
let event = SpanEvent(name: "e")
var attributes: SpanAttributes = [:]
attributes["k"] = "v"
let traceID = TraceID.random()
let spanID = SpanID.random()
// Sampled: under the default parent-based sampler a run follows its caller's flag.
let context = TraceContext(traceID: traceID, spanID: spanID, flags: .sampled, state: TraceState())
var serviceContext = ServiceContext.topLevel
let instrument: any Instrument = NoOpInstrument()
let link = SpanLink(context: serviceContext, attributes: [:])

// And the sink's own API beside them.
var configuration = OpenTelemetrySinkConfiguration()
configuration.tracesExporter = .console
let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
let parent = TraceParent(context)
sink.onRunStart(runID: "r1", task: "check names", environment: "swift", params: RunParams(), parent: parent)
sink.onRunStart(
  runID: "c1", task: "child", environment: "swift", params: RunParams(parentRunID: "r1", depth: 1))
let callStart = ContinuousClock.now
sink.onLLMCall(
  runID: "c1",
  call: LLMCall(model: "m", role: .sub, promptTokens: 3, completionTokens: 1, start: callStart, end: .now))
sink.onRunEnd(
  runID: "c1",
  result: RunResult(
    completed: true, usage: UsageReport(total: TokenUsage(calls: 1, promptTokens: 3, completionTokens: 1))),
  runPath: "")
sink.onRunEnd(runID: "r1", result: RunResult(completed: true), runPath: "")
print(kind, status.code, event.name, attributes.count, instrument is NoOpInstrument, link.attributes.count)
print("child joined:", sink.traceID(forRun: "c1") == sink.traceID(forRun: "r1"))
print("run joined:", sink.traceID(forRun: "r1") == traceID.description)
sink.syncShutdown(timeout: .seconds(5))
