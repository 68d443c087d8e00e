import CGRPCCore

/// A metadata entry the core will accept, as bytes ready to be copied into slices.
struct ValidatedMetadata: Sendable {
  var key: [UInt8]
  var value: [UInt8]
}

/// Checks outgoing metadata with the core's own rules before any call starts.
///
/// The core rejects a batch with illegal metadata (`grpc_call_start_batch` fails and posts no event),
/// so rejecting here gives the caller a clear ``GRPCStatusCode/invalidArgument`` instead.
enum MetadataValidation {
  /// The entries as bytes, or a message naming the first offending entry.
  static func validate(_ metadata: [(String, String)]) -> Result<[ValidatedMetadata], MetadataError> {
    var validated: [ValidatedMetadata] = []
    validated.reserveCapacity(metadata.count)
    for (key, value) in metadata {
      let keyBytes = Array(key.utf8)
      let valueBytes = Array(value.utf8)
      if key.hasPrefix("grpc-") {
        return .failure(
          MetadataError(
            message: "metadata key '\(key)' is reserved: keys starting with 'grpc-' belong to gRPC"))
      }
      if !isLegalKey(keyBytes) {
        return .failure(
          MetadataError(message: "metadata key '\(key)' is invalid: it must match [a-z0-9-_.]+"))
      }
      if !key.hasSuffix("-bin") && !isLegalTextValue(valueBytes) {
        return .failure(
          MetadataError(
            message:
              "metadata value for '\(key)' is invalid: text values must be printable ASCII (use a '-bin' key for bytes)"
          )
        )
      }
      validated.append(ValidatedMetadata(key: keyBytes, value: valueBytes))
    }
    return .success(validated)
  }

  private static func isLegalKey(_ key: [UInt8]) -> Bool {
    let slice = Slices.copy(key)
    defer { grpc_slice_unref(slice) }
    return !key.isEmpty && grpc_header_key_is_legal(slice) != 0
  }

  private static func isLegalTextValue(_ value: [UInt8]) -> Bool {
    let slice = Slices.copy(value)
    defer { grpc_slice_unref(slice) }
    return grpc_header_nonbin_value_is_legal(slice) != 0
  }
}

/// Why outgoing metadata was rejected.
struct MetadataError: Error {
  var message: String
}
