/// The status of a finished span, as OTLP's `Status`.
public enum SpanData.Status: Hashable, Sendable {
  /// No status was set.
  case unset
  /// The operation succeeded.
  case ok
  /// The operation failed; the message says why.
  case error(message: String)
}

/// The kind of a span, as OTLP's `Span.SpanKind` (numbers are the wire values).
public enum SpanData.Kind: Int32, Hashable, Sendable {
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
