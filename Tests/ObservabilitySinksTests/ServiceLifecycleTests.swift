import Logging
import ObservabilitySinks
import ObservabilitySinksTesting
import ServiceLifecycle
import Testing

/// The sink as a swift-service-lifecycle `Service`: it runs until the group shuts down
/// gracefully, then delivers what it holds.
@Suite("The sink in a ServiceGroup")
struct ServiceLifecycleTests {
  @Test func aGracefulShutdownOfTheGroupDeliversWhatTheSinkHolds() async throws {
    let test = TestSink(metricsEnabled: true) {
      $0.scheduleDelay = .seconds(3600)
      $0.metricExportInterval = .seconds(3600)
    }
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: [test.sink], logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      playRuns(test.sink, runs: 3, steps: 2)
      // Held in memory: the schedule is an hour away.
      #expect(test.spans.finishedSpans.isEmpty)
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
    }
    #expect(test.spans.finishedSpans.count == 9)
    #expect(test.metrics.latest("rlm.runs") != nil)
    // Shut down: later spans are refused and counted.
    playRuns(test.sink, runs: 1, steps: 0)
    #expect(test.sink.status().spansDropped == 1)
  }

  @Test func cancellingTheGroupStillDelivers() async throws {
    let test = TestSink(metricsEnabled: false) { $0.scheduleDelay = .seconds(3600) }
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: [test.sink], logger: Logger(label: "test")))
    let run = Task { try await group.run() }
    playRuns(test.sink, runs: 2, steps: 1)
    run.cancel()
    _ = await run.result
    #expect(test.spans.finishedSpans.count == 4)
  }
}
