/// A JSON value that keeps what a runtime's log says exactly: integers stay integers, doubles stay
/// doubles, and object keys keep their order.
public enum JSONValue: Hashable, Sendable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number written without fraction or exponent that fits in 64 bits.
  case int(Int64)
  /// Any other number.
  case double(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object, its members in the order written.
  case object([(key: String, value: JSONValue)])

  /// Parses one JSON document (RFC 8259); throws ``JSONParseError`` with the byte offset.
  ///
  /// As Python's `json.loads` does, it also accepts `NaN`, `Infinity` and `-Infinity` (which
  /// Python's `json.dumps` writes for non-finite floats) as doubles.
  public init(parsing text: String) throws(JSONParseError) {
    var parser = JSONParser(bytes: Array(text.utf8))
    self = try parser.parseDocument()
  }

  /// The member `key` of an object; `nil` for a missing key or a non-object.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// Whether Python would consider this value false in `if value:` (`None`, `False`, `0`, `0.0`,
  /// `""`, `[]`, `{}`).
  public var isFalsy: Bool {
    switch self {
    case .null: return true
    case .bool(let value): return !value
    case .int(let value): return value == 0
    case .double(let value): return value == 0
    case .string(let value): return value.isEmpty
    case .array(let values): return values.isEmpty
    case .object(let members): return members.isEmpty
    }
  }

  /// The text Python's `str()` gives for the value as `json.loads` would have produced it.
  public var pythonString: String {
    switch self {
    case .string(let value): return value
    default: return pythonRepr
    }
  }

  /// The text Python's `repr()` gives for the value as `json.loads` would have produced it.
  public var pythonRepr: String {
    switch self {
    case .null: return "None"
    case .bool(let value): return value ? "True" : "False"
    case .int(let value): return String(value)
    case .double(let value): return PythonFloat.repr(value)
    case .string(let value): return PythonFloat.quote(value)
    case .array(let values): return "[" + values.map(\.pythonRepr).joined(separator: ", ") + "]"
    case .object(let members):
      return "{"
        + members.map { PythonFloat.quote($0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ")
        + "}"
    }
  }

  /// Structural equality; object members compare in order.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// Hashes the value consistently with ``==(_:_:)``.
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let value): hasher.combine(value)
    case .int(let value): hasher.combine(value)
    case .double(let value): hasher.combine(value)
    case .string(let value): hasher.combine(value)
    case .array(let values): hasher.combine(values)
    case .object(let members):
      for member in members {
        hasher.combine(member.key)
        hasher.combine(member.value)
      }
    }
  }
}

/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The byte offset where parsing stopped.
  public var offset: Int
  /// What was wrong there.
  public var reason: String

  /// A one-line message.
  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Python's formatting of floats and strings, for `str(final_answer)` on non-string answers.
enum PythonFloat {
  static func repr(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    // Swift and Python both print the shortest round-tripping digits; they differ in when they
    // switch to exponent notation and in how they write it.
    let magnitude = abs(value)
    if magnitude != 0 && (magnitude >= 1e16 || magnitude < 1e-4) {
      var text = String(describing: value)
      if let e = text.firstIndex(of: "e") {
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = String(text[text.index(after: e)...])
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        if exponent.hasPrefix("-") || exponent.hasPrefix("+") { exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        text = mantissa + "e" + sign + exponent
      }
      return text
    }
    let text = String(describing: value)
    return text.contains("e") ? fixedNotation(text) : text
  }

  /// Fixed notation for the values Swift prints with an exponent and Python does not
  /// (`1e-04 ... 1e16`), from Swift's shortest digits `d.ddde±x`.
  private static func fixedNotation(_ text: String) -> String {
    guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]) else {
      return text
    }
    let negative = text.hasPrefix("-")
    let mantissaText = text[..<e].filter { $0 != "-" }
    let point =
      mantissaText.firstIndex(of: ".").map { mantissaText.distance(from: mantissaText.startIndex, to: $0) }
      ?? mantissaText.count
    let mantissa = mantissaText.filter { $0 != "." }
    let newPoint = point + exponent
    let digits: String
    if newPoint <= 0 {
      digits = "0." + String(repeating: "0", count: -newPoint) + mantissa
    } else if newPoint >= mantissa.count {
      digits = mantissa + String(repeating: "0", count: newPoint - mantissa.count) + ".0"
    } else {
      let split = mantissa.index(mantissa.startIndex, offsetBy: newPoint)
      digits = mantissa[..<split] + "." + mantissa[split...]
    }
    return (negative ? "-" : "") + digits
  }

  static func quote(_ text: String) -> String {
    let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if Character(scalar) == quote {
          out += "\\" + String(quote)
        } else if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\x" + hex2(scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out.append(quote)
    return out
  }

  private static func hex2(_ value: UInt32) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(value >> 4)], digits[Int(value & 0xF)]])
  }
}
