import Instrumentation
import ServiceContextModule
import W3CTraceContext

/// A tracer's instrument, as small as can be: it keeps a W3C trace context under its own
/// `ServiceContext` key (which the sink never reads) and propagates it as W3C headers. Joining
/// through it proves the sink asks the instrument, as it must for swift-otel.
struct W3CTestInstrument: Instrument {
  enum Key: ServiceContextKey {
    typealias Value = TraceContext
  }

  /// Bootstraps the process's instrument once, for every test that needs it.
  static let bootstrapped: Void = InstrumentationSystem.bootstrap(W3CTestInstrument())

  func inject<Carrier, Inject: Injector>(
    _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
  ) where Inject.Carrier == Carrier {
    guard let trace = context[Key.self] else { return }
    injector.inject(trace.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
    if let state = trace.traceStateHeaderValue {
      injector.inject(state, forKey: "tracestate", into: &carrier)
    }
  }

  func extract<Carrier, Extract: Extractor>(
    _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
  ) where Extract.Carrier == Carrier {
    guard let traceparent = extractor.extract(key: "traceparent", from: carrier) else { return }
    context[Key.self] = try? TraceContext(
      traceParentHeaderValue: traceparent,
      traceStateHeaderValue: extractor.extract(key: "tracestate", from: carrier))
  }
}

extension ServiceContext {
  /// A context whose current span, as ``W3CTestInstrument`` propagates it, is `traceparent`.
  static func tracing(_ traceparent: String) throws -> ServiceContext {
    _ = W3CTestInstrument.bootstrapped
    var context = ServiceContext.topLevel
    context[W3CTestInstrument.Key.self] = try TraceContext(traceParentHeaderValue: traceparent)
    return context
  }
}
