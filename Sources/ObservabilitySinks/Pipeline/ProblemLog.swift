import Logging

/// Says in the host's log what went wrong with export, without flooding it: the first problem of a
/// kind is logged at once at warning level with its reason; while it goes on, at most one line per
/// interval says how many more there were; when export works again, one line says so.
///
/// Owned by the export thread (a value on its stack), so the callers' threads never log: drops
/// that happen in a hook are counted there and reported here on the export thread's next wake.
/// Time is passed in, so tests drive it with any instants they like.
struct ProblemLog {
  /// What can go wrong repeatedly.
  enum Kind: Hashable, CaseIterable {
    case spanExport
    /// Spans a spool could not write, sent from memory: a failure loses them.
    case unspooledSpanExport
    case metricExport
    case spanDrop
    case runEviction
  }

  private struct Episode {
    /// The reason last recorded (the summaries say it).
    var reason: String
    /// The causes already said in this episode: a new one is logged at once, once; one seen before
    /// waits for the interval, so that causes taking turns do not get a line per failure.
    var causesSaid: Set<String>
    var loggedAt: ContinuousClock.Instant
    /// Problems since the last line, and the items they carried.
    var unreported = 0
    var unreportedItems = 0
    /// Problems since the episode began.
    var total = 0
    var totalItems = 0
    /// When export worked again; `nil` while it fails. A recovered episode is kept for an
    /// interval, so that a collector that flaps does not get two fresh lines per flap.
    var recoveredAt: ContinuousClock.Instant?
    /// Whether export failed again within an interval of recovering (then the next recovery,
    /// too, waits for the interval).
    var reopened = false
    /// A recovery that waits for the interval to be said.
    var recoveryUnsaid = false
  }

  private let logger: Logger
  private let interval: Duration
  private let destinations: [Kind: String]
  private var episodes: [Kind: Episode] = [:]

  /// With a spool a failed span export is kept and sent again, not counted as failed.
  private let spanFailuresKept: Bool

  /// `destinations` names where each signal goes (an endpoint, already free of credentials).
  init(
    logger: Logger, interval: Duration, spanDestination: String, metricDestination: String,
    spanFailuresKept: Bool = false
  ) {
    self.spanFailuresKept = spanFailuresKept
    self.logger = logger
    self.interval = interval
    destinations = [.spanExport: spanDestination, .metricExport: metricDestination]
  }

  /// One more problem of `kind` carrying `items` spans or data points, for `reason`.
  mutating func record(_ kind: Kind, items: Int, reason: String, at now: ContinuousClock.Instant) {
    // Recovered, said, and quiet for an interval: this is a new problem.
    if let ended = episodes[kind], ended.recoveredAt != nil, !ended.recoveryUnsaid,
      now - ended.loggedAt >= interval
    {
      episodes[kind] = nil
    }
    guard var episode = episodes[kind] else {
      episodes[kind] = Episode(
        reason: reason, causesSaid: [Self.cause(of: reason)], loggedAt: now, total: 1, totalItems: items)
      logger.warning("\(headline(kind, items: items, reason: reason)) (\(followUp(kind)))")
      return
    }
    if episode.recoveredAt != nil {
      // Failing again soon after recovering: the same episode, summarised with the interval.
      episode.recoveredAt = nil
      episode.recoveryUnsaid = false
      episode.reopened = true
    }
    episode.unreported += 1
    episode.unreportedItems += items
    episode.total += 1
    episode.totalItems += items
    let cause = Self.cause(of: reason)
    let newReason =
      kind.isExport && !episode.causesSaid.contains(cause) && episode.causesSaid.count < Self.causesSaidLimit
    if newReason { episode.causesSaid.insert(cause) }
    episode.reason = reason
    if newReason || now - episode.loggedAt >= interval {
      logSummary(kind, &episode, at: now)
    }
    episodes[kind] = episode
  }

  /// Export of `kind` worked: ends its episode with one line.
  /// The first recovery is said at once; after a relapse, the recovery waits for the interval.
  mutating func recovered(_ kind: Kind, at now: ContinuousClock.Instant) {
    guard var episode = episodes[kind], episode.recoveredAt == nil else { return }
    episode.recoveredAt = now
    if !episode.reopened || now - episode.loggedAt >= interval {
      if episode.unreported > 0 { logSummary(kind, &episode, at: now) }
      logRecovery(kind, &episode, at: now)
    } else {
      episode.recoveryUnsaid = true
    }
    episodes[kind] = episode
  }

  /// Logs the lines that are due: summaries of problems suppressed for a whole interval.
  mutating func tick(at now: ContinuousClock.Instant) {
    for kind in Kind.allCases {
      guard var episode = episodes[kind], episode.unreported > 0 || episode.recoveryUnsaid,
        now - episode.loggedAt >= interval
      else {
        continue
      }
      if episode.unreported > 0 { logSummary(kind, &episode, at: now) }
      if episode.recoveryUnsaid { logRecovery(kind, &episode, at: now) }
      episodes[kind] = episode
    }
    // Drops and evictions have no "recovery": an episode ends once a quiet interval has passed;
    // a recovered export's, once its recovery is said and a quiet interval has passed.
    for kind in Kind.allCases {
      guard let episode = episodes[kind], now - episode.loggedAt >= interval else { continue }
      let ended =
        kind.isExport ? episode.recoveredAt != nil && !episode.recoveryUnsaid : episode.unreported == 0
      if ended { episodes[kind] = nil }
    }
  }

  /// Logs every suppressed count now (at shutdown, so nothing goes unsaid).
  mutating func flush(at now: ContinuousClock.Instant) {
    for kind in Kind.allCases {
      guard var episode = episodes[kind], episode.unreported > 0 || episode.recoveryUnsaid else { continue }
      if episode.unreported > 0 { logSummary(kind, &episode, at: now) }
      if episode.recoveryUnsaid { logRecovery(kind, &episode, at: now) }
      episodes[kind] = episode
    }
  }

  private func logRecovery(_ kind: Kind, _ episode: inout Episode, at now: ContinuousClock.Instant) {
    logger.notice(
      "\(subject(kind)) works again after \(episode.total) failed export(s) of \(episode.totalItems) \(unit(kind))"
    )
    episode.loggedAt = now
    episode.recoveryUnsaid = false
  }

  private func logSummary(_ kind: Kind, _ episode: inout Episode, at now: ContinuousClock.Instant) {
    let what =
      switch kind {
      case .spanDrop: "\(episode.unreportedItems) more spans dropped, the span queue being full"
      case .runEviction: "\(episode.unreportedItems) more runs evicted (\(episode.reason))"
      case .spanExport, .unspooledSpanExport, .metricExport:
        "\(episode.unreported) more failed export(s) of \(episode.unreportedItems) \(unit(kind)); last: \(episode.reason)"
      }
    logger.warning("\(subject(kind)): \(what) (\(episode.totalItems) \(unit(kind)) in all so far)")
    episode.loggedAt = now
    episode.unreported = 0
    episode.unreportedItems = 0
  }

  private func headline(_ kind: Kind, items: Int, reason: String) -> String {
    switch kind {
    case .spanDrop:
      "span queue full: \(items) span(s) dropped (\(reason)); raise OTEL_BSP_MAX_QUEUE_SIZE or maxQueueSize"
    case .runEviction:
      "active runs: \(items) run(s) evicted, ended with ERROR and exported (\(reason)); a runtime that never "
        + "calls onRunEnd leaves runs open, else raise DSPY_RLM_OTEL_MAX_ACTIVE_RUNS or maxActiveRuns"
    case .spanExport where spanFailuresKept:
      "\(subject(kind)) failed: \(reason) (\(items) spans kept in the spool, sent again later)"
    case .unspooledSpanExport:
      "\(subject(kind)) failed: \(reason) (\(items) spans counted as failed)"
    case .spanExport, .metricExport:
      "\(subject(kind)) failed: \(reason) (\(items) \(unit(kind)) counted as failed)"
    }
  }

  private func followUp(_ kind: Kind) -> String {
    let seconds = interval.components.seconds
    let again = "repeats are summarised at most every \(seconds) s"
    return kind.isExport ? "\(again); status() counts every one" : again
  }

  private func subject(_ kind: Kind) -> String {
    switch kind {
    case .spanExport: "span export to \(destinations[.spanExport] ?? "the exporter")"
    case .unspooledSpanExport:
      "span export from memory (spans the spool could not write) to \(destinations[.spanExport] ?? "the exporter")"
    case .metricExport: "metric export to \(destinations[.metricExport] ?? "the exporter")"
    case .spanDrop: "span queue"
    case .runEviction: "active runs"
    }
  }

  private func unit(_ kind: Kind) -> String {
    switch kind {
    case .metricExport: "data points"
    case .runEviction: "runs"
    case .spanExport, .unspooledSpanExport, .spanDrop: "spans"
    }
  }

  /// The status name that starts an export failure's reason (`UNAVAILABLE: …`).
  private static func cause(of reason: String) -> String {
    String(reason.prefix { $0 != ":" })
  }

  /// Distinct causes said at once per episode at most (status names are few; this bounds the rest).
  private static let causesSaidLimit = 16
}

extension ProblemLog.Kind {
  /// Export failures end with a recovery line; drops and evictions with a quiet interval.
  var isExport: Bool { self == .spanExport || self == .unspooledSpanExport || self == .metricExport }
}
