/// Python's formatting of floats and strings: `str(final_answer)` on non-string answers (replay)
/// and the reference's `status()` dict as Python prints it.
package enum PythonFloat {
  package static func repr(_ value: Double) -> String {
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

  package static func quote(_ text: String) -> String {
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
