import ObservabilitySinks

// The design card's way in: the sink comes from the environment (DSPY_RLM_OTEL_ENABLED,
// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, DSPY_RLM_OTEL_METRICS_ENABLED and the OTEL_* variables).
let sink = createOtelSinkFromEnv()
let observability = RLMObservability(sinks: [sink])

observability.onRunStart(
  runID: "env-run", task: "Add 2 and 3", environment: "local", params: RunParams(maxSteps: 1, model: "gpt-4o")
)
observability.onStep(
  runID: "env-run",
  event: StepEvent(
    step: 1, action: StepAction(type: "run_python", code: "print(2 + 3)"),
    observation: StepObservation(success: true, output: "5"), reward: 1),
  cumulativeReward: 1)
observability.onRunEnd(
  runID: "env-run", result: RunResult(completed: true, steps: 1, totalReward: 1, finalAnswer: "5"),
  runPath: "")
print("detail:", sink.status().detail)
print("trace:", sink.traceID(forRun: "env-run") ?? "-")
print("traceparent:", sink.traceParent(forRun: "env-run")?.traceparent ?? "-")
await sink.shutdown(timeout: .seconds(5))
let status = sink.status()
print("spans exported:", status.spansExported)
print("runs not sampled:", status.runsNotSampled)
// With DSPY_RLM_OTEL_SPOOL_DIR: what a collector that was down left on disk, and what this
// process took over from an earlier one.
print("spool spans:", status.spoolSpans)
print("spans recovered:", status.spansRecovered)
