extension SpanData {
  /// A pointer from a span to a span of another trace it relates to, such as the run that started
  /// a child run after the parent's own trace had been exported.
  public struct Link: Hashable, Sendable {
    /// The linked span's trace.
    public var traceID: SpanData.TraceID
    /// The linked span.
    public var spanID: SpanData.SpanID
    /// What the link means.
    public var attributes: [Attribute]
    /// Attributes removed by the span limits (``SpanLimits``).
    public var droppedAttributesCount = 0

    /// Creates a link.
    public init(traceID: SpanData.TraceID, spanID: SpanData.SpanID, attributes: [Attribute] = []) {
      self.traceID = traceID
      self.spanID = spanID
      self.attributes = attributes
    }
  }
}
