// SinkSoak: the driver of scripts/soak.sh. It runs one OpenTelemetrySink in this process against
// the OTLP endpoint it is given while Tests/Soak/soak.py stops and restarts the receiver behind it,
// and answers soak.py's commands on stdin, one per line:
//
//   baseline  flush, then print `BASELINE {rss_kb, fds, threads}` (after the warm-up)
//   finish    flush, print `END {…}` (same figures, still producing), stop producing, end the runs
//             still active, shut the sink down and print `RESULT {…}` (counts and status), exit 0
//
// End of input (soak.py died) shuts down and exits 3. Uses only the public API of
// ObservabilitySinks (and the package's thread helper).
//
//   SinkSoak --endpoint http://127.0.0.1:PORT [--max-active-runs N] [--runs-per-tick N] [--tick-ms N]
import ObservabilitySinks

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func fail(_ message: String) -> Never {
  var bytes = Array("SinkSoak: \(message)\n".utf8)
  _ = write(2, &bytes, bytes.count)
  exit(2)
}

func say(_ line: String) {
  print(line)
  fflush(nil)  // all streams: stdout is a pipe to soak.py
}

var endpoint: String?
var maxActiveRuns = 64
var runsPerTick = 4
var tickMilliseconds = 10
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  func number() -> Int {
    guard let text = arguments.popFirst(), let value = Int(text), value > 0 else {
      fail("\(flag) needs a whole number above 0")
    }
    return value
  }
  switch flag {
  case "--endpoint": endpoint = arguments.popFirst()
  case "--max-active-runs": maxActiveRuns = number()
  case "--runs-per-tick": runsPerTick = number()
  case "--tick-ms": tickMilliseconds = number()
  default: fail("unknown option \(flag)")
  }
}
guard let endpoint else { fail("give --endpoint http://127.0.0.1:PORT") }

var configuration = OpenTelemetrySinkConfiguration()
configuration.environment = [:]
configuration.exitFlushTimeout = nil
configuration.maxActiveRuns = maxActiveRuns
configuration.scheduleDelay = .milliseconds(200)
configuration.metricExportInterval = .seconds(2)
configuration.traces.timeout = .seconds(5)
configuration.metrics.timeout = .seconds(5)
// Retry fast, so that a restarted receiver is found again within a second or so.
configuration.retryPolicy = RetryPolicy(
  initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), maxAttempts: 10)
let sink = OpenTelemetrySink(
  enabled: true, serviceName: "rlm-soak", endpoint: endpoint, metricsEnabled: true,
  configuration: configuration)
guard sink.status().available else { fail("sink not available: \(sink.status().detail)") }

let workload = SoakWorkload(
  sink: sink, runsPerTick: runsPerTick, tick: .milliseconds(tickMilliseconds), maxActiveRuns: maxActiveRuns)
let flusher = SoakFlusher(sink: sink)
guard workload.start(), flusher.start() else { fail("the system refused a thread") }
say("STARTED")

while let command = readLine() {
  switch command {
  case "baseline":
    let flushed = sink.syncForceFlush(timeout: .seconds(30))
    say("BASELINE \(ProcessProbe.now().json.dropLast()),\"flushed\":\(flushed)}")
  case "finish":
    let flushed = sink.syncForceFlush(timeout: .seconds(30))
    say("END \(ProcessProbe.now().json.dropLast()),\"flushed\":\(flushed)}")
    let totals = workload.stop()
    let flushes = flusher.stop()
    let activeBeforeShutdown = sink.status().activeRuns
    let delivered = sink.syncShutdown(timeout: .seconds(30))
    let status = sink.status()
    let fields: [(String, String)] = [
      ("spans_produced", "\(totals.spansProduced)"), ("runs_started", "\(totals.runsStarted)"),
      ("runs_abandoned", "\(totals.runsAbandoned)"), ("active_runs_at_end", "\(activeBeforeShutdown)"),
      ("flushes", "\(flushes.flushes)"), ("flushes_delivered", "\(flushes.delivered)"),
      ("shutdown_delivered", "\(delivered)"), ("spans_recorded", "\(status.spansRecorded)"),
      ("spans_exported", "\(status.spansExported)"), ("spans_dropped", "\(status.spansDropped)"),
      ("spans_failed", "\(status.spansFailed)"), ("spans_rejected", "\(status.spansRejected)"),
      ("spans_pending", "\(status.spansPending)"), ("runs_evicted", "\(status.runsEvicted)"),
      ("runs_superseded", "\(status.runsSuperseded)"), ("export_failures", "\(status.exportFailures)"),
      ("export_retries", "\(status.exportRetries)"), ("metric_exports", "\(status.metricExports)"),
      ("data_points_exported", "\(status.dataPointsExported)"),
      ("data_points_failed", "\(status.dataPointsFailed)"),
    ]
    say("RESULT {" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    exit(0)
  default:
    fail("unknown command \(command)")
  }
}
_ = workload.stop()
_ = flusher.stop()
sink.syncShutdown(timeout: .seconds(2))
fail("end of input before finish")
