import ObservabilitySinks
import SinkReplay
import Testing

@Suite("Typed inputs and the JSON adapter")
struct InputsTests {
  @Test func emptyJSONObjectsTakeTheReferenceDefaults() throws {
    #expect(
      StepEvent(json: .object([]))
        == StepEvent(
          step: 0, action: StepAction(type: "unknown", code: nil),
          observation: StepObservation(success: false, output: nil, error: nil), reward: 0))
    #expect(RunParams(json: .object([])) == RunParams(maxSteps: 0, model: "unknown"))
    #expect(
      RunResult(json: .object([])) == RunResult(completed: false, steps: 0, totalReward: 0, finalAnswer: nil))
  }

  @Test func stepEventReadsTheRuntimeShapeAndIgnoresOtherKeys() throws {
    let json = try JSONValue(
      parsing:
        #"{"type":"step","run_id":"x","step":3,"action":{"action":"run_python","code":"print(1)"},"observation":{"success":true,"output":"1","error":"e"},"reward":1}"#
    )
    let event = StepEvent(json: json)
    #expect(event.step == 3 && event.action == StepAction(type: "run_python", code: "print(1)"))
    #expect(event.observation == StepObservation(success: true, output: "1", error: "e"))
    #expect(event.reward == 1.0)
  }

  @Test func falsyTextsCountAsAbsent() throws {
    let event = StepEvent(
      json: try JSONValue(parsing: #"{"action":{"code":""},"observation":{"output":"","error":""}}"#))
    #expect(event.action.code == nil && event.observation.output == nil && event.observation.error == nil)
    for answer in ["null", "\"\"", "0", "false", "[]", "{}"] {
      let result = RunResult(json: try JSONValue(parsing: #"{"final_answer":"# + answer + "}"))
      #expect(result.finalAnswer == nil, "final_answer \(answer)")
    }
  }

  @Test(arguments: [
    ("42", "42"), ("1.5", "1.5"), ("true", "True"), ("0.1", "0.1"), ("1e20", "1e+20"), ("1.0", "1.0"),
    ("0.00001", "1e-05"), ("123456789012345678", "123456789012345678"), ("[1, \"a\"]", "[1, 'a']"),
    ("{\"k\": null}", "{'k': None}"), ("\"it's\"", "it's"), ("1e16", "1e+16"), ("12345.678", "12345.678"),
  ])
  func nonStringAnswersAreWrittenAsPythonStrWritesThem(json: String, expected: String) throws {
    let result = RunResult(json: try JSONValue(parsing: #"{"final_answer":"# + json + "}"))
    #expect(result.finalAnswer == expected)
  }

  @Test func jsonKeepsIntegersApartFromDoubles() throws {
    let value = try JSONValue(
      parsing: #"[1, 1.0, -0, 2e3, 9223372036854775807, 9223372036854775808, "\u00e9\ud83d\ude00"]"#)
    #expect(
      value
        == .array([
          .int(1), .double(1), .int(0), .double(2000), .int(.max), .double(9.223372036854775808e18),
          .string("é😀"),
        ]))
  }

  @Test(arguments: [
    ("", 0), ("[1,]", 3), ("{\"a\" 1}", 5), ("[1] 2", 4), ("\"\\x\"", 3), ("tru", 0), ("01", 1), ("\"a", 2),
    ("[-]", 2),
  ])
  func malformedJSONThrowsWithTheOffsetOfTheFault(text: String, offset: Int) {
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    do {
      _ = try JSONValue(parsing: text)
    } catch {
      #expect(error.offset == offset, "\(error)")
    }
  }

  @Test func deeplyNestedJSONIsRefusedNotACrash() {
    let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
  }

  @Test func timestampsParseAsPythonFromisoformatDoes() throws {
    guard case .array(let vectors) = try JSONValue(parsing: try fixture("fromisoformat-vectors.json")) else {
      Issue.record("vectors are not an array")
      return
    }
    #expect(vectors.count > 30)
    for vector in vectors {
      guard case .string(let text)? = vector["text"], case .bool(let valid)? = vector["valid"] else {
        Issue.record("bad vector \(vector)")
        continue
      }
      let parsed = ISO8601Timestamp(text)
      #expect((parsed != nil) == valid, "validity of \(text.debugDescription)")
      guard valid, let parsed else { continue }
      if case .int(let local)? = vector["local_micros"] {
        #expect(parsed.localMicroseconds == local, "\(text)")
      }
      switch vector["offset_micros"] {
      case .int(let offset)?: #expect(parsed.utcOffsetMicroseconds == offset, "\(text)")
      default: #expect(parsed.utcOffsetMicroseconds == nil, "\(text)")
      }
    }
  }

  @Test func durationIsComputedInMicrosecondsLikeTimedelta() throws {
    let result = RunResult(
      startedAt: ISO8601Timestamp("2025-01-15T10:00:00.000000+00:00"),
      finishedAt: ISO8601Timestamp("2025-01-15T10:00:00.600000+00:00"))
    #expect(result.durationSeconds == 0.6)
    let backwards = RunResult(
      startedAt: ISO8601Timestamp("2025-01-15T10:00:01"), finishedAt: ISO8601Timestamp("2025-01-15T10:00:00"))
    #expect(backwards.durationSeconds == -1)
  }
}
