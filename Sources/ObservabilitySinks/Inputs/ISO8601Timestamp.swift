/// A timestamp as an RLM runtime has it: ISO 8601 text, parsed the way Python's
/// `datetime.fromisoformat` (3.11) reads it so that run durations match the reference to the
/// microsecond, or Unix time, or a `ContinuousClock` instant (see `init(unixNanoseconds:)`,
/// `init(unixSeconds:)`, `init(_:)` and ``now``).
///
/// Accepted: `YYYY-MM-DD` or `YYYYMMDD`, optionally followed by any one separator character and a
/// time `HH[:MM[:SS[.fff…]]]` (or `HHMM[SS]`), optionally followed by `Z` or an offset
/// `±HH[:MM[:SS[.ffffff]]]`. Fractions beyond six digits are truncated, as in Python.
public struct ISO8601Timestamp: Hashable, Sendable, CustomStringConvertible {
  /// Microseconds since 1970-01-01T00:00:00 in the timestamp's own wall clock.
  public let localMicroseconds: Int64
  /// The UTC offset in microseconds, or `nil` for a naive timestamp.
  public let utcOffsetMicroseconds: Int64?
  /// The text it was parsed from.
  public let description: String

  /// Parses `text`; `nil` when Python's `fromisoformat` would raise.
  public init?(_ text: String) {
    var parser = ISO8601Parser(Array(text.utf8))
    guard let (local, offset) = parser.parse() else { return nil }
    localMicroseconds = local
    utcOffsetMicroseconds = offset
    description = text
  }

  /// A timestamp from its parts (the Unix-time initializers build the text).
  init(localMicroseconds: Int64, utcOffsetMicroseconds: Int64?, description: String) {
    self.localMicroseconds = localMicroseconds
    self.utcOffsetMicroseconds = utcOffsetMicroseconds
    self.description = description
  }

  /// Seconds from `earlier` to `self`, as `(self - earlier).total_seconds()` in Python; `nil` when
  /// one timestamp has an offset and the other has none (Python raises `TypeError`).
  public func seconds(since earlier: ISO8601Timestamp) -> Double? {
    switch (utcOffsetMicroseconds, earlier.utcOffsetMicroseconds) {
    case (nil, nil):
      return Double(localMicroseconds - earlier.localMicroseconds) / 1e6
    case (let mine?, let theirs?):
      return Double((localMicroseconds - mine) - (earlier.localMicroseconds - theirs)) / 1e6
    default:
      return nil
    }
  }

  /// The instant in Unix nanoseconds; a naive timestamp is taken as UTC, as RLM runtimes log UTC.
  ///
  /// Saturating, never trapping: every accepted text (years 0001 to 9999, any offset) converts.
  /// Instants before 1970-01-01T00:00:00Z give 0 and instants after
  /// 2554-07-21T23:34:33.709551Z (the last microsecond below 2⁶⁴ ns) give `UInt64.max`, the
  /// ends of what an OTLP timestamp can carry. `isRepresentableInUnixNanoseconds` says whether
  /// the value was clamped.
  public var unixNanoseconds: UInt64 {
    let micros = utcMicroseconds
    guard micros > 0 else { return 0 }
    let (nanos, overflow) = UInt64(micros).multipliedReportingOverflow(by: 1000)
    return overflow ? .max : nanos
  }

  /// Whether ``unixNanoseconds`` is the instant itself, not a clamped end (1970 to 2554).
  package var isRepresentableInUnixNanoseconds: Bool {
    let micros = utcMicroseconds
    return micros >= 0 && micros <= Int64(UInt64.max / 1000)
  }

  /// Microseconds since the epoch in UTC; years 1–9999 and offsets under a day keep this far
  /// inside `Int64` (±3.2 × 10¹⁷), so the subtraction cannot overflow.
  private var utcMicroseconds: Int64 { localMicroseconds - (utcOffsetMicroseconds ?? 0) }
}

/// A cursor over the bytes of an ISO 8601 text, following `datetime.fromisoformat`'s grammar.
private struct ISO8601Parser {
  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  mutating func parse() -> (local: Int64, offset: Int64?)? {
    guard let days = parseDate() else { return nil }
    var local = days * 86_400_000_000
    var offset: Int64?
    if index < bytes.count {
      // Python accepts any single character as the date/time separator; skip a whole scalar.
      index += scalarLength(at: index)
      guard let timeOfDay = parseTime() else { return nil }
      local += timeOfDay
      if index < bytes.count {
        guard let parsedOffset = parseOffset() else { return nil }
        offset = parsedOffset
      }
    }
    return index == bytes.count ? (local, offset) : nil
  }

  private mutating func parseDate() -> Int64? {
    guard let year = digits(4) else { return nil }
    let extended = peek() == UInt8(ascii: "-")
    if extended { index += 1 }
    guard let month = digits(2) else { return nil }
    if extended {
      guard peek() == UInt8(ascii: "-") else { return nil }
      index += 1
    }
    guard let day = digits(2) else { return nil }
    guard year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
    return daysSinceEpoch(year: year, month: month, day: day)
  }

  /// Returns microseconds since midnight.
  private mutating func parseTime() -> Int64? {
    guard let hour = digits(2), hour < 24 else { return nil }
    var minute: Int64 = 0
    var second: Int64 = 0
    var micros: Int64 = 0
    if isDigitOrColon() {
      let extended = peek() == UInt8(ascii: ":")
      if extended { index += 1 }
      guard let parsedMinute = digits(2), parsedMinute < 60 else { return nil }
      minute = parsedMinute
      if extended ? peek() == UInt8(ascii: ":") : isDigit(peek()) {
        if extended { index += 1 }
        guard let parsedSecond = digits(2), parsedSecond < 60 else { return nil }
        second = parsedSecond
        if peek() == UInt8(ascii: ".") || peek() == UInt8(ascii: ",") {
          index += 1
          guard let fraction = fractionMicroseconds() else { return nil }
          micros = fraction
        }
      }
    }
    return ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros
  }

  private mutating func parseOffset() -> Int64? {
    guard let sign = peek() else { return nil }
    index += 1
    if sign == UInt8(ascii: "Z") { return 0 }
    guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
    guard let magnitude = parseTime(), magnitude < 86_400_000_000 else { return nil }
    return sign == UInt8(ascii: "-") ? -magnitude : magnitude
  }

  private mutating func fractionMicroseconds() -> Int64? {
    var value: Int64 = 0
    var count = 0
    while let byte = peek(), isDigit(byte) {
      if count < 6 { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
      count += 1
      index += 1
    }
    guard count > 0 else { return nil }
    for _ in count..<max(count, 6) { value *= 10 }
    return value
  }

  private mutating func digits(_ count: Int) -> Int64? {
    guard index + count <= bytes.count else { return nil }
    var value: Int64 = 0
    for byte in bytes[index..<index + count] {
      guard isDigit(byte) else { return nil }
      value = value * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    index += count
    return value
  }

  private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
  private func isDigit(_ byte: UInt8?) -> Bool { byte.map { (48...57).contains($0) } ?? false }
  private func isDigitOrColon() -> Bool { isDigit(peek()) || peek() == UInt8(ascii: ":") }

  private func scalarLength(at position: Int) -> Int {
    let lead = bytes[position]
    switch lead {
    case 0xF0...: return min(4, bytes.count - position)
    case 0xE0...: return min(3, bytes.count - position)
    case 0xC0...: return min(2, bytes.count - position)
    default: return 1
    }
  }

  private func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Howard Hinnant's days-from-civil: proleptic Gregorian days since 1970-01-01.
  private func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
