/// Renders spans as an indented tree for the terminal.
enum SpanTreeRenderer {
  private static let eventPreviewLength = 72

  /// The tree under `root`; `children` gives a span's children in start order (steps of a run,
  /// child runs and model calls of a step).
  static func render(root: SpanData, children: (SpanData) -> [SpanData], serviceName: String) -> String {
    var lines = ["Trace \(root.traceID.hex)  (service \(serviceName))"]
    lines.append("└─ " + header(root))
    let rootChildren = children(root)
    lines += attributeLines(root, indent: rootChildren.isEmpty ? "      " : "   │  ", skipping: [])
    appendChildren(rootChildren, prefix: "   ", parentRunID: root.attributes["rlm.run_id"], children, &lines)
    // The run's answer reads best after its steps.
    lines += eventLines(root, indent: "   ")
    return lines.joined(separator: "\n") + "\n\n"
  }

  private static func appendChildren(
    _ spans: [SpanData], prefix: String, parentRunID: AttributeValue?, _ children: (SpanData) -> [SpanData],
    _ lines: inout [String]
  ) {
    for (index, span) in spans.enumerated() {
      let last = index == spans.count - 1
      lines.append(prefix + (last ? "└─ " : "├─ ") + header(span))
      let childPrefix = prefix + (last ? "   " : "│  ")
      let grandchildren = children(span)
      let indent = childPrefix + (grandchildren.isEmpty ? "   " : "│  ")
      // A step repeats its run's id; a child run shows its own.
      let sameRun = span.attributes["rlm.run_id"] == parentRunID
      lines += attributeLines(span, indent: indent, skipping: sameRun ? ["rlm.run_id"] : [])
      lines += eventLines(span, indent: indent)
      let runID = span.name == "rlm.run" ? span.attributes["rlm.run_id"] : parentRunID
      appendChildren(grandchildren, prefix: childPrefix, parentRunID: runID, children, &lines)
    }
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
      .map { "\($0.key.replacingPrefix("rlm.", with: ""))=\(shown($0.value))" }
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

  /// A value on one line: a text with line breaks shows its first line (the rest is in the export).
  private static func shown(_ value: AttributeValue) -> String {
    guard case .string(let text) = value, text.contains(where: \.isNewline) else { return value.description }
    return "\"" + preview(text) + "\""
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
