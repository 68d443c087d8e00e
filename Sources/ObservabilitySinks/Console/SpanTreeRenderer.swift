import TelemetryModel

/// Renders spans as an indented tree for the terminal.
enum SpanTreeRenderer {
  private static let eventPreviewLength = 72

  static func render(root: SpanData, children: [SpanData], serviceName: String) -> String {
    var lines = ["Trace \(root.traceID.hex)  (service \(serviceName))"]
    lines.append("└─ " + header(root))
    lines += attributeLines(root, indent: "   │  ", skipping: [])
    for (index, child) in children.enumerated() {
      let last = index == children.count - 1
      lines.append("   " + (last ? "└─ " : "├─ ") + header(child))
      let indent = "   " + (last ? "   " : "│  ") + "   "
      lines += attributeLines(child, indent: indent, skipping: ["rlm.run_id"])
      lines += eventLines(child, indent: indent)
    }
    lines += eventLines(root, indent: "   ")
    return lines.joined(separator: "\n") + "\n\n"
  }

  static func renderOrphans(_ spans: [SpanData]) -> String {
    var lines = ["Spans of runs that never ended:"]
    for span in spans {
      lines.append("   • " + header(span) + "  trace \(span.traceID.hex)")
      lines += attributeLines(span, indent: "       ", skipping: [])
    }
    return lines.joined(separator: "\n") + "\n\n"
  }

  private static func header(_ span: SpanData) -> String {
    var text = span.name
    if case .int(let step)? = span.attributes["rlm.step"] { text += " \(step)" }
    text += " [\(duration(span))] " + status(span.status)
    return text
  }

  private static func attributeLines(_ span: SpanData, indent: String, skipping: Set<String>) -> [String] {
    let pairs = span.attributes.filter { !skipping.contains($0.key) && $0.key != "rlm.step" }
      .map { "\($0.key.replacingPrefix("rlm.", with: ""))=\($0.value.description)" }
    guard !pairs.isEmpty else { return [] }
    // Wrap the attribute list at a readable width.
    var lines: [String] = []
    var current = ""
    for pair in pairs {
      if !current.isEmpty && current.count + pair.count > 90 {
        lines.append(indent + current)
        current = ""
      }
      current += current.isEmpty ? pair : "  " + pair
    }
    lines.append(indent + current)
    return lines
  }

  private static func eventLines(_ span: SpanData, indent: String) -> [String] {
    span.events.map { event in
      let text =
        event.attributes.first.map { attribute -> String in
          if case .string(let raw) = attribute.value { return raw }
          return attribute.value.description
        } ?? ""
      return indent + "• \(event.name): " + preview(text)
    }
  }

  private static func status(_ status: SpanData.Status) -> String {
    switch status {
    case .unset: return "UNSET"
    case .ok: return "OK"
    case .error(let message): return message.isEmpty ? "ERROR" : "ERROR: " + preview(message)
    }
  }

  private static func duration(_ span: SpanData) -> String {
    let nanos =
      span.endTimeUnixNano >= span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0
    let millis = Double(nanos) / 1e6
    if millis >= 1000 { return "\(rounded(millis / 1000)) s" }
    if millis >= 1 { return "\(rounded(millis)) ms" }
    return "\(rounded(Double(nanos) / 1e3)) µs"
  }

  private static func rounded(_ value: Double) -> String {
    let tenths = (value * 10).rounded() / 10
    return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
  }

  /// The first line of a text, shortened for one terminal line.
  private static func preview(_ text: String) -> String {
    let firstLine =
      text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    let more = firstLine.count < text.count
    if firstLine.count > eventPreviewLength {
      return String(firstLine.prefix(eventPreviewLength)) + "…"
    }
    return more ? firstLine + " …" : firstLine
  }
}

extension String {
  fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
  }
}
