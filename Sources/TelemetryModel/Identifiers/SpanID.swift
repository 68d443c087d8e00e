/// An 8-byte W3C span id.
public struct SpanData.SpanID: Hashable, Sendable, CustomStringConvertible {
  /// The eight bytes, big-endian.
  public let value: UInt64

  /// Creates a span id from its big-endian value.
  public init(_ value: UInt64) {
    self.value = value
  }

  /// Parses 16 hexadecimal digits (either case); `nil` for anything else or the all-zero id.
  public init?(hex: some StringProtocol) {
    let utf8 = Array(hex.utf8)
    guard utf8.count == 16, let value = HexDigits.parse(utf8[...]), value != 0 else { return nil }
    self.init(value)
  }

  /// Whether this id is not the all-zero id.
  public var isValid: Bool { value != 0 }

  /// The id as 16 lowercase hexadecimal digits.
  public var hex: String { HexDigits.format(value) }

  /// The eight bytes in wire order.
  public var bytes: [UInt8] { HexDigits.bigEndianBytes(value) }

  /// Same as ``hex``.
  public var description: String { hex }
}
