import ObservabilitySinks
import SinkSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How far a replay has got, as its progress lines and its summary tell it.
struct ReplayCounts {
  var files = 0
  var filesRead = 0
  var runs = 0
  var runsStarted = 0
  /// When sending began (after every input was read), for the rate.
  var sendingStarted: ContinuousClock.Instant?
  /// Set while the sink delivers what is left, after the last call was played.
  var flushing = false
}

/// The progress of a long replay on stderr, written by the main thread from its loops (reading,
/// playing, waiting for the exporter, waiting for the shutdown), so that no timer thread is needed:
/// each loop asks for a line often, and one is written only when it is due.
///
/// On a terminal, one status line rewritten in place (`\r`, then clear to the end of the line) at
/// most every 100 ms; otherwise (a CI log, a file) a plain line at most every 2 s, so that a log
/// stays readable. Nothing at all during the first second: a small replay prints only its summary.
struct ReplayProgress {
  /// Sets the interval (and the quiet start) in milliseconds; `0` reports at every step.
  static let intervalVariable = "RLM_OTEL_REPLAY_PROGRESS_INTERVAL_MS"
  /// The largest interval the variable takes (an hour); more is surely a typo.
  private static let largestInterval = 3_600_000

  private let enabled: Bool
  /// Whether the line is redrawn in place (stderr is a terminal) rather than appended.
  private let inPlace: Bool
  private let interval: Duration
  private let quietStart: Duration
  private let started: ContinuousClock.Instant
  private var lastLine: ContinuousClock.Instant?
  /// Whether an in-place line is on screen, to be cleared before other output.
  private var lineOnScreen = false

  /// - Parameters:
  ///   - enabled: `false` (`--no-progress`) writes nothing.
  ///   - consoleSpans: whether spans are printed to stdout: with stdout on the same terminal, an
  ///     in-place line would be torn by them, so lines are appended instead.
  ///   - warn: where a bad ``intervalVariable`` is reported.
  init(
    enabled: Bool, environment: [String: String], consoleSpans: Bool, started: ContinuousClock.Instant,
    warn: (String) -> Void
  ) {
    self.enabled = enabled
    self.started = started
    // A dumb terminal (an editor's shell buffer) has no clear-to-end-of-line.
    let terminal = isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
    inPlace = terminal && !(consoleSpans && isatty(STDOUT_FILENO) == 1)
    var chosen: Duration?
    if let text = environment[Self.intervalVariable] {
      if let milliseconds = Int(text), (0...Self.largestInterval).contains(milliseconds) {
        chosen = .milliseconds(milliseconds)
      } else {
        warn(
          "\(Self.intervalVariable)=\(text) is not a whole number of milliseconds from 0 to "
            + "\(Self.largestInterval); using the default")
      }
    }
    interval = chosen ?? (inPlace ? .milliseconds(100) : .seconds(2))
    quietStart = chosen ?? .seconds(1)
  }

  /// How often a loop that waits (for the exporter) should look again to keep the line current.
  var tick: Duration { max(.milliseconds(10), min(interval, .milliseconds(100))) }

  /// Writes a line if one is due; `status` is asked for only then (it reads the sink's counters).
  mutating func update(_ counts: ReplayCounts, _ status: () -> OpenTelemetrySinkStatus?) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard now - started >= quietStart else { return }
    if let lastLine, now - lastLine < interval { return }
    lastLine = now
    let text = Self.line(counts, status(), now: now)
    if inPlace {
      emit("\r\u{1B}[K" + Self.fitted(text))
      lineOnScreen = true
    } else {
      emit("rlm-otel-replay: \(text)\n")
    }
  }

  /// Removes the in-place line, if one is on screen (before the summary, or exiting).
  mutating func clear() {
    guard lineOnScreen else { return }
    emit("\r\u{1B}[K")
    lineOnScreen = false
  }

  /// `files 12/5000, 12 runs so far` while reading; then the sink's counters and the export rate.
  static func line(_ counts: ReplayCounts, _ status: OpenTelemetrySinkStatus?, now: ContinuousClock.Instant)
    -> String
  {
    var text = "files \(counts.filesRead)/\(counts.files)"
    guard let status, let sendingStarted = counts.sendingStarted else {
      return text + ", \(counts.runs) runs so far"
    }
    text += ", runs \(counts.runsStarted)/\(counts.runs)"
    text += ", spans recorded \(status.spansRecorded), exported \(status.spansExported)"
    // Failures before the rate: a narrow terminal cuts the line's end.
    text += ", failures \(status.spansDropped + status.spansFailed)"
    if let rate = rate(status.spansExported, over: now - sendingStarted) { text += ", \(rate) spans/s" }
    return counts.flushing ? text + "; flushing" : text
  }

  /// Whole spans per second, once there is a second's worth of sending to average over (the
  /// first moments' rate says nothing).
  static func rate(_ spans: Int, over elapsed: Duration) -> Int? {
    let seconds = elapsed.inSeconds
    guard seconds >= 1 else { return nil }
    return Int((Double(spans) / seconds).rounded())
  }

  /// `text` cut to the terminal's width: a line that wraps cannot be rewritten in place.
  private static func fitted(_ text: String) -> String {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 1 else { return text }
    let width = Int(size.ws_col) - 1
    return text.count <= width ? text : String(text.prefix(width))
  }

  private func emit(_ text: String) {
    let bytes = Array(text.utf8)
    _ = write(STDERR_FILENO, bytes, bytes.count)
  }
}
