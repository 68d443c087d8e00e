import ObservabilitySinks
import TelemetryModel
import Testing

@Suite("Truncation counts Unicode scalars, as Python counts code points")
struct TruncationTests {
  /// "é" as e + combining acute (2 scalars, 1 character), a family emoji (5 scalars, 1 character),
  /// and a 4-byte scalar: any unit other than scalars gives a different cut.
  static let mixed = "e\u{301}" + "👨‍👩‍👧" + "𝄞" + "ß"

  private func texts(count scalars: Int) -> String {
    let unit = Array(Self.mixed.unicodeScalars)
    var out = String.UnicodeScalarView()
    for index in 0..<scalars { out.append(unit[index % unit.count]) }
    return String(out)
  }

  @Test func taskIsCutTo500Scalars() throws {
    let long = texts(count: 777)
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: long, environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r", result: RunResult(finalAnswer: texts(count: 1001)), runPath: "")
    let run = try #require(test.spans(named: "rlm.run").first)
    guard case .string(let task)? = run.attribute("rlm.task") else {
      Issue.record("no task")
      return
    }
    #expect(task.unicodeScalars.count == 500)
    #expect(task.unicodeScalars.elementsEqual(long.unicodeScalars.prefix(500)))
    guard case .string(let answer)? = run.event("final_answer")?.attributes["answer"] else {
      Issue.record("no answer")
      return
    }
    #expect(answer.unicodeScalars.count == 1000)
  }

  @Test func codeAndOutputAreCutTo1000AndErrorTo200Scalars() throws {
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    let code = texts(count: 1500)
    let error = texts(count: 250)
    test.sink.onStep(
      runID: "r",
      event: StepEvent(
        action: StepAction(code: code), observation: StepObservation(output: code, error: error)),
      cumulativeReward: 0)
    let step = try #require(test.spans(named: "rlm.step").first)
    guard case .string(let cutCode)? = step.event("code_execution")?.attributes["code"],
      case .string(let cutOutput)? = step.event("output")?.attributes["output"],
      case .error(let message) = step.status
    else {
      Issue.record("missing events or status")
      return
    }
    #expect(cutCode.unicodeScalars.elementsEqual(code.unicodeScalars.prefix(1000)))
    #expect(cutOutput.unicodeScalars.count == 1000)
    #expect(message.unicodeScalars.elementsEqual(error.unicodeScalars.prefix(200)))
  }

  @Test(arguments: [0, 1, 199, 200, 201])
  func textsAtOrUnderTheLimitAreKeptWhole(length: Int) throws {
    let error = texts(count: length)
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    test.sink.onStep(
      runID: "r", event: StepEvent(observation: StepObservation(error: error)), cumulativeReward: 0)
    let step = try #require(test.spans(named: "rlm.step").first)
    if length == 0 {
      #expect(step.status == .unset)
    } else {
      guard case .error(let message) = step.status else {
        Issue.record("no error status")
        return
      }
      #expect(message.unicodeScalars.count == min(length, 200))
    }
  }

  @Test(arguments: [499, 500, 501])
  func asciiTaskAroundTheLimitIsCutOnlyPastIt(length: Int) throws {
    let task = String(repeating: "a", count: length)
    let test = TestSink()
    test.sink.onRunStart(runID: "r", task: task, environment: "e", params: RunParams())
    test.sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    let run = try #require(test.spans(named: "rlm.run").first)
    #expect(run.attribute("rlm.task") == .string(String(repeating: "a", count: min(length, 500))))
  }

}
