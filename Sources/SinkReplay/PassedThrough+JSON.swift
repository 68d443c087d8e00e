package import ObservabilitySinks

extension PassedThrough {
  /// What the reference makes of a JSON value it passes straight to an attribute.
  package init(_ json: JSONValue) {
    switch json {
    case .string(let text): self = .value(.string(text))
    case .bool(let flag): self = .value(.bool(flag))
    case .int(let number): self = .value(.int(number))
    case .double(let number): self = .value(.double(number))
    case .null: self = .value(.empty)
    case .array, .object: self = .omitted
    }
  }

  /// The JSON value's attribute when its type differs from what the typed input gives (`typed`),
  /// else `nil`: most logs match the typed defaults, and then nothing is kept.
  package static func override(_ json: JSONValue?, typed: (AttributeValue) -> Bool) -> PassedThrough? {
    guard let json else { return nil }
    let passed = PassedThrough(json)
    if case .value(let value) = passed, typed(value) { return nil }
    return passed
  }
}
