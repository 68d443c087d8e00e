import ObservabilitySinks

/// A small RFC 8259 parser that distinguishes integers from doubles (Foundation's does not).
/// Like Python's `json.loads`, it also reads `NaN`, `Infinity` and `-Infinity`: Python's
/// `json.dumps` writes them for non-finite floats, so runtimes' logs hold them.
package struct JSONParser {
  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0
  private static let maximumDepth = 512

  package init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  package mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else { throw failure("unexpected text after the value") }
    return value
  }

  private mutating func parseValue() throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    guard let byte = peek() else { throw failure("unexpected end of text") }
    switch byte {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try parseLiteral("null", .null)
    case UInt8(ascii: "N"): return try parseLiteral("NaN", .double(.nan))
    case UInt8(ascii: "I"): return try parseLiteral("Infinity", .double(.infinity))
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw failure("unexpected character")
    }
  }

  private mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enterContainer()
    var members: [(key: String, value: JSONValue)] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      try expect(UInt8(ascii: ":"))
      members.append((key, try parseValue()))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "}"))
      depth -= 1
      return .object(members)
    }
  }

  private mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enterContainer()
    var values: [JSONValue] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(values)
    }
    while true {
      values.append(try parseValue())
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "]"))
      depth -= 1
      return .array(values)
    }
  }

  private mutating func enterContainer() throws(JSONParseError) {
    depth += 1
    guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
    index += 1
  }

  private mutating func parseString() throws(JSONParseError) -> String {
    index += 1  // opening quote
    var scalars = String.UnicodeScalarView()
    var runStart = index
    func flushRun(_ parser: JSONParser, upTo end: Int) {
      if end > runStart {
        scalars.append(
          contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
      }
    }
    while true {
      guard let byte = peek() else { throw failure("unterminated string") }
      if byte == UInt8(ascii: "\"") {
        flushRun(self, upTo: index)
        index += 1
        return String(scalars)
      }
      if byte < 0x20 { throw failure("control character in a string") }
      if byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      flushRun(self, upTo: index)
      index += 1
      guard let escape = peek() else { throw failure("unterminated escape") }
      index += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"): scalars.append(try parseUnicodeEscape())
      default: throw failure("invalid escape")
      }
      runStart = index
    }
  }

  private mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
    let first = try hex4()
    if (0xD800..<0xDC00).contains(first), peek() == UInt8(ascii: "\\"), index + 1 < bytes.count,
      bytes[index + 1] == UInt8(ascii: "u")
    {
      let save = index
      index += 2
      let second = try hex4()
      if (0xDC00..<0xE000).contains(second) {
        return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
      }
      index = save
    }
    // A lone surrogate cannot be a Swift scalar; Python keeps it, we substitute U+FFFD.
    return Unicode.Scalar(first) ?? "\u{FFFD}"
  }

  private mutating func hex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
    var value: UInt32 = 0
    for byte in bytes[index..<index + 4] {
      let nibble: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
      default: throw failure("invalid \\u escape")
      }
      value = value << 4 | UInt32(nibble)
    }
    index += 4
    return value
  }

  private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    if peek() == UInt8(ascii: "-") {
      index += 1
      if peek() == UInt8(ascii: "I") { return try parseLiteral("Infinity", .double(-.infinity)) }
    }
    guard let first = peek(), isDigit(first) else { throw failure("invalid number") }
    if first == UInt8(ascii: "0") {
      index += 1
    } else {
      while let byte = peek(), isDigit(byte) { index += 1 }
    }
    var isInteger = true
    if peek() == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard let byte = peek(), isDigit(byte) else { throw failure("invalid fraction") }
      while let byte = peek(), isDigit(byte) { index += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      guard let byte = peek(), isDigit(byte) else { throw failure("invalid exponent") }
      while let byte = peek(), isDigit(byte) { index += 1 }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if isInteger, let value = Int64(text) { return .int(value) }
    guard let value = Double(text) else { throw failure("number out of range") }
    return .double(value)
  }

  private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
    let utf8 = Array(word.utf8)
    guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
      throw failure("invalid literal")
    }
    index += utf8.count
    return value
  }

  private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
    guard peek() == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
    index += 1
  }

  private mutating func skipWhitespace() {
    while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
  }

  private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
  private func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
  private func failure(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }
}
