import Foundation
import ObservabilitySinks
import SinkReplay
import TestSupport
import Testing

/// `rlm-otel-replay` on what RLM users have on disk (run logs, trajectory logs), sent over
/// OTLP/gRPC to a receiver that decodes with the official `opentelemetry-proto` classes.
@Suite("Recursive runs replayed from disk, over the wire")
struct RecursiveReplayOverTheWireTests {
  static func replay(_ arguments: [String], conventions: String? = nil) throws -> [SpanData] {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    var environment = [
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
      "OTEL_METRICS_EXPORTER": "none",
    ]
    environment["DSPY_RLM_OTEL_CONVENTIONS"] = conventions
    let run = try BuiltTool.run("rlm-otel-replay", arguments, environment: environment)
    #expect(run.exited && run.status == 0, "\(run.stderr)")
    return try ReceivedModel.spans(receiver.traceRequests()).spans
  }

  static func fixturePath(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/rlm-code/" + name, withExtension: nil) else {
      throw FixtureMissing(path: name)
    }
    return url.path
  }

  /// Every child run hangs under a step of the run its `rlm.parent_run_id` names.
  static func expectOneTreeWithChildrenUnderTheirParentsSteps(_ spans: [SpanData]) {
    #expect(Set(spans.map(\.traceID)).count == 1)
    let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID, $0) })
    let children = spans.filter { $0.name == "rlm.run" && $0.attribute("rlm.parent_run_id") != nil }
    #expect(children.count >= 2)
    for child in children {
      let step = child.parentSpanID.flatMap { byID[$0] }
      #expect(step?.name == "rlm.step")
      #expect(step?.attribute("rlm.run_id") == child.attribute("rlm.parent_run_id"))
      guard case .string(let action)? = step?.attribute("rlm.action_type") else { continue }
      #expect(action.hasPrefix("delegate"), "a child hangs under \(action)")
    }
  }

  @Test(arguments: ["recursive_sequential", "recursive_concurrent"])
  func runLogsOfARecursiveRunReplayAsOneTrace(name: String) throws {
    let spans = try Self.replay(["--jsonl", try Self.fixturePath("\(name)/runlog.jsonl")])
    Self.expectOneTreeWithChildrenUnderTheirParentsSteps(spans)
    #expect(
      spans.filter { $0.name == "rlm.step" }.allSatisfy { $0.attribute("rlm.usage.prompt_tokens") != nil })
    #expect(spans.filter { $0.name == "rlm.run" }.allSatisfy { $0.event("final_answer") != nil })
  }

  @Test func aTrajectoryLogReplaysAsOneTraceWithChatSpans() throws {
    let spans = try Self.replay(
      ["--trajectory", try Self.fixturePath("trajectory/recursive.jsonl")], conventions: "openinference")
    #expect(Set(spans.map(\.traceID)).count == 1)
    let chats = spans.filter { $0.name.hasPrefix("chat ") }
    #expect(chats.count >= 5)
    #expect(
      chats.allSatisfy { $0.kind == .client && $0.attribute("openinference.span.kind") == .string("LLM") })
    #expect(spans.filter { $0.name == "rlm.run" }.count == 4)
  }

  @Test func aChildWhoseParentEndedCarriesALinkOverTheWire() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
    ])
    sink.onRunStart(runID: "p", task: "T", environment: "e", params: RunParams())
    sink.onRunEnd(runID: "p", result: RunResult(completed: true), runPath: "")
    sink.onRunStart(runID: "c", task: "T", environment: "e", params: RunParams(parentRunID: "p", depth: 1))
    sink.onRunEnd(runID: "c", result: RunResult(completed: true), runPath: "")
    #expect(sink.syncShutdown(timeout: .seconds(20)))
    let spans = try ReceivedModel.spans(receiver.traceRequests()).spans
    let parent = try #require(spans.first { $0.attribute("rlm.run_id") == .string("p") })
    let child = try #require(spans.first { $0.attribute("rlm.run_id") == .string("c") })
    #expect(child.links.map(\.spanID) == [parent.spanID])
    #expect(child.links.first?.traceID == parent.traceID)
    #expect(child.links.first?.attributes == [Attribute("rlm.link", .string("parent_run"))])
  }
}
