import Logging
import SinkSupport

/// Reading environment variables the way the reference and the OpenTelemetry specification do.
/// Every invalid value gets one warning naming the variable, and the default.
package enum EnvironmentValues {
  /// The reference's boolean (`DSPY_RLM_*`): unset gives `defaultValue`; otherwise true exactly when
  /// the value, trimmed of whitespace (Python's `str.strip()`) and lower-cased, is `1`, `true`,
  /// `yes` or `on`.
  package static func bool(_ value: String?, default defaultValue: Bool) -> Bool {
    guard let value else { return defaultValue }
    return ["1", "true", "yes", "on"].contains(pythonStrip(value).lowercased())
  }

  /// Python's `int(text)` for a decimal text (after trimming): an optional sign, ASCII digits with
  /// single underscores between them; saturating at the bounds of `Int`. `nil` when not a number.
  static func pythonInt(_ text: String) -> Int? {
    var digits = Substring(text)
    var negative = false
    if let sign = digits.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      digits = digits.dropFirst()
    }
    guard let first = digits.first, first.isASCII, first.isNumber, digits.last?.isNumber == true,
      !digits.contains("__")
    else { return nil }
    var value = 0
    for character in digits where character != "_" {
      guard character.isASCII, let digit = character.wholeNumberValue else { return nil }
      let (times, overflow) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(digit)
      if overflow || overflow2 { return negative ? Int.min : Int.max }
      value = sum
    }
    return negative ? -value : value
  }

  /// Python's `float(text)` (after trimming) for the decimal forms it accepts, with `inf`, `nan`
  /// and underscores between digits; `nil` for anything else (Python raises `ValueError`).
  static func pythonFloat(_ text: String) -> Double? {
    // Swift also reads hexadecimal floats, which Python's float() refuses.
    guard !text.isEmpty, !text.lowercased().contains("x"), !text.contains("__"),
      !text.hasPrefix("_"), !text.hasSuffix("_")
    else { return nil }
    let scalars = Array(text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() where scalar == "_" {
      // An underscore only between two digits.
      let before = scalars[index - 1].properties.numericType != nil
      let after = index + 1 < scalars.count && scalars[index + 1].properties.numericType != nil
      guard before && after else { return nil }
    }
    return Double(text.filter { $0 != "_" })
  }

  /// Python's `str.strip()` with no argument: drops leading and trailing characters for which
  /// `str.isspace()` is true (Unicode White_Space plus the ASCII separators U+001C–U+001F).
  static func pythonStrip(_ text: String) -> String {
    func isSpace(_ scalar: Unicode.Scalar) -> Bool {
      scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isSpace($0) }),
      let last = scalars.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(scalars[first...last])
  }
}

/// One environment, read with warnings for what is invalid.
struct EnvironmentReader {
  let values: [String: String]
  let logger: Logger

  /// The value, trimmed; `nil` when unset or empty (the specification treats empty as unset).
  func text(_ name: String) -> String? {
    guard let raw = values[name] else { return nil }
    let trimmed = raw.trimmingWhitespace()
    return trimmed.isEmpty ? nil : trimmed
  }

  /// The specification's boolean: `true` (any case) is true, `false` is false, anything else
  /// warns and is false.
  func bool(_ name: String) -> Bool? {
    guard let value = text(name) else { return nil }
    switch value.lowercased() {
    case "true": return true
    case "false": return false
    default:
      warn(name, value, "expected true or false; using false")
      return false
    }
  }

  /// A duration in milliseconds; `allowZero` where 0 has a meaning, which the warning states:
  /// `zeroMeans` ("no limit" for timeouts).
  func milliseconds(_ name: String, allowZero: Bool, zeroMeans: String = "no limit") -> Duration? {
    guard let value = text(name) else { return nil }
    guard let number = Int64(value), number > 0 || (allowZero && number == 0) else {
      warn(
        name, value,
        "expected a whole number of milliseconds\(allowZero ? " (0 = \(zeroMeans))" : " above 0"); using the default"
      )
      return nil
    }
    return .milliseconds(number)
  }

  /// A count above zero.
  func positiveInt(_ name: String) -> Int? {
    guard let value = text(name) else { return nil }
    guard let number = Int(value), number > 0 else {
      warn(name, value, "expected a whole number above 0; using the default")
      return nil
    }
    return number
  }

  /// A limit: a whole number, 0 or more, read as Python's `int()` reads it after `strip()` (a
  /// sign, digits, single underscores between digits); beyond `Int.max`, `Int.max`. Anything else
  /// warns and leaves the limit unset, as the specification asks (the reference's SDK fails).
  ///
  /// `emptyMeansNoLimit`: as in the SDK (`_ENV_VALUE_UNSET`), a span's, event's or link's own limit
  /// that is set but empty or blank is no limit at all (`Int.max`) rather than the shared one.
  func limit(_ name: String, emptyMeansNoLimit: Bool = false) -> Int? {
    if emptyMeansNoLimit, let raw = values[name], EnvironmentValues.pythonStrip(raw).isEmpty {
      return Int.max
    }
    guard let value = text(name) else { return nil }
    guard let number = EnvironmentValues.pythonInt(value), number >= 0 else {
      warn(name, value, "expected a whole number, 0 or more; the limit is not set")
      return nil
    }
    return number
  }

  /// One of the given words, case-insensitive.
  func choice<T>(_ name: String, _ choices: [String: T]) -> T? {
    guard let value = text(name) else { return nil }
    guard let choice = choices[value.lowercased()] else {
      warn(name, value, "expected one of \(choices.keys.sorted().joined(separator: ", ")); using the default")
      return nil
    }
    return choice
  }

  /// `grpc` or `http/protobuf`; `http/json` warns and sends binary protobuf, which receivers of
  /// OTLP/HTTP accept as well; anything else warns and is the default (gRPC).
  func otlpProtocol(_ name: String) -> OTLPProtocol? {
    guard let value = text(name) else { return nil }
    switch value.lowercased() {
    case "grpc": return .grpc
    case "http/protobuf": return .httpProtobuf
    case "http/json":
      logger.warning(
        "\(name)='\(value)' is not supported: OTLP/HTTP is sent as binary protobuf (http/protobuf)")
      return .httpProtobuf
    default:
      warn(name, value, "expected grpc or http/protobuf; using grpc")
      return nil
    }
  }

  /// A comma list of convention names (`genai`, `openinference`); an unknown name is skipped with
  /// a warning, the others are kept.
  func conventions(_ name: String) -> LLMConventions? {
    guard let value = text(name) else { return nil }
    var conventions: LLMConventions = []
    for entry in value.split(separator: ",") {
      let word = String(entry).trimmingWhitespace().lowercased()
      guard !word.isEmpty else { continue }
      guard let convention = LLMConventions.names[word] else {
        warn(name, value, "'\(word)' is not one of genai, openinference; it is skipped")
        continue
      }
      conventions.insert(convention)
    }
    return conventions
  }

  /// `OTEL_TRACES_EXPORTER`-style lists: the first entry, which must be otlp, console or none.
  func exporterKind(_ name: String) -> ExporterKind? {
    guard let value = text(name) else { return nil }
    let first =
      value.split(separator: ",").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
    guard let kind = ExporterKind(rawValue: first) else {
      warn(name, value, "expected otlp, console or none; using the default")
      return nil
    }
    return kind
  }

  /// W3C-baggage-like `key=value,key2=value2` (headers, resource attributes): keys and values are
  /// trimmed and percent-decoded, values may contain `=` and spaces; a malformed pair is skipped
  /// with one warning that names its position, never its value (headers carry secrets).
  func pairs(_ name: String) -> [(key: String, value: String)]? {
    guard let value = text(name) else { return nil }
    var out: [(key: String, value: String)] = []
    var skipped: [Int] = []
    for (index, item) in value.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
      let trimmedItem = item.trimmingWhitespace()
      if trimmedItem.isEmpty { continue }
      guard let equals = trimmedItem.firstIndex(of: "=") else {
        skipped.append(index + 1)
        continue
      }
      let rawKey = trimmedItem[..<equals].trimmingWhitespace()
      let rawValue = trimmedItem[trimmedItem.index(after: equals)...].trimmingWhitespace()
      guard let key = rawKey.removingPercentEscapes(), !key.isEmpty,
        let decoded = rawValue.removingPercentEscapes()
      else {
        skipped.append(index + 1)
        continue
      }
      out.append((key, decoded))
    }
    if !skipped.isEmpty {
      logger.warning(
        "\(name): skipped malformed entries at positions \(skipped.map(String.init).joined(separator: ", ")); expected key=value pairs separated by commas"
      )
    }
    return out
  }

  private func warn(_ name: String, _ value: String, _ expectation: String) {
    logger.warning("\(name)='\(value)' is invalid: \(expectation)")
  }
}
