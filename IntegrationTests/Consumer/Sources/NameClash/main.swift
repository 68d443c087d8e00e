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
let context = TraceContext(traceID: traceID, spanID: spanID, flags: [], state: TraceState())
var serviceContext = ServiceContext.topLevel
let instrument: any Instrument = NoOpInstrument()

// And the sink's own API beside them.
var configuration = OpenTelemetrySinkConfiguration()
configuration.tracesExporter = .console
let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
let parent = TraceParent(context)
sink.onRunStart(runID: "r1", task: "check names", environment: "swift", params: RunParams(), parent: parent)
sink.onRunEnd(runID: "r1", result: RunResult(completed: true), runPath: "")
print(kind, status.code, event.name, attributes.count, instrument is NoOpInstrument)
print("run joined:", sink.traceID(forRun: "r1") == traceID.description)
sink.syncShutdown(timeout: .seconds(5))
