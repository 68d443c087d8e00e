import SinkSupport

#if canImport(Glibc)
  import Glibc
#endif

extension ISO8601Timestamp {
  /// The instant `unixNanoseconds` after 1970-01-01T00:00:00Z, for runtimes that keep Unix time;
  /// microseconds are kept (as Python's `datetime` does), and the ``description`` is its ISO text in
  /// UTC.
  public init(unixNanoseconds: UInt64) {
    self.init(utcMicroseconds: Int64(unixNanoseconds / 1000))
  }

  /// The instant `seconds` after the epoch (UTC), as `time.time()` gives it; a negative or
  /// non-finite value is the epoch, one past year 9999 is its last microsecond.
  public init(unixSeconds seconds: Double) {
    let micros = seconds * 1e6
    // Clamped in Int64: the last microsecond has no exact Double.
    let whole = micros.isFinite && micros > 0 ? Int64(min(micros, 9e18)) : 0
    self.init(utcMicroseconds: min(whole, Self.lastMicrosecond))
  }

  /// The wall-clock instant of a `ContinuousClock` instant: now, minus how long ago it was (a
  /// runtime that timed a run with the continuous clock passes its start and end).
  public init(_ instant: ContinuousClock.Instant) {
    let ago = ContinuousClock.now - instant
    let now = Int64(Self.wallClockNanoseconds() / 1000)
    let agoMicros =
      ago >= .zero ? ago.saturatingNanoseconds / 1000 : -((.zero - ago).saturatingNanoseconds / 1000)
    self.init(utcMicroseconds: max(0, min(Self.lastMicrosecond, now - agoMicros)))
  }

  /// Now, from the wall clock.
  public static var now: ISO8601Timestamp {
    ISO8601Timestamp(unixNanoseconds: wallClockNanoseconds())
  }

  /// 9999-12-31T23:59:59.999999Z, the last instant `datetime` (and so the reference) can hold.
  private static let lastMicrosecond: Int64 = 253_402_300_799_999_999

  private static func wallClockNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return UInt64(max(0, time.tv_sec)) * 1_000_000_000 + UInt64(max(0, time.tv_nsec))
  }

  /// An aware UTC timestamp `micros` after the epoch, described as `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
  private init(utcMicroseconds micros: Int64) {
    let days = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
    let (year, month, day) = Self.civil(fromDays: days.quotient)
    let seconds = days.remainder / 1_000_000
    let fraction = days.remainder % 1_000_000
    func pad(_ value: Int64, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    let text =
      "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3600, 2)):"
      + "\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 6))+00:00"
    self.init(localMicroseconds: micros, utcOffsetMicroseconds: 0, description: text)
  }

  /// The proleptic Gregorian date `days` after 1970-01-01 (days ≥ 0).
  private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = shifted / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
