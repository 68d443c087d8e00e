/// A 16-byte W3C trace id, held as two big-endian halves so that it is cheap to copy and hash.
public struct SpanData.TraceID: Hashable, Sendable, CustomStringConvertible {
  /// The first eight bytes, big-endian.
  public let high: UInt64
  /// The last eight bytes, big-endian.
  public let low: UInt64

  /// Creates a trace id from its two halves.
  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// Parses 32 hexadecimal digits (either case); `nil` for anything else or the all-zero id.
  public init?(hex: some StringProtocol) {
    let utf8 = Array(hex.utf8)
    guard utf8.count == 32, let high = HexDigits.parse(utf8[0..<16]), let low = HexDigits.parse(utf8[16..<32])
    else { return nil }
    guard high != 0 || low != 0 else { return nil }
    self.init(high: high, low: low)
  }

  /// The all-zero id, which the W3C specification declares invalid.
  public static let invalid = SpanData.TraceID(high: 0, low: 0)

  /// Whether this id is not the all-zero id.
  public var isValid: Bool { high != 0 || low != 0 }

  /// The id as 32 lowercase hexadecimal digits, as trace viewers print it.
  public var hex: String { HexDigits.format(high) + HexDigits.format(low) }

  /// The sixteen bytes in wire order.
  public var bytes: [UInt8] { HexDigits.bigEndianBytes(high) + HexDigits.bigEndianBytes(low) }

  /// Same as ``hex``.
  public var description: String { hex }
}
