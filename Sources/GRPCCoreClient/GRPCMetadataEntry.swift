/// One metadata entry received from the server, copied out of the call.
package struct GRPCMetadataEntry: Sendable, Hashable {
  /// The lowercase header name; binary entries end in `-bin`.
  package var key: String
  /// The value; for `-bin` keys the raw (already base64-decoded) bytes.
  package var value: [UInt8]

  /// An entry with the given key and value.
  package init(key: String, value: [UInt8]) {
    self.key = key
    self.value = value
  }
}
