/// A finished span, in the shape an exporter sends it.
public struct SpanData: Hashable, Sendable {
  /// The trace the span belongs to.
  public var traceID: SpanData.TraceID
  /// The span's own id.
  public var spanID: SpanData.SpanID
  /// The parent span's id; `nil` for a root span.
  public var parentSpanID: SpanData.SpanID?
  /// The operation name, `rlm.run` or `rlm.step` for the RLM sink.
  public var name: String
  /// The span kind.
  public var kind: SpanData.Kind
  /// Start time, nanoseconds since the Unix epoch.
  public var startTimeUnixNano: UInt64
  /// End time, nanoseconds since the Unix epoch.
  public var endTimeUnixNano: UInt64
  /// The span's attributes, in the order they were set.
  public var attributes: [Attribute]
  /// The span's events, in time order.
  public var events: [SpanData.Event]
  /// The span's final status.
  public var status: SpanData.Status
  /// Spans of other traces this one relates to.
  public var links: [SpanData.Link]
  /// OTLP span flags: the W3C trace flags in the low byte, bit 8 says the parent's remoteness is
  /// known and bit 9 that the parent is remote (`0x100` local, `0x300` remote).
  ///
  /// Specification: OTLP `trace.proto`, `SpanFlags` (`SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`,
  /// `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`).
  public var flags: UInt32
  /// The W3C `tracestate` the span carries, empty when there is none.
  public var traceState: String
  /// Attributes removed by the span limits (``SpanLimits``).
  public var droppedAttributesCount = 0
  /// Events removed by the span limits.
  public var droppedEventsCount = 0
  /// Links removed by the span limits.
  public var droppedLinksCount = 0

  /// Creates a span.
  public init(
    traceID: SpanData.TraceID, spanID: SpanData.SpanID, parentSpanID: SpanData.SpanID?, name: String,
    kind: SpanData.Kind = .internal,
    startTimeUnixNano: UInt64, endTimeUnixNano: UInt64, attributes: [Attribute], events: [SpanData.Event],
    status: SpanData.Status, links: [SpanData.Link] = [], flags: UInt32 = SpanData.localParentFlags,
    traceState: String = ""
  ) {
    self.traceID = traceID
    self.spanID = spanID
    self.parentSpanID = parentSpanID
    self.name = name
    self.kind = kind
    self.startTimeUnixNano = startTimeUnixNano
    self.endTimeUnixNano = endTimeUnixNano
    self.attributes = attributes
    self.events = events
    self.status = status
    self.links = links
    self.flags = flags
    self.traceState = traceState
  }

  /// Flags of a span whose parent, if any, is in this process: "remoteness known", not remote.
  public static let localParentFlags: UInt32 = 0x100
  /// Flags of a span whose parent came from another process.
  public static let remoteParentFlags: UInt32 = 0x300
}
