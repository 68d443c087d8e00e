// rlm-otel-replay: replays recorded hook calls through a sink built from the environment.
//
//   rlm-otel-replay SCRIPT.json [--driver-out FILE] [--sleep-scale X]
//       plays a hook script (the golden-fixture format), writes the driver file (status and every
//       get_trace_id answer), then flushes and shuts the sink down.
//   rlm-otel-replay --jsonl RUN.jsonl [RUN.jsonl ...]
//       sends existing run logs of an RLM runtime (one event object per line) as traces, at the
//       times they were logged.
import Foundation
import ObservabilitySinks

func report(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

func driverDocument(status: OpenTelemetrySinkStatus, observations: [HookScriptPlayer.Observation])
  -> JSONValue
{
  let keys = ["name", "enabled", "available", "detail", "service_name", "metrics_enabled"]
  let answers: [JSONValue] = observations.map { observation in
    .object([
      ("call", .int(Int64(observation.call))), ("run_id", .string(observation.runID)),
      ("label", .string(observation.label)), ("trace_id", observation.traceID.map { .string($0) } ?? .null),
    ])
  }
  return .object([
    ("status", .object(keys.map { ($0, status.dictionary[$0]?.json ?? .null) })),
    ("observations", .array(answers)),
  ])
}

do {
  let options = try ReplayOptions(arguments: Array(CommandLine.arguments.dropFirst()))
  let scripts = try options.inputs.map { path in
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return options.runLogs ? try HookScript(runLog: text, runPath: path) : try HookScript(json: text)
  }
  // Replay runs without the runtime's pauses: size the queue to the script so nothing is dropped.
  var configuration = OpenTelemetrySinkConfiguration()
  configuration.maxQueueSize = max(2048, scripts.map { $0.calls.count }.reduce(0, +))
  let sink = OpenTelemetrySink.fromEnvironment(ProcessInfo.processInfo.environment, configuration: configuration)
  let player = HookScriptPlayer(sleepScale: options.sleepScale)
  let observations = scripts.flatMap { player.play($0, on: sink) }
  if let driverOut = options.driverOut {
    let text = driverDocument(status: sink.status(), observations: observations).jsonText + "\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: driverOut))
  }
  if options.exitWithoutShutdown { exit(0) }
  let delivered = sink.syncShutdown(timeout: .seconds(30))
  let status = sink.status()
  let calls = scripts.map { $0.calls.count }.reduce(0, +)
  var summary =
    "replayed \(calls) calls: spans recorded \(status.spansRecorded), exported \(status.spansExported)"
  summary += ", dropped \(status.spansDropped), failed \(status.spansFailed)"
  if let error = status.lastError { summary += "; last error: \(error)" }
  report(summary)
  exit(delivered && status.spansDropped == 0 ? 0 : 1)
} catch {
  report("rlm-otel-replay: \(error)")
  exit(2)
}
