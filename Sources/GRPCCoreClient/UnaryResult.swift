/// The outcome of one unary call.
package struct UnaryResult: Sendable, Hashable {
  /// The final status.
  package var status: GRPCStatusCode
  /// The status message (`grpc-message`), or the reason the call never started.
  package var message: String
  /// The core's debug description of a failure, when it gives one.
  package var debugErrorString: String?
  /// Metadata the server sent before the response.
  package var initialMetadata: [GRPCMetadataEntry]
  /// Metadata the server sent with the status, e.g. `grpc-status-details-bin`.
  package var trailingMetadata: [GRPCMetadataEntry]
  /// The response message; `nil` when the server sent none (as on most errors).
  package var response: [UInt8]?

  /// A result with every field explicit.
  package init(
    status: GRPCStatusCode,
    message: String,
    debugErrorString: String? = nil,
    initialMetadata: [GRPCMetadataEntry] = [],
    trailingMetadata: [GRPCMetadataEntry] = [],
    response: [UInt8]? = nil
  ) {
    self.status = status
    self.message = message
    self.debugErrorString = debugErrorString
    self.initialMetadata = initialMetadata
    self.trailingMetadata = trailingMetadata
    self.response = response
  }

  /// The value of the first trailing entry named `key`.
  package func trailer(_ key: String) -> [UInt8]? {
    trailingMetadata.first { $0.key == key }?.value
  }
}
