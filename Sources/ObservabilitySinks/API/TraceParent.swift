public import W3CTraceContext

/// A span in another process (or another tracer) that a run continues: the run's `rlm.run` span
/// becomes its child, in its trace, with span flags `0x300` (parent is remote).
///
/// Specification: W3C Trace Context, *traceparent Header* and *tracestate Header*; OTLP
/// `SpanFlags` for the remote-parent bits.
public struct TraceParent: Hashable, Sendable {
  /// The caller's trace.
  public var traceID: SpanData.TraceID
  /// The caller's span, the parent of `rlm.run`.
  public var spanID: SpanData.SpanID
  /// The W3C `tracestate` to carry on, empty when none.
  public var traceState: String
  /// The `sampled` trace flag: whether the caller records this trace. Under the parent-based
  /// samplers (the default) a run under an unsampled parent is not recorded either.
  ///
  /// Specification: W3C Trace Context, *trace-flags* (`sampled`); Tracing SDK, *ParentBased*.
  public var isSampled: Bool

  /// Creates a parent from its ids.
  public init(
    traceID: SpanData.TraceID, spanID: SpanData.SpanID, traceState: String = "", isSampled: Bool = true
  ) {
    self.traceID = traceID
    self.spanID = spanID
    self.traceState = traceState
    self.isSampled = isSampled
  }

  /// Parses W3C `traceparent` and `tracestate` header values; throws when `traceparent` is not
  /// valid (wrong length, version, delimiters or an all-zero id) or `tracestate` is malformed.
  ///
  /// Specification: W3C Trace Context, *traceparent Header* (version 00) and *tracestate Header*;
  /// parsed by swift-w3c-trace-context.
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
      traceState: context.traceStateHeaderValue ?? "", isSampled: context.flags.contains(.sampled))
  }

  /// The W3C `traceparent` header value of this span: version `00`, the ids, and the `sampled`
  /// flag (`01` or `00`).
  public var traceparent: String {
    "00-\(traceID.hex)-\(spanID.hex)-\(isSampled ? "01" : "00")"
  }

  /// The parent from the `TRACEPARENT` / `TRACESTATE` environment variables (the OpenTelemetry
  /// convention for passing context to a child process); `nil` when unset or invalid.
  static func fromEnvironment(_ environment: [String: String]) -> TraceParent? {
    guard let traceparent = environment[SettingsTable.traceparent.name], !traceparent.isEmpty else {
      return nil
    }
    return try? TraceParent(traceparent: traceparent, tracestate: environment[SettingsTable.tracestate.name])
  }
}
