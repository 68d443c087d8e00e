import CGRPCCore

/// Copies messages into and out of `grpc_byte_buffer`s.
enum ByteBuffers {
  /// A new raw buffer holding a copy of `bytes`; the caller destroys it (`grpc_byte_buffer_destroy`).
  static func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<grpc_byte_buffer> {
    var slice = Slices.copy(bytes)
    defer { grpc_slice_unref(slice) }  // the buffer took its own reference
    return grpc_raw_byte_buffer_create(&slice, 1)
  }

  /// The whole (already decompressed) content of a received buffer the caller keeps owning.
  static func bytes(_ buffer: UnsafeMutablePointer<grpc_byte_buffer>) -> [UInt8]? {
    var reader = grpc_byte_buffer_reader()
    guard grpc_byte_buffer_reader_init(&reader, buffer) != 0 else { return nil }
    defer { grpc_byte_buffer_reader_destroy(&reader) }
    let slice = grpc_byte_buffer_reader_readall(&reader)
    defer { grpc_slice_unref(slice) }
    return Slices.bytes(slice)
  }
}
