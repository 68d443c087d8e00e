import ObservabilitySinks
import SinkReplay

/// The JSON parser, the typed-input adapters and the ISO 8601 parser.
enum InputTargets {
  /// Parse → serialize → parse gives the same value (non-finite doubles become `null`, as
  /// `jsonText` writes them), and the byte and `String` entry points agree.
  static func json(_ bytes: [UInt8]) {
    var parser = JSONParser(bytes: bytes)
    let parsed = try? parser.parseDocument()
    if let text = String(validating: bytes, as: UTF8.self) {
      let fromText = try? JSONValue(parsing: text)
      invariant(
        fromText.map { parsed.map(JSONComparison.identical($0)) ?? false } ?? (parsed == nil),
        "bytes and String parse differently")
    }
    guard let value = parsed else { return }
    let text = value.jsonText
    guard let reparsed = try? JSONValue(parsing: text) else {
      invariant(false, "jsonText is not JSON: \(text)")
      return
    }
    invariant(JSONComparison.identical(reparsed, JSONComparison.finite(value)), "round trip changed \(text)")
    invariant(reparsed.jsonText == text, "serialization is not stable: \(text)")
    _ = value.pythonRepr
  }

  /// The adapters read any JSON without trapping, keep numbers as Python's `float()`/`int()`
  /// would, give finite durations, and the recorder takes what they give at any logged time.
  static func adapters(_ bytes: [UInt8]) {
    var parser = JSONParser(bytes: bytes)
    guard let value = try? parser.parseDocument() else { return }
    for candidate in [value, value["event"], value["result"], value["params"]].compactMap({ $0 }) {
      let step = StepEvent(json: candidate)
      let result = RunResult(json: candidate)
      let params = RunParams(json: candidate)
      switch candidate["reward"] {
      case .int(let number)?: invariant(step.reward == Double(number), "int reward")
      case .double(let number)?: invariant(JSONComparison.same(step.reward, number), "double reward")
      case .bool(let flag)?: invariant(step.reward == (flag ? 1 : 0), "bool reward")
      case nil: invariant(step.reward == 0, "absent reward")
      default: break
      }
      if case .int(let number)? = candidate["step"] { invariant(step.step == Int(number), "int step") }
      if case .int(let number)? = candidate["max_steps"] {
        invariant(params.maxSteps == Int(number), "max_steps")
      }
      if let duration = result.durationSeconds {
        // Years 1 to 9999 bound any difference to about 3.2e11 seconds.
        invariant(duration.isFinite && abs(duration) < 3.2e11, "duration \(duration)")
      }
      let loggedAt = candidate["timestamp"].flatMap { json -> ISO8601Timestamp? in
        if case .string(let text) = json { return ISO8601Timestamp(text) }
        return nil
      }
      let script = HookScript(
        calls: [
          .runStart(runID: "fuzz", task: "task", environment: "env", params: params),
          .step(runID: "fuzz", event: step, cumulativeReward: result.totalReward),
          .runEnd(runID: "fuzz", result: result, runPath: "fuzz.jsonl"),
        ],
        times: [
          result.startedAt?.unixNanoseconds, loggedAt?.unixNanoseconds, result.finishedAt?.unixNanoseconds,
        ])
      let sink = FuzzSink.make()
      _ = HookScriptPlayer(sleepScale: 0).play(script, on: sink)
      invariant(sink.status().activeRuns == 0, "a run stayed active")
    }
  }

  /// Input: two texts separated by a NUL byte. Every accepted timestamp converts without
  /// trapping, clamps only outside 1970–2554, and the conversion keeps the order of instants.
  static func iso8601(_ bytes: [UInt8]) {
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let first = String(decoding: parts[0], as: UTF8.self)
    let second = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
    guard let earlier = ISO8601Timestamp(first) else { return }
    invariant(earlier.description == first, "description")
    invariant(earlier.seconds(since: earlier) == 0, "a timestamp is 0 s from itself")
    let nanos = earlier.unixNanoseconds
    if !earlier.isRepresentableInUnixNanoseconds {
      invariant(nanos == 0 || nanos == .max, "a clamped value is an end of the range")
    } else {
      invariant(nanos % 1000 == 0, "microsecond resolution")
    }
    guard let later = ISO8601Timestamp(second), let seconds = later.seconds(since: earlier) else { return }
    invariant(seconds.isFinite, "finite difference")
    if seconds > 0 { invariant(later.unixNanoseconds >= nanos, "order kept (later)") }
    if seconds < 0 { invariant(later.unixNanoseconds <= nanos, "order kept (earlier)") }
    if seconds == 0 { invariant(later.unixNanoseconds == nanos, "same instant") }
  }
}

/// Comparing parsed JSON when NaN (which `==` says differs from itself) may be in it.
enum JSONComparison {
  static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

  static func identical(_ a: JSONValue) -> (JSONValue) -> Bool { { identical(a, $0) } }

  static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.double(let x), .double(let y)): return same(x, y)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(identical)
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && identical($0.value, $1.value) }
    default: return a == b
    }
  }

  /// The value as `jsonText` writes it: non-finite doubles become `null`.
  static func finite(_ value: JSONValue) -> JSONValue {
    switch value {
    case .double(let number) where !number.isFinite: return .null
    case .array(let values): return .array(values.map(finite))
    case .object(let members): return .object(members.map { ($0.key, finite($0.value)) })
    default: return value
    }
  }
}
