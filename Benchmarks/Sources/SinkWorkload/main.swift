// SinkWorkload: measures the benchmark issue's figures for our OpenTelemetrySink and prints one
// JSON object. The same workload for the Python reference is Benchmarks/python/workload.py.
//
//   swift run -c release --package-path Benchmarks SinkWorkload <scenario> [options]
//   scenarios: hooks | burst | sustained
//   options:   --endpoint URL   OTLP receiver (e.g. http://127.0.0.1:4317; for http/protobuf the base
//                               URL, e.g. http://127.0.0.1:4318, to which v1/traces is appended)
//              --protocol P     grpc (default) or http/protobuf, given to the sink as
//                               OTEL_EXPORTER_OTLP_PROTOCOL
//              --in-memory      in-memory span exporter instead of OTLP (no metrics export)
//              --no-metrics     the four instruments off
//              --runs N --steps N --active-runs N --queue N --batch N --seconds S
//              --never-end      (longrun) runs are started and stepped but never ended, as by a
//                               runtime that crashes mid-run
//              --max-active-runs N  the sink's active-run bound (default: the sink's, 10,000)
//              --spool DIR      a spool directory for the sink (spoolgen leaves spans in it with a
//                               collector down; recover times a sink sending them)
//              --warm-up N      (hooks) N untimed passes (each then flushed) before the timed one;
//                               the first is also reported, as cold_*
//              --pace-us N      (hooks) spin N µs (untimed) after each hook call: a runtime's pace
//              --sampler NAME [--sampler-arg X]  OTEL_TRACES_SAMPLER (and _ARG) for the sink, e.g.
//                               always_off, parentbased_traceidratio --sampler-arg 0.1
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func usage(_ message: String) -> Never {
  let text =
    "SinkWorkload: \(message)\nusage: SinkWorkload hooks|burst|sustained|longrun|spoolgen|recover [--endpoint URL] "
    + "[--protocol grpc|http/protobuf] [--in-memory] "
    + "[--no-metrics] [--runs N] [--steps N] [--active-runs N] [--queue N] [--batch N] [--seconds S] "
    + "[--never-end] [--max-active-runs N] [--sampler NAME] [--sampler-arg X] [--spool DIR] [--warm-up N] [--pace-us N]\n"
  var bytes = Array(text.utf8)
  _ = write(2, &bytes, bytes.count)
  exit(2)
}

var arguments = CommandLine.arguments.dropFirst()
guard let scenario = arguments.popFirst() else { usage("missing scenario") }
var options = WorkloadOptions()
if scenario == "burst" {
  options.runs = 205
}
while let flag = arguments.popFirst() {
  func value() -> String {
    guard let value = arguments.popFirst() else { usage("\(flag) needs a value") }
    return value
  }
  func integer() -> Int {
    guard let number = Int(value()), number >= 0 else { usage("\(flag) needs a non-negative integer") }
    return number
  }
  switch flag {
  case "--endpoint": options.endpoint = value()
  case "--protocol":
    let name = value()
    guard name == "grpc" || name == "http/protobuf" else { usage("--protocol is grpc or http/protobuf") }
    options.otlpProtocol = name
  case "--in-memory": options.inMemory = true
  case "--no-metrics": options.metrics = false
  case "--runs": options.runs = integer()
  case "--steps": options.steps = integer()
  case "--active-runs": options.activeRuns = integer()
  case "--queue": options.queue = integer()
  case "--batch": options.batch = integer()
  case "--never-end": options.neverEnd = true
  case "--max-active-runs": options.maxActiveRuns = integer()
  case "--sampler": options.sampler = value()
  case "--sampler-arg": options.samplerArgument = value()
  case "--spool": options.spool = value()
  case "--warm-up": options.warmUpPasses = integer()
  case "--pace-us": options.paceMicroseconds = integer()
  case "--seconds":
    guard let seconds = Double(value()), seconds > 0, seconds < 600 else {
      usage("--seconds needs 0 < S < 600")
    }
    options.seconds = seconds
  default: usage("unknown option \(flag)")
  }
}
if options.endpoint == nil && !options.inMemory { usage("give --endpoint URL or --in-memory") }

let overhead = timerOverheadNanos()
let fields: [(String, JSON)]
switch scenario {
case "hooks": fields = hooksScenario(options)
case "burst": fields = burstScenario(options)
case "sustained": fields = sustainedScenario(options)
case "longrun": fields = longRunScenario(options)
case "spoolgen": fields = spoolGenerateScenario(options)
case "recover": fields = recoverScenario(options)
default: usage("unknown scenario \(scenario)")
}
// "parentbased_traceidratio 0.1"; null for the default sampler.
let samplerText = options.sampler.map { name in options.samplerArgument.map { "\(name) \($0)" } ?? name }
let report = JSON.object(
  [
    ("implementation", .string("swift")), ("scenario", .string(scenario)),
    ("metrics", .bool(options.metrics)), ("exporter", .string(options.inMemory ? "in-memory" : "otlp")),
    ("protocol", options.inMemory ? .null : .string(options.otlpProtocol)),
    ("runs", .int(options.runs)), ("steps", .int(options.steps)),
    ("queue", options.queue.map(JSON.int) ?? .null), ("timer_overhead_ns", .number(overhead)),
    ("sampler", samplerText.map(JSON.string) ?? .null),
  ] + fields + [("peak_rss_kb", .int(procStatusKilobytes("VmHWM")))])
print(report.text)
