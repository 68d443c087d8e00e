import CGRPCCore

/// Copies between Swift byte arrays and `grpc_slice`s.
enum Slices {
  /// A new slice holding a copy of `bytes`; the caller owns it (`grpc_slice_unref`).
  static func copy(_ bytes: [UInt8]) -> grpc_slice {
    bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { grpc_slice_from_copied_buffer($0.baseAddress, $0.count) }
    }
  }

  /// The bytes of a slice the caller keeps owning.
  static func bytes(_ slice: grpc_slice) -> [UInt8] {
    withUnsafePointer(to: slice) { slice in
      let length = cgrpc_slice_length(slice)
      guard length > 0, let start = cgrpc_slice_start(slice) else { return [] }
      return Array(UnsafeBufferPointer(start: start, count: length))
    }
  }

  /// The slice's bytes as text (invalid UTF-8 is repaired, never trapped on).
  static func string(_ slice: grpc_slice) -> String {
    String(decoding: bytes(slice), as: UTF8.self)
  }
}
