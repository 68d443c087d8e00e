package import GRPCCoreClient
import SinkSupport

/// When and how long to wait before sending a failed export again, as the OTLP specification
/// says: retry CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS;
/// RESOURCE_EXHAUSTED only when the server sent `RetryInfo`; never anything else. The wait is the
/// server's `RetryInfo` delay when it gave one, else exponential backoff with jitter (a random wait between half the bound and the bound); all
/// of it within the export's timeout.
///
/// Specification: OTLP, *OTLP/gRPC Response* (*Failures*: the retryable codes) and *OTLP/gRPC
/// Throttling* (`RetryInfo`); OTLP exporter, *Retry* (exponential backoff with jitter).
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
  package static func isRetryable(_ status: GRPCStatusCode, hasRetryInfo: Bool) -> Bool {
    switch status {
    case .cancelled, .deadlineExceeded, .aborted, .outOfRange, .unavailable, .dataLoss: return true
    case .resourceExhausted: return hasRetryInfo
    default: return false
    }
  }

  /// The shortest wait between attempts, whatever the settings say: a zero backoff with many
  /// attempts must not turn into a busy loop.
  package static let minimumBackoff: Duration = .milliseconds(1)

  /// The longest `RetryInfo` delay honoured: a server asking for more (a hostile or broken one can
  /// ask for years) gets this, so an export with no time limit cannot be parked for good.
  package static let longestServerDelay: Duration = .seconds(300)

  /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's delay, else a
  /// random duration between half the backoff bound and the bound. Any settings give a finite
  /// wait of at least ``minimumBackoff``: a multiplier below 1 (or not a number) counts as 1,
  /// durations beyond what a `Double` of nanoseconds holds saturate.
  package func delay(afterAttempt attempt: Int, serverDelay: Duration?) -> Duration {
    if let serverDelay { return min(max(serverDelay, .zero), Self.longestServerDelay) }
    let limit = max(maxBackoff.inSeconds, Self.minimumBackoff.inSeconds)
    var bound = min(limit, max(initialBackoff.inSeconds, Self.minimumBackoff.inSeconds))
    let growth = multiplier.isFinite && multiplier > 1 ? multiplier : 1
    // The bound reaches the limit within a few dozen attempts; stop multiplying there.
    for _ in 1..<max(1, min(attempt, 1100)) where bound < limit { bound = min(limit, bound * growth) }
    let seconds = Double.random(in: (bound / 2)...bound)
    return max(Self.minimumBackoff, Duration(saturatingSeconds: seconds))
  }
}
