import ObservabilitySinks

/// The lines of a run log read as events, and the lines that are not, with why.
///
/// Works on bytes, not `Character`s: Swift reads `"\r\n"` as one `Character`, so splitting a
/// `String` on `"\n"` would leave a CRLF log as one line.
struct RunLog {
  /// Each good line's `run_id` and object, in file order.
  private(set) var events: [(runID: String, event: JSONValue)] = []
  /// One error per bad line, naming the file and the line (1-based).
  private(set) var badLines: [HookScriptError] = []

  init(bytes: [UInt8], file: String) {
    let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    let body = bytes.starts(with: byteOrderMark) ? bytes.dropFirst(3) : bytes[...]
    for (lineIndex, rawLine) in body.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
      switch Self.event(line) {
      case .blank: continue
      case .event(let runID, let event): events.append((runID, event))
      case .bad(let reason):
        badLines.append(HookScriptError(index: lineIndex, reason: reason, file: file, line: lineIndex + 1))
      }
    }
  }

  private enum Line {
    case blank
    case event(runID: String, JSONValue)
    case bad(String)
  }

  private static func event(_ line: ArraySlice<UInt8>) -> Line {
    guard let text = String(validating: line, as: UTF8.self) else { return .bad("not UTF-8 text") }
    guard !text.allSatisfy(\.isWhitespace) else { return .blank }
    var parser = JSONParser(bytes: Array(line))
    let event: JSONValue
    do {
      event = try parser.parseDocument()
    } catch {
      return .bad("not JSON: \(error.reason) at column \(error.offset + 1)")
    }
    guard case .object = event else { return .bad("not a JSON object") }
    guard case .string(let runID)? = event["run_id"] else {
      return .bad("not an event: no \"run_id\" string")
    }
    if let reason = timestampProblem(event["timestamp"]) { return .bad(reason) }
    return .event(runID: runID, event)
  }

  /// Why a line's `timestamp` cannot be used, if it cannot; absent and `null` are fine (the call
  /// is then timed when it is played).
  private static func timestampProblem(_ value: JSONValue?) -> String? {
    switch value {
    case nil, .null?: return nil
    case .string(let text)?:
      guard let timestamp = ISO8601Timestamp(text) else {
        return "timestamp \(PythonFloat.quote(text)) is not ISO 8601"
      }
      guard timestamp.isRepresentableInUnixNanoseconds else {
        return "timestamp \(text) is outside 1970-01-01 to 2554-07-21, the range OTLP times can carry"
      }
      return nil
    case let other?: return "timestamp \(other.pythonRepr) is not a string"
    }
  }
}
