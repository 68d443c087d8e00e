import CGRPCCore

/// A metadata entry the core will accept, as bytes ready to be copied into slices.
struct ValidatedMetadata: Sendable {
  var key: [UInt8]
  var value: [UInt8]
}

/// Checks outgoing metadata with the core's own rules.
///
/// The core rejects a batch with illegal metadata (`grpc_call_start_batch` fails and posts no event).
/// Exporters check their headers once at setup with ``problem(key:value:)``, so a bad entry is
/// skipped with a warning; every call checks again, so the core never sees one.
package enum MetadataValidation {
  /// The entries as bytes, or a message naming the first offending entry.
  static func validate(_ metadata: [(String, String)]) -> Result<[ValidatedMetadata], MetadataError> {
    var validated: [ValidatedMetadata] = []
    validated.reserveCapacity(metadata.count)
    for (key, value) in metadata {
      if let problem = problem(key: key, value: value) { return .failure(MetadataError(message: problem)) }
      validated.append(ValidatedMetadata(key: Array(key.utf8), value: Array(value.utf8)))
    }
    return .success(validated)
  }

  /// Why the core would refuse this entry, naming the key (escaped) but never the value; `nil`
  /// when it is fine.
  package static func problem(key: String, value: String) -> String? {
    let shownKey = String(reflecting: key)
    if key.hasPrefix("grpc-") {
      return "metadata key \(shownKey) is reserved: keys starting with 'grpc-' belong to gRPC"
    }
    if !isLegalKey(Array(key.utf8)) {
      return "metadata key \(shownKey) is invalid: it must match [a-z0-9-_.]+"
    }
    if !key.hasSuffix("-bin") && !isLegalTextValue(Array(value.utf8)) {
      return
        "metadata value for \(shownKey) is invalid: text values must be printable ASCII (use a '-bin' key for bytes)"
    }
    return nil
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
