/// The attributes beyond the reference's: token usage, recursion, and the opt-in GenAI and
/// OpenInference conventions. Each is added only when its input is there, so a span whose inputs
/// carry none of it is exactly the reference's.
///
/// Specification: Semantic conventions for generative AI spans and agent spans (development);
/// OpenInference semantic conventions (`openinference.span.kind`, `input.value`, `llm.*`).
enum ConventionAttributes {
  /// Texts put in `input.value`, `output.value` and message attributes, in Unicode scalars.
  static let textLimit = 4096

  /// `rlm.usage.calls`, `.prompt_tokens`, `.completion_tokens`, then the same under `root.` and `sub.`.
  static func usage(_ usage: UsageReport?, into attributes: inout [Attribute]) {
    guard let usage else { return }
    append(usage.total, prefix: "rlm.usage.", into: &attributes)
    if let root = usage.root { append(root, prefix: "rlm.usage.root.", into: &attributes) }
    if let sub = usage.sub { append(sub, prefix: "rlm.usage.sub.", into: &attributes) }
  }

  private static func append(_ usage: TokenUsage, prefix: String, into attributes: inout [Attribute]) {
    attributes.append(Attribute(prefix + "calls", .int(Int64(usage.calls))))
    attributes.append(Attribute(prefix + "prompt_tokens", .int(Int64(usage.promptTokens))))
    attributes.append(Attribute(prefix + "completion_tokens", .int(Int64(usage.completionTokens))))
  }

  /// OpenInference's span kind, and the session and user every span of the run carries.
  static func openInference(kind: String, labels: RunLabels?, into attributes: inout [Attribute]) {
    attributes.append(Attribute("openinference.span.kind", .string(kind)))
    if let session = labels?.sessionID { attributes.append(Attribute("session.id", .string(session))) }
    if let user = labels?.userID { attributes.append(Attribute("user.id", .string(user))) }
  }

  /// `input.value` / `output.value` (plain text) when the text is not empty.
  static func openInferenceValue(_ key: String, _ text: String?, into attributes: inout [Attribute]) {
    guard let text, !text.isEmpty else { return }
    attributes.append(Attribute(key, .string(text.prefix(scalars: textLimit))))
    attributes.append(
      Attribute(key == "input.value" ? "input.mime_type" : "output.mime_type", .string("text/plain")))
  }

  /// A GenAI message list with one text message, as `gen_ai.input.messages` holds it.
  static func genAIMessages(role: String, text: String) -> String {
    "[{\"role\":\"\(role)\",\"parts\":[{\"type\":\"text\",\"content\":\(JSONText.quoted(text.prefix(scalars: textLimit)))}]}]"
  }
}

/// JSON string literals, for the message attributes.
enum JSONText {
  static func quoted(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
