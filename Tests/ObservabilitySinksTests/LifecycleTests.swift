import Foundation
import ObservabilitySinks
import ObservabilitySinksTesting
import TestSupport
import Testing

@Suite("Flush and shutdown for async callers and at process exit", .serialized)
struct LifecycleTests {
  @Test func asyncFlushAndShutdownDeliverEverything() async throws {
    let test = TestSink()
    playRuns(test.sink, runs: 3, steps: 2)
    #expect(await test.sink.forceFlush(timeout: .seconds(10)))
    #expect(test.spans.finishedSpans.count == 9)
    playRuns(test.sink, runs: 1, steps: 1, prefix: "last")
    #expect(await test.sink.shutdown(timeout: .seconds(10)))
    #expect(test.spans.finishedSpans.count == 11)
  }

  @Test func aSinkReleasedWithoutShutdownStillDeliversInTheBackground() async throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    do {
      let sink = otlpSink(receiver, metricsEnabled: false)
      playRuns(sink, runs: 2, steps: 1)
    }
    let spans = try await receiver.waitForSpans(count: 4, timeout: .seconds(10))
    #expect(spans.count == 4)
  }

  @Test func aProcessThatForgetsShutdownStillDeliversAtExit() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let replay = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("rlm-otel-replay")
    guard FileManager.default.isExecutableFile(atPath: replay.path) else {
      Issue.record("build rlm-otel-replay first (swift build --build-tests builds it): \(replay.path)")
      return
    }
    let script = FileManager.default.temporaryDirectory.appendingPathComponent(
      "exit-\(UUID().uuidString).json")
    try fixture("golden/doc3/script.json").write(to: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: script) }
    let process = Process()
    process.executableURL = replay
    process.arguments = [script.path, "--sleep-scale", "0", "--exit-without-shutdown"]
    process.environment = [
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
      "OTEL_BSP_SCHEDULE_DELAY": "60000",
    ]
    // Under scripts/sanitizers.sh the child is a sanitizer build too: same options, same reports.
    for name in ["TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS"] {
      process.environment?[name] = ProcessInfo.processInfo.environment[name]
    }
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(receiver.spans().count == 4)
    #expect(receiver.metricPoints(named: "rlm.runs").count == 1)
  }
}
