import GRPCCoreClient
import Testing

@testable import ObservabilitySinks

/// The OTLP specification's retry table, code by code, and backoff under any settings.
@Suite("Retry policy: the specification's table")
struct RetryPolicyTests {
  /// Every status code and whether it is retried without and with `RetryInfo`.
  static let table: [(GRPCStatusCode, withoutRetryInfo: Bool, withRetryInfo: Bool)] = [
    (.ok, false, false), (.cancelled, true, true), (.unknown, false, false),
    (.invalidArgument, false, false), (.deadlineExceeded, true, true), (.notFound, false, false),
    (.alreadyExists, false, false), (.permissionDenied, false, false), (.resourceExhausted, false, true),
    (.failedPrecondition, false, false), (.aborted, true, true), (.outOfRange, true, true),
    (.unimplemented, false, false), (.internalError, false, false), (.unavailable, true, true),
    (.dataLoss, true, true), (.unauthenticated, false, false),
  ]

  @Test(arguments: table)
  func eachCodeIsRetriedAsTheSpecificationSays(
    code: GRPCStatusCode, withoutRetryInfo: Bool, withRetryInfo: Bool
  ) {
    #expect(RetryPolicy.isRetryable(code, hasRetryInfo: false) == withoutRetryInfo)
    #expect(RetryPolicy.isRetryable(code, hasRetryInfo: true) == withRetryInfo)
  }

  @Test func theTableCoversEveryCode() {
    #expect(Set(Self.table.map(\.0.rawValue)) == Set(0...16))
  }

  @Test(arguments: [
    (1, 0.5, 1.0), (2, 1.0, 2.0), (3, 2.0, 4.0), (6, 16.0, 32.0), (7, 16.0, 32.0), (50, 16.0, 32.0),
  ])
  func backoffDoublesUpToItsLimitWithJitterInTheUpperHalf(attempt: Int, low: Double, high: Double) {
    let policy = RetryPolicy()
    for _ in 0..<50 {
      let delay = policy.delay(afterAttempt: attempt, serverDelay: nil)
      #expect(delay >= .milliseconds(Int64(low * 1000)) && delay <= .milliseconds(Int64(high * 1000)))
    }
  }

  @Test func theServersDelayWins() {
    #expect(RetryPolicy().delay(afterAttempt: 3, serverDelay: .milliseconds(700)) == .milliseconds(700))
    #expect(RetryPolicy().delay(afterAttempt: 1, serverDelay: .seconds(-5)) == .zero)
    // A server asking for years gets the longest delay honoured, not a parked export.
    #expect(
      RetryPolicy().delay(afterAttempt: 1, serverDelay: .seconds(3_000_000_000))
        == RetryPolicy.longestServerDelay)
  }

  @Test(arguments: [
    RetryPolicy(initialBackoff: .zero, maxBackoff: .zero, maxAttempts: .max),
    RetryPolicy(initialBackoff: .seconds(-1), maxBackoff: .seconds(-1)),
    RetryPolicy(multiplier: .nan), RetryPolicy(multiplier: -3), RetryPolicy(multiplier: .infinity),
    RetryPolicy(initialBackoff: .seconds(Int64.max), maxBackoff: .seconds(Int64.max), multiplier: 1e300),
  ])
  func anySettingsGiveAFiniteWaitOfAtLeastAMillisecond(policy: RetryPolicy) {
    for attempt in [1, 2, 10, 1000, Int.max] {
      let delay = policy.delay(afterAttempt: attempt, serverDelay: nil)
      #expect(delay >= RetryPolicy.minimumBackoff)
      #expect(delay <= .seconds(Int64.max))
    }
  }
}

/// What a server says reaches the log as one safe line.
@Suite("Server text in the log")
struct ServerTextTests {
  @Test func controlCharactersBecomeSpacesAndLongTextIsCut() {
    #expect(ServerText.forLog("bad\nforged: line\r\u{1B}[31m") == "bad forged: line  [31m")
    let long = ServerText.forLog(String(repeating: "x", count: 10_000))
    #expect(long.count == ServerText.longest + 1 && long.hasSuffix("…"))
    #expect(ServerText.forLog("ünïcode stays") == "ünïcode stays")
  }
}
