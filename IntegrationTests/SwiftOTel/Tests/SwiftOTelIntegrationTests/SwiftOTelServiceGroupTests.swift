import Logging
import ObservabilitySinks
import ObservabilitySinksServiceLifecycle
import ObservabilitySinksTesting
import ServiceLifecycle
import Testing
import Tracing

/// The sink in a `ServiceGroup` with swift-otel's service and a runtime that records into it:
/// the group's graceful shutdown delivers the sink's spans.
@Suite("The sink in a ServiceGroup with swift-otel's service")
struct SwiftOTelServiceGroupTests {
  @Test func aGracefulShutdownOfTheGroupDeliversTheSinksSpansWithinTheDeadline() async throws {
    SwiftOTel.bootstrap()
    let spans = InMemorySpanExporter()
    let deadline = Duration.seconds(10)
    let sink = makeSink(spans: spans) {
      // An hour: only the shutdown can deliver within the test.
      $0.scheduleDelay = .seconds(3600)
      $0.gracefulShutdownTimeout = deadline
    }
    let (requests, reportRequest) = AsyncStream.makeStream(of: SpanIdentity.self)
    let runtime = RLMRuntimeService(sink: sink, reportRequest: reportRequest)
    // Services start in this order and shut down in reverse: the runtime first, then the sink
    // (delivering the run the runtime finishes on its way out), then swift-otel.
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [SwiftOTel.service, sink, runtime], logger: Logger(label: "test")))
    var reported = requests.makeAsyncIterator()
    var served: SpanIdentity?
    var inFlight: SpanIdentity?
    var shutdownTook = Duration.zero
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      // The runtime has served one request and started the run of a second: recorded, not
      // exported yet.
      served = await reported.next()
      inFlight = await reported.next()
      #expect(spans.finishedSpans.isEmpty)
      let clock = ContinuousClock()
      let start = clock.now
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      shutdownTook = clock.now - start
    }

    #expect(shutdownTook < deadline)
    for (runID, request) in [("served", served), ("in-flight", inFlight)] {
      let request = try #require(request, "\(runID)")
      let run = try #require(spans.runSpan(runID), "\(runID)")
      #expect(run.traceID.hex == request.traceID, "\(runID)")
      #expect(run.parentSpanID?.hex == request.spanID, "\(runID)")
      #expect(spans.stepSpans(of: run).count == 2, "\(runID)")
    }
    let status = sink.status()
    #expect(status.spansExported == 6)
    #expect(status.spansDropped == 0)
  }
}

/// An RLM runtime as a service: it serves one request (a swift-otel span with a run inside),
/// and has a second in flight when the group shuts down, whose run it finishes then.
private struct RLMRuntimeService: Service {
  let sink: OpenTelemetrySink
  let reportRequest: AsyncStream<SpanIdentity>.Continuation

  func run() async throws {
    withSpan("request served") { _ in
      playRun(sink, runID: "served")
      report()
    }
    await withSpan("request in flight") { _ in
      startRun(sink, runID: "in-flight")
      report()
      try? await gracefulShutdown()
      // The group's shutdown has begun; the sink, listed before this service, still runs.
      finishRun(sink, runID: "in-flight")
    }
    reportRequest.finish()
  }

  /// Reports swift-otel's current span to the test.
  private func report() {
    if let request = SwiftOTel.currentSpan() { reportRequest.yield(request) }
  }
}
