import GRPCCoreClient

/// When and how long to wait before sending a failed export again, as the OTLP specification
/// says: retry CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS;
/// RESOURCE_EXHAUSTED only when the server sent `RetryInfo`; never anything else. The wait is the
/// server's `RetryInfo` delay when it gave one, else exponential backoff with jitter (a random wait between half the bound and the bound); all
/// of it within the export's timeout.
public struct RetryPolicy: Hashable, Sendable {
  /// The first backoff's upper bound.
  public var initialBackoff: Duration
  /// The largest backoff.
  public var maxBackoff: Duration
  /// The growth of the backoff bound per attempt.
  public var multiplier: Double
  /// Attempts at most, the first included.
  public var maxAttempts: Int

  /// The defaults: 1 s, doubling to 32 s, 6 attempts (as the reference's exporter).
  public init(
    initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(32), multiplier: Double = 2,
    maxAttempts: Int = 6
  ) {
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
    self.multiplier = multiplier
    self.maxAttempts = max(1, maxAttempts)
  }

  /// Whether a call that ended with `status` may be sent again (`retryInfo`: the server sent one).
  public static func isRetryable(_ status: GRPCStatusCode, hasRetryInfo: Bool) -> Bool {
    switch status {
    case .cancelled, .deadlineExceeded, .aborted, .outOfRange, .unavailable, .dataLoss: return true
    case .resourceExhausted: return hasRetryInfo
    default: return false
    }
  }

  /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's delay, else a
  /// random duration up to the backoff bound.
  public func delay(afterAttempt attempt: Int, serverDelay: Duration?) -> Duration {
    if let serverDelay { return serverDelay }
    var bound =
      Double(initialBackoff.components.seconds) + Double(initialBackoff.components.attoseconds) / 1e18
    let limit = Double(maxBackoff.components.seconds) + Double(maxBackoff.components.attoseconds) / 1e18
    for _ in 1..<max(1, attempt) { bound = min(limit, bound * multiplier) }
    let seconds = Double.random(in: (bound / 2)...max(bound / 2, bound))
    return .nanoseconds(Int64(seconds * 1e9))
  }
}
