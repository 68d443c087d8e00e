/// Fixed-width little-endian integers in byte arrays: the spool's one byte order.
extension Array where Element == UInt8 {
  mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    var value = value.littleEndian
    for _ in 0..<MemoryLayout<T>.size {
      append(UInt8(truncatingIfNeeded: value))
      value >>= 8
    }
  }
}

extension ArraySlice where Element == UInt8 {
  /// The integer at `offset` (an index of the slice's base), which the caller has checked is in range.
  func littleEndian<T: FixedWidthInteger>(at offset: Int, as: T.Type = T.self) -> T {
    var value: T = 0
    for index in (0..<MemoryLayout<T>.size).reversed() {
      value = value << 8 | T(self[offset + index])
    }
    return value
  }
}
