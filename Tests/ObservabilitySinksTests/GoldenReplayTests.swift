import ObservabilitySinks
import ObservabilitySinksTesting
import SinkReplay
import Testing

@Suite("The reference's golden captures, replayed through the in-memory exporter")
struct GoldenReplayTests {
  @Test(arguments: ["doc3", "failing", "missing", "types", "edges"])
  func everySpanAndDataPointMatchesTheReference(scenario: String) throws {
    let script = try HookScript(json: try fixture("golden/\(scenario)/script.json"))
    let golden = try JSONValue(parsing: try fixture("golden/\(scenario)/normalized.json"))
    let test = TestSink()
    let observations = HookScriptPlayer(sleepScale: 0.05).play(script, on: test.sink)
    #expect(test.sink.syncShutdown(timeout: .seconds(10)))

    guard case .array(let goldenSpans)? = golden["traces"]?["spans"],
      case .array(let goldenMetrics)? = golden["metrics"]
    else {
      Issue.record("fixture has no spans or metrics")
      return
    }
    let spans = GoldenNormalizer.spans(test.spans.finishedSpans)
    let spanDiffs = differences(
      .array(goldenSpans.map { $0.removing(["scope"]) }), .array(spans), path: "spans")
    #expect(spanDiffs.isEmpty, "\(spanDiffs.joined(separator: "\n"))")
    #expect(spans.count == goldenSpans.count)

    let metrics = GoldenNormalizer.metrics(test.metrics.exportedCollections.last ?? [])
    let metricDiffs = differences(
      .array(goldenMetrics.map { $0.removing(["scope", "scope_version"]) }), .array(metrics), path: "metrics")
    #expect(metricDiffs.isEmpty, "\(metricDiffs.joined(separator: "\n"))")

    // get_trace_id: the same answers while the run is active; ours still answers after it ends.
    for observation in observations {
      #expect(observation.traceID?.count == 32, "\(observation.label)")
    }
    if let exportedRun = test.spans.finishedSpans.first(where: { $0.name == "rlm.run" }) {
      #expect(observations.allSatisfy { $0.traceID == exportedRun.traceID.hex })
    }
  }
}
