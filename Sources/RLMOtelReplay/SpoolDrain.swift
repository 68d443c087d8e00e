import ObservabilitySinks
import SinkSupport

/// `--spool DIR`: a sink from the environment on the spool `DIR`, which adopts what dead
/// processes left there; everything is flushed, the sink shut down, and a summary said. The exit
/// status: 0 everything sent, 1 something is left or was lost, 3 the sink could not be set up.
func drainSpool(
  _ directory: String, environment: [String: String], options: ReplayOptions, started: ContinuousClock.Instant
)
  -> Int32
{
  var configuration = OpenTelemetrySinkConfiguration()
  configuration.spoolDirectory = directory
  let sink = OpenTelemetrySink.fromEnvironment(environment, configuration: configuration)
  if let problem = setupProblem(sink) {
    report("rlm-otel-replay: nothing sent: \(problem)")
    return 3
  }
  var progress = ReplayProgress(
    enabled: options.progress, environment: environment, consoleSpans: false, started: started,
    warn: { report("rlm-otel-replay: warning: \($0)") })
  var counts = ReplayCounts(files: 0)
  counts.sendingStarted = started
  counts.flushing = true
  let delivered = shutDown(sink, progress: &progress, counts: counts, timeout: .seconds(600))
  progress.clear()
  let status = sink.status()
  var summary = "spool \(directory): recovered \(status.spansRecovered) spans"
  summary += " (\(status.runsRecovered) unfinished runs ended with ERROR), exported \(status.spansExported)"
  summary += ", failed \(status.spansFailed), left in the spool \(status.spansPending)"
  summary +=
    ", discarded \(status.spoolSpansDiscarded) in \(formatted((ContinuousClock.now - started).inSeconds))"
  if let error = status.lastError { summary += "; last error: \(error)" }
  report(summary)
  return delivered && status.spansPending == 0 && status.spansFailed == 0 && status.spoolSpansDiscarded == 0
    ? 0 : 1
}
