import ServiceContextModule
import TelemetryModel
import W3CTraceContext

/// A span in another process (or another tracer) that a run continues: the run's `rlm.run` span
/// becomes its child, in its trace, with span flags `0x300` (parent is remote).
public struct TraceParent: Hashable, Sendable {
  /// The caller's trace.
  public var traceID: SpanData.TraceID
  /// The caller's span, the parent of `rlm.run`.
  public var spanID: SpanData.SpanID
  /// The W3C `tracestate` to carry on, empty when none.
  public var traceState: String

  /// Creates a parent from its ids.
  public init(traceID: SpanData.TraceID, spanID: SpanData.SpanID, traceState: String = "") {
    self.traceID = traceID
    self.spanID = spanID
    self.traceState = traceState
  }

  /// Parses W3C `traceparent` and `tracestate` header values; throws when `traceparent` is not
  /// valid (wrong length, version, delimiters or an all-zero id) or `tracestate` is malformed.
  public init(traceparent: String, tracestate: String? = nil) throws {
    let context = try TraceContext(traceParentHeaderValue: traceparent, traceStateHeaderValue: tracestate)
    self.init(context)
  }

  /// Takes the ids of a W3C trace context.
  public init(_ context: TraceContext) {
    let traceBytes = context.traceID.description
    let spanBytes = context.spanID.description
    // Both descriptions are lowercase hex, validated non-zero by the parser.
    self.init(
      traceID: SpanData.TraceID(hex: traceBytes) ?? .invalid,
      spanID: SpanData.SpanID(hex: spanBytes) ?? SpanData.SpanID(0),
      traceState: context.traceStateHeaderValue ?? "")
  }

  /// The parent from the `TRACEPARENT` / `TRACESTATE` environment variables (the OpenTelemetry
  /// convention for passing context to a child process); `nil` when unset or invalid.
  static func fromEnvironment(_ environment: [String: String]) -> TraceParent? {
    guard let traceparent = environment["TRACEPARENT"], !traceparent.isEmpty else { return nil }
    return try? TraceParent(traceparent: traceparent, tracestate: environment["TRACESTATE"])
  }
}

/// The key under which a caller's `ServiceContext` carries the W3C trace context of its current
/// span, for runs to join (set it with `context.traceContext = …`).
public enum RLMTraceContextKey: ServiceContextKey {
  /// The caller's span context.
  public typealias Value = TraceContext
  /// The key's name in logs.
  public static var nameOverride: String? { "w3c-trace-context" }
}

extension ServiceContext {
  /// The W3C trace context of the caller's current span, which an `rlm.run` started in this
  /// context continues.
  public var traceContext: TraceContext? {
    get { self[RLMTraceContextKey.self] }
    set { self[RLMTraceContextKey.self] = newValue }
  }
}
