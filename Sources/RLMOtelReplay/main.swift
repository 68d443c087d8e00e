// rlm-otel-replay: replays recorded hook calls through a sink built from the environment.
// `rlm-otel-replay --help` (ReplayOptions.usage) says what it reads, and what its exit status means.
import ObservabilitySinks
import SinkReplay
import SinkSupport

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

/// `12.3 s`, or `850 ms` under a second: tenths of a second say enough about a long replay.
func formatted(_ seconds: Double) -> String {
  guard seconds >= 1 else { return "\(Int((seconds * 1000).rounded())) ms" }
  let tenths = Int((seconds * 10).rounded())
  return "\(tenths / 10).\(tenths % 10) s"
}

func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

let started = ContinuousClock.now
let environment = ProcessEnvironment.current()
let options: ReplayOptions
do {
  options = try ReplayOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
  report("rlm-otel-replay: \(error)")
  exit(2)
}
if options.help {
  print(ReplayOptions.usage)
  exit(0)
}
if let spool = options.spool {
  exit(drainSpool(spool, environment: environment, options: options, started: started))
}
// Spans printed to stdout (the console exporter) would tear an in-place line on the same terminal.
let consoleSpans = environment["OTEL_TRACES_EXPORTER"]?.lowercased().contains("console") ?? false
var progress = ReplayProgress(
  enabled: options.progress, environment: environment, consoleSpans: consoleSpans, started: started,
  warn: { report("rlm-otel-replay: warning: \($0)") })
var counts = ReplayCounts(files: options.inputs.count)
let inputs: ReplayInputs
do {
  inputs = try ReplayInputs(options: options) { filesRead, runs in
    counts.filesRead = filesRead
    counts.runs = runs
    progress.update(counts) { nil }
  }
} catch {
  progress.clear()
  report("rlm-otel-replay: \(error)")
  exit(2)
}
progress.clear()
reportSkipped(inputs.skippedLines)
for file in inputs.emptyFiles { report("rlm-otel-replay: warning: \(file): no events, nothing to replay") }

let calls = inputs.scripts.map { $0.calls.count }.reduce(0, +)
// Replay runs without the runtime's pauses: size the queue to the script so nothing is dropped
// (up to the most the sink keeps, 2^20 spans; pacing keeps far fewer than that waiting).
var configuration = OpenTelemetrySinkConfiguration()
configuration.maxQueueSize = min(max(2048, calls), 1 << 20)
let sink = OpenTelemetrySink.fromEnvironment(environment, configuration: configuration)
if let problem = setupProblem(sink) {
  report("rlm-otel-replay: nothing sent: \(problem)")
  exit(3)
}
let player = HookScriptPlayer(sleepScale: options.sleepScale)
/// Calls played between two looks at the progress line and the exporter: a look costs a clock
/// read and, now and then, the sink's counters.
let callsPerSlice = 64
var pacing = ExportPacing()
var observations: [HookScriptPlayer.Observation] = []
let sendingStarted = ContinuousClock.now
counts.sendingStarted = sendingStarted
for script in inputs.scripts {
  for start in stride(from: 0, to: script.calls.count, by: callsPerSlice) {
    pacing.wait(for: sink) { status in progress.update(counts) { status } }
    let slice = script.slice(start..<min(start + callsPerSlice, script.calls.count))
    for var observation in player.play(slice, on: sink) {
      observation.call += start
      observations.append(observation)
    }
    counts.runsStarted += slice.runStarts
    progress.update(counts) { sink.status() }
  }
}
if let driverOut = options.driverOut {
  let text = driverDocument(status: sink.status(), observations: observations).jsonText + "\n"
  guard writeFile(text, to: driverOut) else {
    progress.clear()
    report("rlm-otel-replay: \(driverOut): cannot write: \(String(cString: strerror(errno)))")
    exit(2)
  }
}
let skipped = inputs.skippedLines.count
if options.exitWithoutShutdown {
  progress.clear()
  exit(skipped == 0 ? 0 : 1)
}
counts.flushing = true
let delivered = shutDown(sink, progress: &progress, counts: counts)
progress.clear()
let status = sink.status()
let finished = ContinuousClock.now
let sending = (finished - sendingStarted).inSeconds
var summary =
  "replayed \(calls) calls: spans recorded \(status.spansRecorded), exported \(status.spansExported)"
summary += ", dropped \(status.spansDropped), failed \(status.spansFailed)"
summary += "; \(plural(counts.files, "file")), \(plural(inputs.runs, "run"))"
summary += " in \(formatted((finished - started).inSeconds))"
summary += " (reading \(formatted((sendingStarted - started).inSeconds))"
// The rate of the sending alone (playing and delivering), which is the exporter's pace.
let rate = sending > 0 ? Int((Double(status.spansExported) / sending).rounded()) : 0
summary += ", sending \(formatted(sending)) at \(rate) spans/s)"
if skipped > 0 { summary += "; skipped \(skipped) bad line\(skipped == 1 ? "" : "s")" }
if let error = status.lastError { summary += "; last error: \(error)" }
report(summary)
exit(delivered && status.spansDropped == 0 && status.spansFailed == 0 && skipped == 0 ? 0 : 1)
