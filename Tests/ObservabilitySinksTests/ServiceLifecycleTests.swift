import Logging
import ObservabilitySinks
import ObservabilitySinksServiceLifecycle
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

  @Test func runsFinishedByALaterServiceWhileItShutsDownAreDelivered() async throws {
    let test = TestSink(metricsEnabled: false) { $0.scheduleDelay = .seconds(3600) }
    let (started, reportStarted) = AsyncStream.makeStream(of: Void.self)
    let runtime = RuntimeFinishingARunOnShutdown(sink: test.sink, reportStarted: reportStarted)
    // Shut down in reverse: the runtime first, then the sink, as its documentation says to list them.
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: [test.sink, runtime], logger: Logger(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      // Shutting down before the runtime runs would skip the run it finishes on shutdown.
      for await _ in started { break }
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
    }
    #expect(test.spans.finishedSpans.count == 2)
    #expect(test.sink.status().spansDropped == 0)
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

/// A runtime that has a run in flight when the group shuts down, and finishes it then.
private struct RuntimeFinishingARunOnShutdown: Service {
  let sink: OpenTelemetrySink
  let reportStarted: AsyncStream<Void>.Continuation

  func run() async throws {
    sink.onRunStart(runID: "in-flight", task: "t", environment: "env", params: RunParams(maxSteps: 1))
    reportStarted.yield()
    try? await gracefulShutdown()
    sink.onStep(runID: "in-flight", event: StepEvent(step: 1, reward: 0.5), cumulativeReward: 0.5)
    sink.onRunEnd(
      runID: "in-flight", result: RunResult(completed: true, steps: 1, totalReward: 0.5), runPath: "p")
  }
}
