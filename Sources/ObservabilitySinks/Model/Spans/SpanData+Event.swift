extension SpanData {
  /// A timestamped annotation of a span, such as `code_execution` or `final_answer`.
  public struct Event: Hashable, Sendable {
    /// The event's name.
    public var name: String
    /// When the event happened, in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// The event's attributes.
    public var attributes: [Attribute]
    /// Attributes removed by the span limits (``SpanLimits``).
    public var droppedAttributesCount = 0

    /// Creates an event.
    public init(name: String, timeUnixNano: UInt64, attributes: [Attribute]) {
      self.name = name
      self.timeUnixNano = timeUnixNano
      self.attributes = attributes
    }
  }
}
