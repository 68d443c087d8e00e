/// The 64 bytes every segment file starts with: what it is, which stream it belongs to, where its
/// sequence numbers start, and a checksum over all of it (docs/spool-format.md).
package struct SegmentHeader: Hashable, Sendable {
  /// `RLMOTSPL`.
  package static let magic: [UInt8] = Array("RLMOTSPL".utf8)
  /// The format this code writes; a reader refuses a higher major and ignores the minor.
  package static let currentMajor: UInt16 = 1
  package static let currentMinor: UInt16 = 0
  /// The size this version writes; a later minor may write more, and readers skip to it.
  package static let size = 64
  /// The largest header a reader accepts, so that a hostile size cannot make it skip a whole file.
  package static let largestSize = 4096

  package var major: UInt16 = currentMajor
  package var minor: UInt16 = currentMinor
  /// The size the file says its header has (at least ``size``).
  package var headerSize = size
  /// The stream's 16 random bytes, the same in every segment of it.
  package var streamID: [UInt8]
  /// Segments are numbered from 1 within their stream, never reused.
  package var segmentNumber: UInt32
  /// The sequence the segment's first data record has, or would have.
  package var firstSequence: UInt64
  /// When the segment was created, Unix nanoseconds.
  package var createdUnixNanos: UInt64

  package init(streamID: [UInt8], segmentNumber: UInt32, firstSequence: UInt64, createdUnixNanos: UInt64) {
    precondition(streamID.count == 16, "a stream id has 16 bytes")
    self.streamID = streamID
    self.segmentNumber = segmentNumber
    self.firstSequence = firstSequence
    self.createdUnixNanos = createdUnixNanos
  }

  /// The header's 64 bytes.
  package func encoded() -> [UInt8] {
    var bytes = Self.magic
    bytes.reserveCapacity(Self.size)
    bytes.appendLittleEndian(major)
    bytes.appendLittleEndian(minor)
    bytes.appendLittleEndian(UInt32(Self.size))
    bytes += streamID
    bytes.appendLittleEndian(segmentNumber)
    bytes.appendLittleEndian(UInt32(0))
    bytes.appendLittleEndian(firstSequence)
    bytes.appendLittleEndian(createdUnixNanos)
    bytes.appendLittleEndian(SpoolChecksum.of(bytes[...]))
    bytes.appendLittleEndian(UInt32(0))
    return bytes
  }

  /// The header at the start of `bytes`, or why there is none.
  package static func decode(_ bytes: ArraySlice<UInt8>) -> Result<SegmentHeader, SegmentHeaderError> {
    let base = bytes.startIndex
    guard bytes.count >= size else { return .failure(.truncated(bytes.count)) }
    guard bytes[base..<base + 8].elementsEqual(magic) else { return .failure(.notASegment) }
    // The version first: a later major may lay out (and check) the rest differently.
    let major: UInt16 = bytes.littleEndian(at: base + 8)
    guard major <= currentMajor, major > 0 else { return .failure(.unsupportedMajor(major)) }
    let checksum: UInt32 = bytes.littleEndian(at: base + 56)
    guard checksum == SpoolChecksum.of(bytes[base..<base + 56]) else { return .failure(.checksumMismatch) }
    let headerSize = Int(bytes.littleEndian(at: base + 12, as: UInt32.self))
    guard headerSize >= size, headerSize <= largestSize else { return .failure(.badHeaderSize(headerSize)) }
    guard bytes.count >= headerSize else { return .failure(.truncated(bytes.count)) }
    var header = SegmentHeader(
      streamID: Array(bytes[base + 16..<base + 32]), segmentNumber: bytes.littleEndian(at: base + 32),
      firstSequence: bytes.littleEndian(at: base + 40), createdUnixNanos: bytes.littleEndian(at: base + 48))
    header.major = major
    header.minor = bytes.littleEndian(at: base + 10)
    header.headerSize = headerSize
    return .success(header)
  }
}

/// Why a file is not read as a segment.
package enum SegmentHeaderError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Shorter than a header: a segment whose creation was cut off, or not a segment.
  case truncated(Int)
  case notASegment
  case checksumMismatch
  /// Written by a later version of the format, which this one must not touch.
  case unsupportedMajor(UInt16)
  case badHeaderSize(Int)

  package var description: String {
    switch self {
    case .truncated(let count): "the header is cut off (\(count) bytes)"
    case .notASegment: "not a spool segment (no RLMOTSPL header)"
    case .checksumMismatch: "the header's checksum does not match"
    case .unsupportedMajor(let major):
      "format version \(major), which this version (\(SegmentHeader.currentMajor)) does not read"
    case .badHeaderSize(let size): "a header size of \(size) bytes"
    }
  }
}
