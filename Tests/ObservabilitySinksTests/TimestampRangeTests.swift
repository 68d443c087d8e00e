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
