import Instrumentation
import ServiceContextModule

/// The span a run started in this task continues: asked of the bootstrapped instrument
/// (`InstrumentationSystem.instrument`, e.g. swift-otel's tracer), which writes the W3C
/// `traceparent`/`tracestate` of the task's `ServiceContext` — the way any tracer propagates its
/// context, so no tracer-specific key is read.
enum CallerTraceContext {
  /// The parent in the current task's context, or `nil` when there is no context or no tracer
  /// puts a trace in it.
  static func current() -> TraceParent? {
    // No context, nothing to ask: the common case stays a task-local read.
    guard let context = ServiceContext.current else { return nil }
    var headers = W3CHeaders()
    InstrumentationSystem.instrument.inject(context, into: &headers, using: W3CHeaders.Injector())
    guard let traceparent = headers.traceparent else { return nil }
    return try? TraceParent(traceparent: traceparent, tracestate: headers.tracestate)
  }
}

/// The two W3C Trace Context headers, as an instrument injects them.
private struct W3CHeaders {
  var traceparent: String?
  var tracestate: String?

  struct Injector: Instrumentation.Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout W3CHeaders) {
      switch key.lowercased() {
      case "traceparent": carrier.traceparent = value
      case "tracestate": carrier.tracestate = value
      default: break
      }
    }
  }
}
