import ObservabilitySinks

/// A JSON value that keeps what a runtime's log says exactly: integers stay integers, doubles stay
/// doubles, and object keys keep their order.
package enum JSONValue: Hashable, Sendable {
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
  package init(parsing text: String) throws(JSONParseError) {
    var parser = JSONParser(bytes: Array(text.utf8))
    self = try parser.parseDocument()
  }

  /// The member `key` of an object; `nil` for a missing key or a non-object.
  package subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// Whether Python would consider this value false in `if value:` (`None`, `False`, `0`, `0.0`,
  /// `""`, `[]`, `{}`).
  package var isFalsy: Bool {
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
  package var pythonString: String {
    switch self {
    case .string(let value): return value
    default: return pythonRepr
    }
  }

  /// The text Python's `repr()` gives for the value as `json.loads` would have produced it.
  package var pythonRepr: String {
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
  package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
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
  package func hash(into hasher: inout Hasher) {
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
package struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The byte offset where parsing stopped.
  package var offset: Int
  /// What was wrong there.
  package var reason: String

  /// A one-line message.
  package var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
