/// A gRPC status code, as carried by the `grpc-status` trailer.
package enum GRPCStatusCode: Int32, Sendable, Hashable, CaseIterable {
  /// The call succeeded.
  case ok = 0
  /// The call was cancelled, usually by the caller (or by ``GRPCClient/shutdown()``).
  case cancelled = 1
  /// An error the server or the library could not classify.
  case unknown = 2
  /// The request was malformed (also used for metadata rejected before sending).
  case invalidArgument = 3
  /// The deadline passed before the call completed.
  case deadlineExceeded = 4
  /// The requested entity (often the method) does not exist.
  case notFound = 5
  /// The entity the request tried to create already exists.
  case alreadyExists = 6
  /// The caller may not do this.
  case permissionDenied = 7
  /// A quota or size limit was hit; the server may ask to retry later.
  case resourceExhausted = 8
  /// The system is not in a state the operation needs.
  case failedPrecondition = 9
  /// The operation was aborted, typically by a concurrency conflict.
  case aborted = 10
  /// The operation went past a valid range.
  case outOfRange = 11
  /// The server does not implement the method.
  case unimplemented = 12
  /// An internal invariant broke (here also: the C core refused to start a call).
  case internalError = 13
  /// The service is not reachable right now; retrying may help.
  case unavailable = 14
  /// Unrecoverable data loss or corruption.
  case dataLoss = 15
  /// The request lacks valid credentials.
  case unauthenticated = 16

  /// The code for a raw `grpc-status` value; values outside 0…16 become ``unknown``.
  package init(code: Int32) {
    self = GRPCStatusCode(rawValue: code) ?? .unknown
  }
}
