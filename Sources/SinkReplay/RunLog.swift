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

  /// How the lines give their `timestamp`.
  enum TimestampStyle {
    /// ISO 8601 text (run logs).
    case iso8601
    /// Unix seconds, a number (`time.time()`, rlm-code's trajectory log).
    case unixSeconds
  }

  init(bytes: [UInt8], file: String, timestamps: TimestampStyle = .iso8601) {
    let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    let body = bytes.starts(with: byteOrderMark) ? bytes.dropFirst(3) : bytes[...]
    for (lineIndex, rawLine) in body.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
      switch Self.event(line, timestamps: timestamps) {
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

  private static func event(_ line: ArraySlice<UInt8>, timestamps: TimestampStyle) -> Line {
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
    let problem =
      timestamps == .iso8601 ? timestampProblem(event["timestamp"]) : unixSecondsProblem(event["timestamp"])
    if let reason = problem { return .bad(reason) }
    return .event(runID: runID, event)
  }

  /// Why a line's Unix-seconds `timestamp` cannot be used (not a number, or outside 1970–2554).
  private static func unixSecondsProblem(_ value: JSONValue?) -> String? {
    switch value {
    case nil, .null?: return nil
    case .int(let seconds)? where (0...Self.lastUnixSecond).contains(Double(seconds)): return nil
    case .double(let seconds)? where (0...Self.lastUnixSecond).contains(seconds): return nil
    case .int?, .double?:
      return
        "timestamp \(value!.pythonRepr) is outside 1970-01-01 to 2554-07-21, the range OTLP times can carry"
    case let other?: return "timestamp \(other.pythonRepr) is not a number of Unix seconds"
    }
  }

  /// The last second OTLP's Unix nanoseconds can carry (2554-07-21).
  static let lastUnixSecond = 18_446_744_073.0

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
