extension SpanData {
  /// The kind of a span, as OTLP's `Span.SpanKind` (numbers are the wire values).
  public enum Kind: Int32, Hashable, Sendable {
    /// An operation inside the process; every span of the RLM sink has this kind.
    case `internal` = 1
    /// The server side of a remote call.
    case server = 2
    /// The client side of a remote call.
    case client = 3
    /// The producer of an asynchronous message.
    case producer = 4
    /// The consumer of an asynchronous message.
    case consumer = 5
  }
}
