// ScriptedRun: a recursive RLM run traced end to end: four steps whose model calls are `chat`
// spans, one of which delegates to a child run that nests under it (see DemoScript.swift). With
// OTEL_EXPORTER_OTLP_ENDPOINT set it exports over OTLP/gRPC; without one it prints the trace tree
// and the metrics in the terminal. DSPY_RLM_OTEL_CONVENTIONS=genai,openinference adds the GenAI and
// OpenInference attributes (what Arize Phoenix renders).
import Foundation
import ObservabilitySinks

var environment = ProcessInfo.processInfo.environment
environment["DSPY_RLM_OTEL_ENABLED"] = environment["DSPY_RLM_OTEL_ENABLED"] ?? "true"
var configuration = OpenTelemetrySinkConfiguration()
if (environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "").isEmpty {
  configuration.tracesExporter = .console
  configuration.metricsExporter = .console
}
let sink = OpenTelemetrySink.fromEnvironment(environment, configuration: configuration)
let runtime = ScriptedRuntime(observability: RLMObservability(sinks: [sink]))

let runID = String(UUID().uuidString.prefix(8)).lowercased()
let result = runtime.run(runID: runID, script: triviaScript, environment: "dspy")

let traceID = sink.traceID(forRun: runID) ?? "-"
let delivered = sink.syncShutdown(timeout: .seconds(10))
let status = sink.status()
print("run \(runID): completed=\(result.completed) steps=\(result.steps) total_reward=\(result.totalReward)")
print("trace id \(traceID)  (Jaeger: http://localhost:16686/trace/\(traceID))")
print(
  "sink: \(status.detail); spans recorded \(status.spansRecorded), exported \(status.spansExported), "
    + "dropped \(status.spansDropped), failed \(status.spansFailed); delivered=\(delivered)")
