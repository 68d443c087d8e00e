import CZlib

/// The checksum of every segment header and record: zlib's CRC-32 (ISO-HDLC, as gzip and PNG use),
/// so a torn or flipped byte is found without a checksum of our own. C-facing: zlib reads the
/// bytes through a pointer.
package enum SpoolChecksum {
  /// The CRC-32 of `bytes`.
  package static func of(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
      UInt32(truncatingIfNeeded: crc32_z(0, buffer.baseAddress, buffer.count))
    }
  }
}
