// ScriptedRun: a three-step RLM run traced end to end. With OTEL_EXPORTER_OTLP_ENDPOINT set it
// exports over OTLP/gRPC; without one it prints the trace tree and the metrics in the terminal.
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
let result = runtime.run(
  runID: runID, task: "Create a DSPy signature that answers trivia questions", environment: "dspy",
  model: "gpt-4o",
  steps: [
    .init(
      action: "run_python", code: "import dspy\nqa = dspy.Signature('question -> answer')",
      thinking: .milliseconds(150), outcome: .success("Signature created"), reward: 0.5),
    .init(
      action: "run_python", code: "qa(question='6 * 7')",
      thinking: .milliseconds(200),
      outcome: .failure(.init(message: "TypeError: Signature is not callable; wrap it in dspy.Predict")),
      reward: -0.1),
    .init(
      action: "submit", code: "", thinking: .milliseconds(100), outcome: .success("42"), reward: 1.0),
  ])

let traceID = sink.traceID(forRun: runID) ?? "-"
let delivered = sink.syncShutdown(timeout: .seconds(10))
let status = sink.status()
print("run \(runID): completed=\(result.completed) steps=\(result.steps) total_reward=\(result.totalReward)")
print("trace id \(traceID)  (Jaeger: http://localhost:16686/trace/\(traceID))")
print(
  "sink: \(status.detail); spans recorded \(status.spansRecorded), exported \(status.spansExported), "
    + "dropped \(status.spansDropped), failed \(status.spansFailed); delivered=\(delivered)")
