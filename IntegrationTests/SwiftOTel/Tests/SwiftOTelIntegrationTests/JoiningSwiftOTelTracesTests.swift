import ObservabilitySinks
import ObservabilitySinksTesting
import Testing
import Tracing

/// A run started inside a swift-otel span lands in that span's trace as its child, through the
/// sink's hooks alone: no parent passed, no code beyond bootstrapping swift-otel.
@Suite("A run joins the trace of the swift-otel span it starts in")
struct JoiningSwiftOTelTracesTests {
  init() {
    SwiftOTel.bootstrap()
  }

  @Test func aRunStartedInsideASwiftOTelSpanIsItsChild() async throws {
    let spans = InMemorySpanExporter()
    let sink = makeSink(spans: spans)
    let request = try withSpan("request") { _ in
      playRun(sink, runID: "inside")
      return try #require(SwiftOTel.currentSpan())
    }
    await sink.forceFlush()

    let run = try #require(spans.runSpan("inside"))
    #expect(run.traceID.hex == request.traceID)
    #expect(run.parentSpanID?.hex == request.spanID)
    #expect(run.flags == SpanData.localParentFlags)
    // The run's steps follow it into the caller's trace.
    let steps = spans.stepSpans(of: run)
    #expect(steps.count == 2)
    #expect(steps.allSatisfy { $0.traceID == run.traceID })
  }

  @Test func aRunStartedInANestedSpanIsTheChildOfTheInnermostSpan() async throws {
    let spans = InMemorySpanExporter()
    let sink = makeSink(spans: spans)
    let (request, handler) = try withSpan("request") { _ in
      let request = try #require(SwiftOTel.currentSpan())
      let handler = try withSpan("handler") { _ in
        playRun(sink, runID: "nested")
        return try #require(SwiftOTel.currentSpan())
      }
      return (request, handler)
    }
    await sink.forceFlush()

    // swift-otel's own view: one trace, two spans.
    #expect(handler.traceID == request.traceID)
    #expect(handler.spanID != request.spanID)
    let run = try #require(spans.runSpan("nested"))
    #expect(run.traceID.hex == handler.traceID)
    #expect(run.parentSpanID?.hex == handler.spanID)
  }

  @Test func runsStartedInChildTasksOfTheSpanAreItsChildren() async throws {
    let spans = InMemorySpanExporter()
    let sink = makeSink(spans: spans)
    let request = try await withSpan("request") { _ in
      // A structured child task and an unstructured task both inherit the task-local context.
      await withTaskGroup(of: Void.self) { group in
        group.addTask { playRun(sink, runID: "child-task") }
      }
      await Task { playRun(sink, runID: "unstructured-task") }.value
      return try #require(SwiftOTel.currentSpan())
    }
    await sink.forceFlush()

    for runID in ["child-task", "unstructured-task"] {
      let run = try #require(spans.runSpan(runID))
      #expect(run.traceID.hex == request.traceID, "\(runID)")
      #expect(run.parentSpanID?.hex == request.spanID, "\(runID)")
      #expect(run.flags == SpanData.localParentFlags, "\(runID)")
    }
  }

  @Test func aRunStartedOutsideAnySpanStartsItsOwnTrace() async throws {
    let spans = InMemorySpanExporter()
    let sink = makeSink(spans: spans)
    #expect(SwiftOTel.currentSpan() == nil)
    playRun(sink, runID: "outside")
    // A span that has ended leaves nothing behind in the task's context either.
    let ended = try withSpan("request") { _ in try #require(SwiftOTel.currentSpan()) }
    playRun(sink, runID: "after")
    await sink.forceFlush()

    for runID in ["outside", "after"] {
      let run = try #require(spans.runSpan(runID))
      #expect(run.parentSpanID == nil, "\(runID)")
      #expect(run.traceID.isValid, "\(runID)")
      #expect(run.traceID.hex != ended.traceID, "\(runID)")
    }
    #expect(spans.runSpan("outside")?.traceID != spans.runSpan("after")?.traceID)
  }
}
