import SinkSupport
import Testing

@testable import ObservabilitySinks

@Suite("Active runs are bounded: the oldest is evicted, exported with ERROR and counted")
struct ActiveRunBoundTests {
  private func start(_ sink: OpenTelemetrySink, _ runID: String) {
    sink.onRunStart(runID: runID, task: "task \(runID)", environment: "env", params: RunParams())
  }

  private func end(_ sink: OpenTelemetrySink, _ runID: String) {
    sink.onRunEnd(runID: runID, result: RunResult(completed: true), runPath: "")
  }

  /// The run ids of the exported `rlm.run` spans that were evicted, in export order.
  private func evicted(_ test: TestSink) -> [String] {
    test.spans(named: "rlm.run").compactMap { span in
      guard case .error(let message) = span.status, message.hasPrefix("run evicted"),
        case .string(let runID)? = span.attribute("rlm.run_id")
      else { return nil }
      return runID
    }
  }

  @Test func theOldestRunsAreEvictedInOrderEndedWithErrorExportedAndCounted() throws {
    let test = TestSink { $0.maxActiveRuns = 3 }
    for index in 0..<5 {
      start(test.sink, "r\(index)")
      test.sink.onStep(runID: "r\(index)", event: StepEvent(step: 1), cumulativeReward: 0)
    }
    let traceOfFirst = test.sink.traceID(forRun: "r0")
    var status = test.sink.status()
    #expect(status.runsEvicted == 2 && status.activeRuns == 3 && status.runsSuperseded == 0)
    #expect(evicted(test) == ["r0", "r1"])
    let first = try #require(test.spans(named: "rlm.run").first)
    #expect(first.status == .error(message: "run evicted: more than 3 active runs"))
    #expect(first.attribute("rlm.task") == .string("task r0"))
    #expect(first.endTimeUnixNano >= first.startTimeUnixNano)
    #expect(first.traceID.hex == traceOfFirst)
    // The evicted run's step was recorded before; later hooks for it are ignored like any unknown id.
    #expect(test.spans(named: "rlm.step").count == 5)
    test.sink.onStep(runID: "r0", event: StepEvent(step: 2), cumulativeReward: 0)
    end(test.sink, "r0")
    for index in 2..<5 { end(test.sink, "r\(index)") }
    let runs = test.spans(named: "rlm.run")
    #expect(runs.count == 5 && test.spans(named: "rlm.step").count == 5)
    #expect(runs.suffix(3).allSatisfy { $0.status == .ok })
    status = test.sink.status()
    #expect(status.runsEvicted == 2 && status.activeRuns == 0)
    #expect(status.spansRecorded == 10 && status.spansExported == 10)
  }

  @Test func anEndedRunFreesItsSlotAndIsNeverEvicted() {
    let test = TestSink { $0.maxActiveRuns = 3 }
    for runID in ["a", "b", "c"] { start(test.sink, runID) }
    end(test.sink, "b")
    start(test.sink, "d")
    #expect(test.sink.status().runsEvicted == 0)
    start(test.sink, "e")
    start(test.sink, "f")
    #expect(evicted(test) == ["a", "c"])
    #expect(test.sink.status().runsEvicted == 2 && test.sink.status().activeRuns == 3)
  }

  @Test func aRestartedRunMovesToTheNewestAndIsNotEvictedFirst() {
    let test = TestSink { $0.maxActiveRuns = 2 }
    start(test.sink, "a")
    start(test.sink, "b")
    start(test.sink, "a")
    #expect(test.sink.status().runsSuperseded == 1 && test.sink.status().runsEvicted == 0)
    start(test.sink, "c")
    #expect(evicted(test) == ["b"])
    #expect(test.sink.status().activeRuns == 2)
  }

  /// Random starts (some reusing an id) and ends against a model of the bound: an ordered list.
  @Test(arguments: [1, 2, 7])
  func randomStartsAndEndsEvictExactlyWhatTheModelSays(limit: Int) {
    let test = TestSink(metricsEnabled: false) {
      $0.maxActiveRuns = limit
      $0.maxQueueSize = 10_000
    }
    var model: [String] = []
    var expectedEvictions: [String] = []
    var random = SplitMix(seed: UInt64(limit))
    for _ in 0..<2000 {
      let runID = "r\(random.next() % 12)"
      if random.next() % 3 == 0 {
        end(test.sink, runID)
        model.removeAll { $0 == runID }
      } else {
        start(test.sink, runID)
        if let index = model.firstIndex(of: runID) {
          model.remove(at: index)
        } else if model.count == limit {
          expectedEvictions.append(model.removeFirst())
        }
        model.append(runID)
      }
      #expect(test.sink.status().activeRuns == model.count)
    }
    #expect(evicted(test) == expectedEvictions)
    #expect(test.sink.status().runsEvicted == expectedEvictions.count && !expectedEvictions.isEmpty)
    #expect(test.sink.status().spansDropped == 0)
  }

  /// Issue 9: a million runs started and never ended held 373 MB. Now the oldest are pushed out.
  @Test func runsThatNeverEndStayBounded() {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.tracesExporter = ExporterKind.none
    configuration.metricsExporter = ExporterKind.none
    configuration.maxActiveRuns = 100
    let sink = OpenTelemetrySink(enabled: true, configuration: configuration)
    for index in 0..<20_000 { start(sink, "crashed-\(index)") }
    let status = sink.status()
    #expect(status.activeRuns == 100 && status.runsEvicted == 19_900 && status.spansRecorded == 19_900)
    #expect(sink.traceID(forRun: "crashed-19999") != nil && sink.traceID(forRun: "crashed-0") == nil)
  }

  @Test func theBoundIsReadFromCodeThenTheEnvironmentThenTheDefault() {
    func settings(_ environment: [String: String], code: Int? = nil) -> (Int, [String]) {
      let logs = CapturedLogs()
      var configuration = OpenTelemetrySinkConfiguration()
      configuration.environment = environment
      configuration.logger = logs.logger
      configuration.maxActiveRuns = code
      let settings = SinkSettings(configuration: configuration, endpoint: nil)
      return (settings.maxActiveRuns, logs.messages.withLock { $0 })
    }
    let variable = "DSPY_RLM_OTEL_MAX_ACTIVE_RUNS"
    #expect(settings([:]) == (10_000, []))
    #expect(settings([variable: " 250 "]) == (250, []))
    #expect(settings([variable: "250"], code: 40) == (40, []))
    for invalid in ["0", "-3", "many", "1.5"] {
      let (limit, warnings) = settings([variable: invalid])
      #expect(limit == 10_000)
      #expect(warnings.count == 1 && warnings[0].contains(variable), "\(warnings)")
    }
    let (limit, warnings) = settings([variable: "250"], code: 0)
    #expect(limit == 250 && warnings.count == 1 && warnings[0].contains("maxActiveRuns"))
  }
}

/// A small deterministic generator, so that a failing sequence can be replayed.
struct SplitMix {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
