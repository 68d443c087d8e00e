import ObservabilitySinks
import Testing

@Suite("Every accepted timestamp converts to Unix nanoseconds without trapping")
struct TimestampRangeTests {
  @Test func theLastMicrosecondBelowTwoToTheSixtyFourNanosecondsConvertsExactly() throws {
    // Fractions past six digits are truncated, as in Python: .709551615 is .709551.
    let edge = try #require(ISO8601Timestamp("2554-07-21T23:34:33.709551615Z"))
    #expect(edge.unixNanoseconds == 18_446_744_073_709_551_000)
    #expect(edge.isRepresentableInUnixNanoseconds)
  }

  @Test(arguments: [
    "2554-07-21T23:34:33.709552Z", "2600-01-01T00:00:00Z", "9999-12-31T23:59:59.999999",
    "9999-12-31T23:59:59.999999-23:59:59.999999", "2554-07-21T19:00:00-05:00",
  ])
  func instantsAfter2554SaturateAtTheLargestValue(text: String) throws {
    let timestamp = try #require(ISO8601Timestamp(text))
    #expect(timestamp.unixNanoseconds == .max)
    #expect(!timestamp.isRepresentableInUnixNanoseconds)
  }

  @Test(arguments: [
    "0001-01-01T00:00:00", "0001-01-01T00:00:00+23:59", "1969-12-31T23:59:59.999999Z",
    "1970-01-01T00:00:00+00:01",
  ])
  func instantsBefore1970SaturateAtZero(text: String) throws {
    let timestamp = try #require(ISO8601Timestamp(text))
    #expect(timestamp.unixNanoseconds == 0)
    #expect(!timestamp.isRepresentableInUnixNanoseconds)
  }

  @Test func aNegativeOffsetMovesTheInstantLater() throws {
    let local = try #require(ISO8601Timestamp("1970-01-01T00:00:00-00:00:01"))
    #expect(local.unixNanoseconds == 1_000_000_000)
    #expect(local.isRepresentableInUnixNanoseconds)
  }

  @Test func durationsAcrossTheWholeRangeStayFinite() throws {
    let result = RunResult(
      startedAt: ISO8601Timestamp("0001-01-01T00:00:00"),
      finishedAt: ISO8601Timestamp("9999-12-31T23:59:59.999999"))
    let seconds = try #require(result.durationSeconds)
    #expect(seconds == 315_537_897_599.999999)
  }
}

/// Run times as a runtime has them: Unix time and clock instants, as well as ISO text.
@Suite("Timestamps from Unix time and clock instants")
struct UnixTimestampTests {
  @Test(arguments: [
    (UInt64(0), "1970-01-01T00:00:00.000000+00:00"),
    (UInt64(1_700_000_000_123_456_789), "2023-11-14T22:13:20.123456+00:00"),
    (UInt64(951_782_400_000_000_000), "2000-02-29T00:00:00.000000+00:00"),
    (UInt64.max, "2554-07-21T23:34:33.709551+00:00"),
  ])
  func unixNanosecondsGiveTheISOTextPythonWrites(nanoseconds: UInt64, text: String) {
    let timestamp = ISO8601Timestamp(unixNanoseconds: nanoseconds)
    #expect(timestamp.description == text)
    #expect(timestamp.unixNanoseconds == nanoseconds / 1000 * 1000)
    #expect(timestamp == ISO8601Timestamp(text))
  }

  @Test func unixSecondsClampInsteadOfTrapping() {
    #expect(ISO8601Timestamp(unixSeconds: 1.5).unixNanoseconds == 1_500_000_000)
    #expect(ISO8601Timestamp(unixSeconds: -3).unixNanoseconds == 0)
    #expect(ISO8601Timestamp(unixSeconds: .nan).unixNanoseconds == 0)
    #expect(ISO8601Timestamp(unixSeconds: 1e300).description == "9999-12-31T23:59:59.999999+00:00")
  }

  @Test func aRunTimedWithTheContinuousClockGetsItsDuration() {
    let start = ContinuousClock.now - .seconds(90)
    let end = ContinuousClock.now
    let result = RunResult(
      completed: true, startedAt: ISO8601Timestamp(start), finishedAt: ISO8601Timestamp(end))
    let duration = result.durationSeconds ?? 0
    #expect(duration > 89.9 && duration < 90.1)
    #expect(ISO8601Timestamp.now.seconds(since: ISO8601Timestamp(end)).map { $0 >= 0 && $0 < 60 } == true)
  }
}
