/// The command line of `rlm-otel-replay`.
struct ReplayOptions {
  static let usage = """
    usage: rlm-otel-replay SCRIPT.json [--driver-out FILE] [--sleep-scale X] [--exit-without-shutdown]
           rlm-otel-replay --jsonl RUN.jsonl [RUN.jsonl ...] [--no-progress]
           rlm-otel-replay --trajectory TRAJECTORY.jsonl [...] [--no-progress]
           rlm-otel-replay --spool DIR [--no-progress]

    Sends recorded hook calls through a sink configured by the environment (DSPY_RLM_OTEL_ENABLED=true,
    OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_* variables), then flushes and shuts it down.

    SCRIPT.json              a hook script (the golden-fixture format); any fault refuses the file
    --jsonl RUN.jsonl ...    RLM runtime run logs, one event per line (LF or CRLF; a UTF-8 BOM is fine);
                             the logs of a recursive run (depth, parent_run_id on their lines) replay
                             as one timeline, each child in its parent's trace
    --trajectory FILE ...    rlm-code trajectory logs (TrajectoryLogger JSONL): runs, iterations,
                             model calls (chat spans) and child runs, as one trace per recursion
    --spool DIR              send what processes that died, or shut down with spans unsent, left in
                             the spool DIR (DSPY_RLM_OTEL_SPOOL_DIR), their unfinished runs ended with
                             ERROR, then exit: for a host that never restarts its runtime (a sidecar,
                             a cron job). A live process's spool is left alone. Waits up to 10 minutes
    --driver-out FILE        write the sink's status and every get_trace_id answer to FILE
    --sleep-scale X          wait X times each scripted sleep (0 to 1000; default 1)
    --exit-without-shutdown  leave delivery to the exit-time flush (to check it)
    --no-progress            no progress lines, only warnings and the summary

    Every input is read before anything is sent (the logs of a recursion are merged by time); the
    calls are then played as fast as the exporter takes their spans. Past its first second, a replay
    shows its progress on stderr: files read, runs started, spans recorded and exported, the export
    rate and the failures (spans dropped or failed) so far; on a terminal as one line redrawn at most
    10 times a second, otherwise as a plain line every 2 s. RLM_OTEL_REPLAY_PROGRESS_INTERVAL_MS=N
    sets the interval, and the quiet start, to N ms (0: a line at every step). The last line is the
    summary: calls, spans recorded, exported, dropped and failed; files, runs, elapsed time (reading,
    sending) and spans exported per second of sending.

    A run-log line that cannot be used (not UTF-8, not JSON, not an object with a string run_id, a
    timestamp that is not ISO 8601 or lies outside 1970-2554) is skipped with a warning naming
    FILE:LINE and why; the summary counts the skipped lines, and the exit status is then 1. A file
    that cannot be read, or in which no line is an event, stops the tool before anything is sent.

    exit status: 0 everything sent and no line skipped; 1 something was not delivered (dropped or
    failed) or a line was skipped; 2 bad command line or unreadable input, nothing sent; 3 the sink
    could not be set up (disabled, setup failed, e.g. a bad endpoint, or no exporter), nothing sent.
    """

  var inputs: [String] = []
  var runLogs = false
  var trajectories = false
  var driverOut: String?
  var sleepScale = 1.0
  var exitWithoutShutdown = false
  var progress = true
  var help = false
  var spool: String?

  init(arguments: [String]) throws(UsageError) {
    var index = 0
    func value(of option: String) throws(UsageError) -> String {
      guard index + 1 < arguments.count else { throw UsageError("\(option) needs a value") }
      index += 1
      return arguments[index]
    }
    while index < arguments.count {
      let argument = arguments[index]
      switch argument {
      case "--driver-out": driverOut = try value(of: argument)
      case "--sleep-scale":
        // Bounded so that a scripted sleep (at most a day) times the scale stays a sane wait.
        guard let scale = Double(try value(of: argument)), (0...1000).contains(scale) else {
          throw UsageError("--sleep-scale needs a number from 0 to 1000")
        }
        sleepScale = scale
      case "--spool": spool = try value(of: argument)
      case "--jsonl": runLogs = true
      case "--trajectory": trajectories = true
      case "--exit-without-shutdown": exitWithoutShutdown = true
      case "--no-progress": progress = false
      case "-h", "--help":
        help = true
        return
      default:
        guard !argument.hasPrefix("--") else { throw UsageError("unknown option \(argument)\n\(Self.usage)") }
        inputs.append(argument)
      }
      index += 1
    }
    guard !(runLogs && trajectories) else {
      throw UsageError("--jsonl and --trajectory do not mix\n\(Self.usage)")
    }
    if spool != nil {
      guard inputs.isEmpty, !runLogs, !trajectories else {
        throw UsageError("--spool takes no other input\n\(Self.usage)")
      }
      return
    }
    guard !inputs.isEmpty, runLogs || trajectories || inputs.count == 1 else { throw UsageError(Self.usage) }
  }
}

/// A command line the tool does not understand.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
