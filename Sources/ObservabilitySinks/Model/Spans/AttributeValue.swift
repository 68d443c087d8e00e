/// The value of an attribute, in the four scalar types OTLP's `AnyValue` carries for our spans.
public enum AttributeValue: Hashable, Sendable {
  /// A UTF-8 string.
  case string(String)
  /// A boolean.
  case bool(Bool)
  /// A signed 64-bit integer.
  case int(Int64)
  /// A double-precision float.
  case double(Double)
  /// No value: an `AnyValue` with nothing set, which is what the reference sends for a `None`.
  case empty
}

extension AttributeValue: CustomStringConvertible {
  /// The value as a reader expects it: strings quoted, `null` for ``empty``.
  public var description: String {
    switch self {
    case .string(let text): return "\"" + text + "\""
    case .bool(let flag): return String(flag)
    case .int(let number): return String(number)
    case .double(let number): return String(number)
    case .empty: return "null"
    }
  }
}

/// One key/value pair of a span, event, resource or data point.
public struct Attribute: Hashable, Sendable {
  /// The attribute's key, e.g. `rlm.run_id`.
  public var key: String
  /// The attribute's typed value.
  public var value: AttributeValue

  /// Creates an attribute.
  public init(_ key: String, _ value: AttributeValue) {
    self.key = key
    self.value = value
  }
}

extension Array where Element == Attribute {
  /// The value of the first attribute with this key, if any.
  public subscript(key: String) -> AttributeValue? {
    first { $0.key == key }?.value
  }
}
