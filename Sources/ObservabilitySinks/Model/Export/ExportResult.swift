/// What became of one export call.
public enum ExportResult: Hashable, Sendable {
  /// Everything was delivered.
  case success
  /// The receiver accepted the request but rejected `rejected` items, saying why.
  case partialSuccess(rejected: Int, message: String)
  /// Nothing was delivered; the message says why.
  case failure(String)
  /// Part was delivered: `failed` items were not (a request of a split batch failed), `rejected`
  /// were refused by the receiver, the rest arrived.
  case partialFailure(failed: Int, rejected: Int, message: String)

  /// Whether the receiver took the request (fully or partly).
  public var isDelivered: Bool {
    switch self {
    case .success, .partialSuccess: return true
    case .failure, .partialFailure: return false
    }
  }
}
