// rlm-otel-replay: replays recorded hook calls through a sink built from the environment.
// `rlm-otel-replay --help` (ReplayOptions.usage) says what it reads, and what its exit status means.
import ObservabilitySinks
import SinkReplay

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func report(_ text: String) {
  let bytes = Array((text + "\n").utf8)
  _ = write(STDERR_FILENO, bytes, bytes.count)
}

/// How many skipped lines of one file are shown; the rest are counted.
let skippedLinesShownPerFile = 20

func reportSkipped(_ skipped: [HookScriptError]) {
  var shown: [String: Int] = [:]
  for error in skipped {
    let file = error.file ?? ""
    shown[file, default: 0] += 1
    if shown[file]! <= skippedLinesShownPerFile { report("rlm-otel-replay: warning: skipped \(error)") }
  }
  for (file, count) in shown.sorted(by: { $0.key < $1.key }) where count > skippedLinesShownPerFile {
    report("rlm-otel-replay: warning: \(file): \(count - skippedLinesShownPerFile) more lines skipped")
  }
}

/// Why `sink` cannot deliver anything, if it cannot.
func setupProblem(_ sink: OpenTelemetrySink) -> String? {
  let status = sink.status()
  if !status.enabled { return "the sink is disabled: set DSPY_RLM_OTEL_ENABLED=true" }
  if !status.available { return "the sink is not available: \(status.detail)" }
  if !sink.hasExporter {
    return "the sink has no exporter: set OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER=console)"
  }
  return nil
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

func writeFile(_ text: String, to path: String) -> Bool {
  guard let file = fopen(path, "wb") else { return false }
  let bytes = Array(text.utf8)
  let written = fwrite(bytes, 1, bytes.count, file)
  return fclose(file) == 0 && written == bytes.count
}

let options: ReplayOptions
let inputs: ReplayInputs
do {
  options = try ReplayOptions(arguments: Array(CommandLine.arguments.dropFirst()))
  if options.help {
    print(ReplayOptions.usage)
    exit(0)
  }
  inputs = try ReplayInputs(options: options)
} catch {
  report("rlm-otel-replay: \(error)")
  exit(2)
}
reportSkipped(inputs.skippedLines)
for file in inputs.emptyFiles { report("rlm-otel-replay: warning: \(file): no events, nothing to replay") }

// Replay runs without the runtime's pauses: size the queue to the script so nothing is dropped.
var configuration = OpenTelemetrySinkConfiguration()
configuration.maxQueueSize = max(2048, inputs.scripts.map { $0.calls.count }.reduce(0, +))
let sink = OpenTelemetrySink.fromEnvironment(ProcessEnvironment.current(), configuration: configuration)
if let problem = setupProblem(sink) {
  report("rlm-otel-replay: nothing sent: \(problem)")
  exit(3)
}
let player = HookScriptPlayer(sleepScale: options.sleepScale)
let observations = inputs.scripts.flatMap { player.play($0, on: sink) }
if let driverOut = options.driverOut {
  let text = driverDocument(status: sink.status(), observations: observations).jsonText + "\n"
  guard writeFile(text, to: driverOut) else {
    report("rlm-otel-replay: \(driverOut): cannot write: \(String(cString: strerror(errno)))")
    exit(2)
  }
}
let skipped = inputs.skippedLines.count
if options.exitWithoutShutdown { exit(skipped == 0 ? 0 : 1) }
let delivered = sink.syncShutdown(timeout: .seconds(30))
let status = sink.status()
let calls = inputs.scripts.map { $0.calls.count }.reduce(0, +)
var summary =
  "replayed \(calls) calls: spans recorded \(status.spansRecorded), exported \(status.spansExported)"
summary += ", dropped \(status.spansDropped), failed \(status.spansFailed)"
if skipped > 0 { summary += "; skipped \(skipped) bad line\(skipped == 1 ? "" : "s")" }
if let error = status.lastError { summary += "; last error: \(error)" }
report(summary)
exit(delivered && status.spansDropped == 0 && status.spansFailed == 0 && skipped == 0 ? 0 : 1)
