import ObservabilitySinks
import SinkReplay
import Testing

@Suite("What a run-log reader accepts, and how it names what it does not")
struct RunLogInputTests {
  static let lines = [
    #"{"type": "step", "run_id": "r", "task": "T", "timestamp": "2025-01-15T10:00:01Z", "step": 1, "reward": 0.5}"#,
    #"{"type": "final", "run_id": "r", "timestamp": "2025-01-15T10:00:02Z", "completed": true, "steps": 1}"#,
  ]

  @Test func crlfLineEndsAndAByteOrderMarkReadAsPlainLines() throws {
    let plain = try HookScript(runLog: Self.lines.joined(separator: "\n") + "\n", runPath: "r.jsonl")
    let windows = try HookScript(
      runLog: "\u{FEFF}" + Self.lines.joined(separator: "\r\n") + "\r\n", runPath: "r.jsonl")
    #expect(plain.calls.count == 3)
    #expect(windows.calls.count == plain.calls.count)
    #expect(windows.times == plain.times)
  }

  @Test func aBadLineIsAnErrorNamingTheFileAndLine() {
    let text = Self.lines[0] + "\nnot json\n" + Self.lines[1]
    #expect {
      try HookScript(runLog: text, runPath: "runs/r.jsonl")
    } throws: { error in
      "\(error)" == "runs/r.jsonl:2: not JSON: invalid literal at column 1"
    }
  }

  @Test func theLenientReaderSkipsBadLinesAndKeepsTheRest() {
    let bytes =
      Array((Self.lines[0] + "\n[1]\n").utf8) + [0xFF, 0x0A]
      + Array(("{\"run_id\": 7}\n" + Self.lines[1] + "\n{\"run_id\": \"r\", \"timestamp\": 3}").utf8)
    var badLines: [HookScriptError] = []
    let script = HookScript(runLog: bytes, runPath: "r.jsonl", badLines: &badLines)
    #expect(script.calls.count == 3)
    #expect(
      badLines.map(\.description) == [
        "r.jsonl:2: not a JSON object", "r.jsonl:3: not UTF-8 text",
        "r.jsonl:4: not an event: no \"run_id\" string", "r.jsonl:6: timestamp 3 is not a string",
      ])
  }

  @Test func nonFiniteFloatsAreReadAsPythonsJSONWritesThem() throws {
    let line = #"{"type": "step", "run_id": "r", "reward": NaN, "total": -Infinity, "max": Infinity}"#
    let script = try HookScript(runLog: line, runPath: "r.jsonl")
    guard case .step(_, let event, let cumulative, _)? = script.calls.dropFirst().first else {
      Issue.record("no step in \(script.calls)")
      return
    }
    #expect(event.reward.isNaN && cumulative.isNaN)
    let value = try JSONValue(parsing: "[NaN, -Infinity, Infinity]")
    #expect(value.jsonText == "[null,null,null]")
    for text in ["nan", "-inf", "Infinit", "-NaN", "+Infinity"] {
      #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: text) }
    }
  }

  @Test(arguments: [
    ("2600-01-01T00:00:00Z", "timestamp 2600-01-01T00:00:00Z is outside 1970-01-01 to 2554-07-21"),
    ("1969-12-31T23:59:59Z", "timestamp 1969-12-31T23:59:59Z is outside 1970-01-01 to 2554-07-21"),
    ("yesterday", "timestamp 'yesterday' is not ISO 8601"),
  ])
  func aTimestampOTLPCannotCarryIsABadLine(timestamp: String, reason: String) {
    let line = #"{"type": "step", "run_id": "r", "timestamp": ""# + timestamp + #""}"#
    var badLines: [HookScriptError] = []
    let script = HookScript(runLog: Array(line.utf8), runPath: "r.jsonl", badLines: &badLines)
    #expect(script.calls.isEmpty)
    #expect(badLines.first?.reason.hasPrefix(reason) == true, "\(badLines)")
  }

  @Test(arguments: ["1e300", "NaN", "86400001", "-1"])
  func aSleepOutsideZeroToADayIsRefused(milliseconds: String) {
    #expect(throws: HookScriptError.self) {
      try HookScript(json: #"[{"hook": "sleep", "ms": "# + milliseconds + "}]")
    }
  }

  @Test func aSleepOfADayIsAccepted() throws {
    let script = try HookScript(json: #"[{"hook": "sleep", "ms": 86400000}]"#)
    guard case .sleep(let duration)? = script.calls.first else {
      Issue.record("not a sleep: \(script.calls)")
      return
    }
    #expect(duration == .seconds(86_400))
  }

  @Test func scaledSleepsSaturateInsteadOfTrapping() {
    #expect(HookScriptPlayer.scaled(.seconds(86_400), by: 1e300) == .nanoseconds(Int64.max))
    #expect(HookScriptPlayer.scaled(.seconds(10), by: 0.5) == .seconds(5))
    #expect(HookScriptPlayer.scaled(.seconds(10), by: .nan) == .zero)
    #expect(HookScriptPlayer.scaled(.seconds(10), by: -1) == .zero)
  }
}
