/// Hexadecimal conversions for ids, without Foundation's formatters (they allocate and are slow).
enum HexDigits {
  private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

  static func format(_ value: UInt64) -> String {
    var ascii = [UInt8](repeating: 0, count: 16)
    for index in 0..<16 {
      ascii[index] = digits[Int((value >> UInt64(60 - index * 4)) & 0xF)]
    }
    return String(decoding: ascii, as: UTF8.self)
  }

  static func parse(_ utf8: ArraySlice<UInt8>) -> UInt64? {
    var value: UInt64 = 0
    for byte in utf8 {
      let nibble: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt64(nibble)
    }
    return value
  }

  static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - $0 * 8)) }
  }
}
