import Foundation
import ObservabilitySinks
import SinkReplay
import SinkSupport
import TestSupport
import Testing

func playRuns(_ sink: OpenTelemetrySink, runs: Int, steps: Int, prefix: String = "r") {
  for run in 0..<runs {
    let runID = "\(prefix)\(run)"
    sink.onRunStart(runID: runID, task: "task \(run)", environment: "env", params: RunParams(maxSteps: steps))
    for step in 1...max(1, steps) where steps > 0 {
      sink.onStep(
        runID: runID,
        event: StepEvent(step: step, action: StepAction(type: "run_python", code: "x"), reward: 0.5),
        cumulativeReward: Double(step) * 0.5)
    }
    sink.onRunEnd(
      runID: runID, result: RunResult(completed: true, steps: steps, totalReward: Double(steps) * 0.5),
      runPath: "p")
  }
}

@Suite("OTLP/gRPC export to a real receiver (official opentelemetry-proto decoder)", .serialized)
struct OTLPExportTests {
  /// The shared scenarios, and span-limit ones (whose dropped counts only the wire carries).
  @Test(arguments: [
    "doc3", "failing", "missing", "types", "edges", "sdk/attribute-count-1", "sdk/span-event-count-1",
    "sdk/event-attribute-count-0", "sdk/attribute-value-length-edges", "sdk/value-length-span-over-global",
  ])
  func goldenScenariosMatchTheReferenceOverTheWire(scenario: String) throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let script = try HookScript(json: try fixture("golden/\(scenario)/script.json"))
    let golden = try JSONValue(parsing: try fixture("golden/\(scenario)/normalized.json"))
    let limits = SDKScenario.all.first { "sdk/\($0.name)" == scenario }?.environment ?? [:]
    let sink = OpenTelemetrySink.fromEnvironment(
      limits.merging(["DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint]) {
        $1
      })
    #expect(sink.status().detail == receiver.endpoint)
    _ = HookScriptPlayer(sleepScale: 0.05).play(script, on: sink)
    #expect(sink.syncShutdown(timeout: .seconds(20)))

    let (spans, sources) = try ReceivedModel.spans(receiver.traceRequests())
    guard case .array(let goldenSpans)? = golden["traces"]?["spans"],
      case .array(let goldenMetrics)? = golden["metrics"]
    else {
      Issue.record("fixture has no spans")
      return
    }
    let spanDiffs = differences(
      .array(goldenSpans.map { $0.removing(["scope"]) }), .array(GoldenNormalizer.spans(spans)), path: "spans"
    )
    #expect(spanDiffs.isEmpty, "\(spanDiffs.joined(separator: "\n"))")
    let metrics = try ReceivedModel.metrics(receiver.metricRequests())
    let metricDiffs = differences(
      .array(goldenMetrics.map { $0.removing(["scope", "scope_version"]) }),
      .array(GoldenNormalizer.metrics(metrics)), path: "metrics")
    #expect(metricDiffs.isEmpty, "\(metricDiffs.joined(separator: "\n"))")

    let source = try #require(sources.first)
    #expect(source.resource.attributes["service.name"] == .string("rlm-code"))
    #expect(
      source.resource.attributes.map(\.key).filter { $0 != "service.name" }.sorted() == [
        "service.instance.id", "telemetry.sdk.language", "telemetry.sdk.name", "telemetry.sdk.version",
      ])
    #expect(
      source.scope.name == "ObservabilitySinks" && source.scope.version == ObservabilitySinksVersion.current)
    let status = sink.status()
    #expect(status.spansExported == spans.count && status.spansFailed == 0 && status.dataPointsExported > 0)
  }

  @Test func fullBatchesGoOutAsSeveralRequestsAndNothingTwice() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = otlpSink(receiver, metricsEnabled: false) { $0.maxExportBatchSize = 5 }
    playRuns(sink, runs: 4, steps: 2)  // 12 spans
    #expect(sink.syncShutdown(timeout: .seconds(20)))
    let calls = receiver.calls().filter { $0.service == .traces }
    #expect(calls.count >= 3)
    #expect(calls.allSatisfy { $0.itemCount <= 5 })
    let spans = receiver.spans()
    #expect(spans.count == 12)
    #expect(Set(spans.map(\.spanID)).count == 12)
  }

  @Test func aFlushWithNothingToSendSendsNothing() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = otlpSink(receiver)
    #expect(sink.syncForceFlush(timeout: .seconds(10)))
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.calls().isEmpty)
  }

  @Test func cumulativeMetricsKeepTheirStartTimeAcrossExports() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = otlpSink(receiver)
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncForceFlush(timeout: .seconds(10)))
    sink.onRunStart(runID: "r0", task: "again", environment: "env", params: RunParams())
    sink.onStep(runID: "r0", event: StepEvent(step: 2, reward: 1), cumulativeReward: 1)
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    let steps = receiver.metricPoints(named: "rlm.steps")
    #expect(steps.count == 2)
    #expect(steps.map(\.intValue) == [1, 2])
    #expect(steps[0].startTimeUnixNano == steps[1].startTimeUnixNano)
    #expect(steps[1].timeUnixNano > steps[0].timeUnixNano)
  }

  @Test func aTraceOnlyBackendGetsOneWarningAndMetricExportStops() throws {
    var options = OTLPReceiverOptions()
    options.metricsUnimplemented = true
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let logs = CapturedLogs()
    let sink = otlpSink(receiver) { $0.logger = logs.logger }
    playRuns(sink, runs: 1, steps: 1)
    _ = sink.syncForceFlush(timeout: .seconds(10))
    playRuns(sink, runs: 1, steps: 1, prefix: "again")
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 4)
    #expect(receiver.calls().filter { $0.service == .metrics }.count == 1)
    let status = sink.status()
    #expect(status.metricExportStopped?.contains("UNIMPLEMENTED") == true)
    #expect(status.spansExported == 4)
    #expect(logs.messages.withLock { $0 }.filter { $0.contains("metrics service") }.count == 1)
  }

  @Test func aDeadReceiverNeverBlocksTheCallerAndCountsTheSpansAsFailed() throws {
    let receiver = try OTLPTestReceiver()
    let endpoint = receiver.endpoint
    receiver.stop()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.retryPolicy = RetryPolicy(
      initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(200))
    configuration.traces.timeout = .seconds(1)
    let sink = OpenTelemetrySink(
      enabled: true, endpoint: endpoint, metricsEnabled: false, configuration: configuration)
    let start = ContinuousClock.now
    playRuns(sink, runs: 10, steps: 4)
    let hooks = ContinuousClock.now - start
    let shutdownStart = ContinuousClock.now
    #expect(!sink.syncShutdown(timeout: .seconds(3)))
    let shutdown = ContinuousClock.now - shutdownStart
    let status = sink.status()
    #expect(status.spansRecorded == 50 && status.spansFailed == 50 && status.spansExported == 0)
    #expect(status.lastError?.contains("UNAVAILABLE") == true)
    #expect(status.exportRetries > 0)
    // Bounds, not speed: the hooks never waited on the network, and shutdown kept its deadline.
    #expect(hooks < .seconds(1))
    #expect(shutdown < .seconds(5))
  }

  @Test func aBadEndpointIsAClearSetupFailureNotACrash() {
    for endpoint in ["ftp://collector:4317", "http://collector:99999", "http://", "http://[::1"] {
      let sink = OpenTelemetrySink(
        enabled: true, endpoint: endpoint,
        configuration: {
          var configuration = OpenTelemetrySinkConfiguration()
          configuration.environment = [:]
          return configuration
        }())
      #expect(!sink.status().available, "\(endpoint)")
      #expect(
        sink.status().detail.hasPrefix("setup failed: invalid OTLP endpoint"), "\(sink.status().detail)")
      sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    }
  }
}
