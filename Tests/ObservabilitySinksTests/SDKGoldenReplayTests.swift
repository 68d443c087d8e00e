import ObservabilitySinks
import ObservabilitySinksTesting
import SinkReplay
import SinkSupport
import Testing

/// One scenario of `Fixtures/golden/sdk/scenarios.json`: a golden script replayed through the
/// Python reference with sampler or span-limit variables set (scripts/fixtures/record_sdk_goldens.py).
struct SDKScenario: CustomTestStringConvertible, Sendable {
  var name: String
  var environment: [String: String]
  /// `true` for an invalid value: the expected export is the reference's without the variable.
  var isInvalid: Bool

  var testDescription: String { name }

  static let all: [SDKScenario] = {
    guard let text = try? fixture("golden/sdk/scenarios.json"), let manifest = try? JSONValue(parsing: text),
      case .array(let entries)? = manifest["scenarios"]
    else { return [] }
    return entries.compactMap { entry in
      guard case .string(let name)? = entry["name"], case .object(let pairs)? = entry["env"] else {
        return nil
      }
      var environment: [String: String] = [:]
      for (key, value) in pairs { if case .string(let text) = value { environment[key] = text } }
      return SDKScenario(name: name, environment: environment, isInvalid: entry["expect"] == .string("unset"))
    }
  }()
}

@Suite("The reference's exports under its SDK's sampler and span-limit variables")
struct SDKGoldenReplayTests {
  @Test func theManifestListsEverySamplerAndLimitWithEdgesAndInvalidValues() {
    let scenarios = SDKScenario.all
    #expect(scenarios.count >= 50)
    let variables = Set(scenarios.flatMap(\.environment.keys))
    for name in [
      "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
      "OTEL_ATTRIBUTE_COUNT_LIMIT", "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
      "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
      "OTEL_SPAN_EVENT_COUNT_LIMIT", "OTEL_SPAN_LINK_COUNT_LIMIT", "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
      "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
    ] {
      #expect(variables.contains(name), "\(name)")
    }
    for sampler in [
      "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off",
      "parentbased_traceidratio",
    ] {
      #expect(scenarios.contains { $0.environment["OTEL_TRACES_SAMPLER"] == sampler }, "\(sampler)")
    }
  }

  @Test(arguments: SDKScenario.all)
  func everySpanAndDataPointMatchesTheReference(scenario: SDKScenario) throws {
    let directory = "golden/sdk/\(scenario.name)"
    let script = try HookScript(json: try fixture("\(directory)/script.json"))
    let golden = try JSONValue(parsing: try fixture("\(directory)/normalized.json"))
    let logs = CapturedLogs()
    let test = TestSink {
      $0.environment = scenario.environment
      $0.logger = logs.logger
    }
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

    // Metrics are not sampled: every run counts, whatever the sampler kept.
    let metrics = GoldenNormalizer.metrics(test.metrics.exportedCollections.last ?? [])
    let metricDiffs = differences(
      .array(goldenMetrics.map { $0.removing(["scope", "scope_version"]) }), .array(metrics), path: "metrics")
    #expect(metricDiffs.isEmpty, "\(metricDiffs.joined(separator: "\n"))")

    // A run left out still has its trace id, as the reference's non-recording span does.
    for observation in observations where observation.label != "after_end" {
      #expect(observation.traceID?.count == 32, "\(observation.label)")
    }
    let runs = script.calls.filter { if case .runStart = $0 { true } else { false } }.count
    let exportedRuns = goldenSpans.filter { $0["name"] == .string("rlm.run") }.count
    #expect(test.sink.status().runsNotSampled == runs - exportedRuns)

    // An invalid value: one warning that names the variable, and the rest as if it were unset.
    let warnings = logs.messages.withLock { $0 }.filter { $0.hasPrefix("warning") }
    if scenario.isInvalid {
      #expect(warnings.count == 1, "\(warnings)")
      #expect(scenario.environment.keys.allSatisfy { name in warnings.contains { $0.contains(name) } })
    }
  }
}
