/// What became of one export call.
public enum ExportResult: Hashable, Sendable {
  /// Everything was delivered.
  case success
  /// The receiver accepted the request but rejected `rejected` items, saying why.
  case partialSuccess(rejected: Int, message: String)
  /// Nothing was delivered; the message says why.
  case failure(String)

  /// Whether the receiver took the request (fully or partly).
  public var isDelivered: Bool {
    if case .failure = self { return false }
    return true
  }
}
