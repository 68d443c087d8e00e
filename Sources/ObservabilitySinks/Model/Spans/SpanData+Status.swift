extension SpanData {
  /// The status of a finished span, as OTLP's `Status`.
  public enum Status: Hashable, Sendable {
    /// No status was set.
    case unset
    /// The operation succeeded.
    case ok
    /// The operation failed; the message says why.
    case error(message: String)
  }
}
