import Foundation
import ObservabilitySinksTesting
import ServiceContextModule
import SinkSupport
import TestSupport
import Testing

@testable import ObservabilitySinks

@Suite("Samplers: whole traces, the caller's flag, the Python SDK's ratio rule")
struct SamplingTests {
  /// One recursive episode: the top run's step, a child run with a step and a model call, a
  /// second top step; seven spans when sampled (the model call hangs under the child's second
  /// step, which the child ends before reporting, so that step is exported with defaults).
  private static func playEpisode(_ sink: OpenTelemetrySink, _ index: Int) {
    let top = "top\(index)"
    let child = "child\(index)"
    sink.onRunStart(runID: top, task: "t", environment: "e", params: RunParams(maxSteps: 2))
    sink.onStep(runID: top, event: StepEvent(step: 1, reward: 1), cumulativeReward: 1)
    sink.onRunStart(runID: child, task: "c", environment: "e", params: RunParams(parentRunID: top, depth: 1))
    sink.onStep(runID: child, event: StepEvent(step: 1, reward: 1), cumulativeReward: 1)
    let now = ContinuousClock.now
    sink.onLLMCall(
      runID: child, call: LLMCall(model: "m", promptTokens: 3, completionTokens: 2, start: now, end: now))
    sink.onRunEnd(runID: child, result: RunResult(completed: true, steps: 1, totalReward: 1), runPath: "c")
    sink.onStep(runID: top, event: StepEvent(step: 2, reward: 1), cumulativeReward: 2)
    sink.onRunEnd(runID: top, result: RunResult(completed: true, steps: 2, totalReward: 2), runPath: "t")
  }

  @Test(arguments: [("traceidratio", 0.25), ("parentbased_traceidratio", 0.7)])
  func aRatioKeepsItsShareOfWholeTracesAsThePythonSDKDecides(sampler: String, ratio: Double) throws {
    let episodes = 2000
    let test = TestSink {
      $0.environment = ["OTEL_TRACES_SAMPLER": sampler, "OTEL_TRACES_SAMPLER_ARG": String(ratio)]
      $0.maxQueueSize = 1 << 16
    }
    var traceIDs: [String] = []
    for index in 0..<episodes {
      Self.playEpisode(test.sink, index)
      traceIDs.append(try #require(test.sink.traceID(forRun: "top\(index)")))
    }
    let spans = test.flushedSpans()
    let byTrace = Dictionary(grouping: spans, by: \.traceID.hex)

    // Every exported trace is whole: both runs, four steps, the model call, parents in place.
    for (trace, members) in byTrace {
      #expect(members.count == 7, "trace \(trace): \(members.map(\.name))")
      let ids = Set(members.map(\.spanID))
      #expect(members.filter { $0.parentSpanID == nil }.count == 1)
      #expect(members.allSatisfy { $0.parentSpanID == nil || ids.contains($0.parentSpanID!) })
    }
    let share = Double(byTrace.count) / Double(episodes)
    #expect(abs(share - ratio) <= 0.03, "sampled \(share) of traces for a ratio of \(ratio)")

    // The reference's SDK, given the same variables, decides the same for every trace id.
    let result = try PythonScriptResult.run(
      "Tests/Sampling/sdk_sampler_decisions.py", [sampler, String(ratio)],
      input: traceIDs.joined(separator: "\n"))
    #expect(result.status == 0)
    let answer = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [Bool]]
    let decisions = try #require(answer?["sampled"])
    #expect(decisions.count == episodes)
    let ours = traceIDs.map { byTrace[$0] != nil }
    let disagreeing = zip(traceIDs, zip(ours, decisions)).filter { $1.0 != $1.1 }.map(\.0)
    #expect(disagreeing.isEmpty, "decided otherwise than the Python SDK: \(disagreeing.prefix(5))")

    // Metrics are not sampled; the status counts the runs left out, top and child.
    let status = test.sink.status()
    #expect(status.runsNotSampled == 2 * (episodes - byTrace.count))
    #expect(status.spansRecorded == 7 * byTrace.count && status.spansDropped == 0)
    let runs = test.metrics.exportedCollections.last?.first { $0.name == "rlm.runs" }
    if case .sum(let points, _, _)? = runs?.points {
      #expect(points.map(\.value).reduce(0, +) == Int64(2 * episodes))
    } else {
      Issue.record("no rlm.runs")
    }
  }

  @Test func theRatioBoundIsPythonsRoundOfRateTimesTwoToThe64() {
    #expect(TraceSampler.ratioBound(0) == .below(0))
    #expect(TraceSampler.ratioBound(1) == .everything)
    #expect(TraceSampler.ratioBound(0.5) == .below(1 << 63))
    #expect(TraceSampler.ratioBound(0.25) == .below(1 << 62))
    // round(1e-30 * 2**64) is 0 in Python: nothing is sampled.
    #expect(TraceSampler.ratioBound(1e-30) == .below(0))
    #expect(TraceSampler.ratioBound(.leastNonzeroMagnitude) == .below(0))
  }

  /// The caller's flag: `TRACEPARENT`, an explicit parent, and the task's `ServiceContext`.
  @Test(arguments: [
    ("parentbased_always_on", "00", false), ("parentbased_always_on", "01", true),
    ("parentbased_always_off", "01", true), ("parentbased_always_off", "00", false),
    ("parentbased_traceidratio", "01", true), ("always_on", "00", true), ("always_off", "01", false),
  ])
  func parentBasedSamplersFollowTheCallersFlag(sampler: String, flag: String, exported: Bool) throws {
    let caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\(flag)"
    let environment = ["OTEL_TRACES_SAMPLER": sampler, "OTEL_TRACES_SAMPLER_ARG": "0"]

    let inherited = TestSink { $0.environment = environment.merging(["TRACEPARENT": caller]) { $1 } }
    Self.playEpisode(inherited.sink, 0)
    let explicit = TestSink { $0.environment = environment }
    explicit.sink.onRunStart(
      runID: "top0", task: "t", environment: "e", params: RunParams(),
      parent: try TraceParent(traceparent: caller))
    explicit.sink.onRunEnd(
      runID: "top0", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")
    let inContext = TestSink { $0.environment = environment }
    ServiceContext.withValue(try .tracing(caller)) {
      inContext.sink.onRunStart(runID: "top0", task: "t", environment: "e", params: RunParams())
    }
    inContext.sink.onRunEnd(
      runID: "top0", result: RunResult(completed: true, steps: 0, totalReward: 0), runPath: "")

    for (label, test, count) in [
      ("TRACEPARENT", inherited, 7), ("parent", explicit, 1), ("context", inContext, 1),
    ] {
      let spans = test.flushedSpans()
      #expect(spans.count == (exported ? count : 0), "\(label): \(spans.map(\.name))")
      #expect(spans.allSatisfy { $0.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736" }, "\(label)")
      // The run is in the caller's trace either way, and hands on its own decision.
      let handedOn = try #require(test.sink.traceParent(forRun: "top0"), "\(label)")
      #expect(handedOn.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736", "\(label)")
      #expect(handedOn.isSampled == exported, "\(label)")
      #expect(handedOn.traceparent.hasSuffix(exported ? "-01" : "-00"), "\(label)")
      #expect(test.sink.status().runsNotSampled == (exported ? 0 : count == 7 ? 2 : 1), "\(label)")
    }
  }

  @Test func aSamplerInCodeWinsOverTheEnvironmentAndABadRatioWarnsOnce() {
    let off = TestSink {
      $0.environment = ["OTEL_TRACES_SAMPLER": "always_on"]
      $0.sampler = .alwaysOff
    }
    Self.playEpisode(off.sink, 0)
    #expect(off.flushedSpans().isEmpty)
    #expect(off.sink.traceParent(forRun: "top0")?.isSampled == false)

    let logs = CapturedLogs()
    let bad = TestSink {
      $0.sampler = .parentBased(root: .traceIDRatio(.nan))
      $0.logger = logs.logger
    }
    Self.playEpisode(bad.sink, 0)
    #expect(bad.flushedSpans().count == 7)
    let warnings = logs.messages.withLock { $0 }
    #expect(warnings.count == 1 && warnings[0].contains("not from 0 to 1; using 1.0"), "\(warnings)")
  }

  @Test(arguments: [
    ("OTEL_TRACES_SAMPLER", "sometimes", "expected one of always_off, always_on"),
    ("OTEL_TRACES_SAMPLER_ARG", "0x1p-1", "expected a ratio from 0 to 1; using 1.0"),
    ("OTEL_TRACES_SAMPLER_ARG", "nan", "expected a ratio from 0 to 1; using 1.0"),
    ("OTEL_TRACES_SAMPLER_ARG", "inf", "expected a ratio from 0 to 1; using 1.0"),
    // As the SDK: the name is not trimmed, and empty is unknown; a ratio sampler needs its argument.
    ("OTEL_TRACES_SAMPLER", " always_off", "expected one of always_off, always_on"),
    ("OTEL_TRACES_SAMPLER", "", "expected one of always_off, always_on"),
    ("OTEL_TRACES_SAMPLER_ARG", "", "is not set: traceidratio needs a ratio from 0 to 1; using 1.0"),
  ])
  func anInvalidSamplerVariableWarnsOnceAndFallsBackAsTheReference(name: String, value: String, says: String)
  {
    let logs = CapturedLogs()
    var environment = ["OTEL_TRACES_SAMPLER": "traceidratio"]
    environment[name] = value
    let test = TestSink {
      $0.environment = environment
      $0.logger = logs.logger
    }
    Self.playEpisode(test.sink, 0)
    // Both fallbacks (the default sampler, a ratio of 1) keep every trace.
    #expect(test.flushedSpans().count == 7)
    let warnings = logs.messages.withLock { $0 }
    #expect(warnings.count == 1 && warnings[0].contains(name) && warnings[0].contains(says), "\(warnings)")
  }

  @Test(arguments: [("0.5", 0.5), ("  .25 ", 0.25), ("1e-1", 0.1), ("+1", 1), ("0_5", 5), ("-0.0", 0)])
  func theRatioIsReadAsPythonsFloatReadsIt(text: String, value: Double) {
    let parsed = EnvironmentValues.pythonFloat(text.trimmingCharacters(in: .whitespaces))
    #expect(parsed == value)
  }
}
