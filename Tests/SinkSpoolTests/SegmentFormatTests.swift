import Testing

@testable import SinkSpool

@Suite("Spool segments: header, record frames, and a reader that trusts no length")
struct SegmentFormatTests {
  static let streamID: [UInt8] = Array(0..<16)

  /// A segment with `records` after its header.
  static func segment(_ records: [SpoolRecord], firstSequence: UInt64 = 1) -> [UInt8] {
    var bytes = SegmentHeader(
      streamID: streamID, segmentNumber: 3, firstSequence: firstSequence,
      createdUnixNanos: 1_765_000_000_000_000_000
    ).encoded()
    for record in records { record.frame(into: &bytes) }
    return bytes
  }

  static let records: [SpoolRecord] = [
    SpoolRecord(.source, payload: Array("resource".utf8)),
    SpoolRecord(.runStarted, sequence: 1, payload: Array(repeating: 7, count: 40)),
    SpoolRecord(.span, sequence: 2, payload: Array("a step".utf8)),
    SpoolRecord(.ack, payload: [1, 0, 0, 0]),
    SpoolRecord(.span, sequence: 5, payload: []),
  ]

  static func read(_ bytes: [UInt8]) throws -> SegmentContents {
    try SegmentReader.read(bytes).get()
  }

  @Test func zlibsCRC32GivesTheStandardCheckValue() {
    // The CRC-32 (ISO-HDLC) check value of "123456789".
    #expect(SpoolChecksum.of(Array("123456789".utf8)[...]) == 0xCBF4_3926)
    #expect(SpoolChecksum.of([][...]) == 0)
  }

  @Test func aHeaderIs64BytesAndReadsBackAsWritten() throws {
    let header = SegmentHeader(
      streamID: Self.streamID, segmentNumber: 9, firstSequence: 1 << 40, createdUnixNanos: 42)
    let bytes = header.encoded()
    #expect(bytes.count == SegmentHeader.size)
    #expect(Array(bytes[0..<8]) == Array("RLMOTSPL".utf8))
    #expect(try SegmentHeader.decode(bytes[...]).get() == header)
  }

  @Test func aHeaderThatIsNotRightIsRefusedWithItsReason() {
    let good = SegmentHeader(streamID: Self.streamID, segmentNumber: 1, firstSequence: 1, createdUnixNanos: 1)
      .encoded()
    #expect(SegmentHeader.decode(good[0..<63]) == .failure(.truncated(63)))
    var magic = good
    magic[0] = UInt8(ascii: "X")
    #expect(SegmentHeader.decode(magic[...]) == .failure(.notASegment))
    var flipped = good
    flipped[20] ^= 0x10
    #expect(SegmentHeader.decode(flipped[...]) == .failure(.checksumMismatch))
    var newer = good
    newer[8] = 2
    #expect(SegmentHeader.decode(newer[...]) == .failure(.unsupportedMajor(2)))
    #expect("\(SegmentHeaderError.unsupportedMajor(2))".contains("format version 2"))
  }

  @Test func recordsReadBackAsWrittenWithACleanEnd() throws {
    let bytes = Self.segment(Self.records)
    let contents = try Self.read(bytes)
    #expect(contents.records == Self.records)
    #expect(contents.end == .clean)
    #expect(contents.validLength == bytes.count)
    #expect(contents.header.segmentNumber == 3)
    // 20 bytes of frame around each payload.
    #expect(Self.records[2].framed().count == SpoolRecord.overhead + 6)
  }

  @Test func aCutAtEveryByteOfTheLastRecordIsATornTailAndKeepsTheRecordsBefore() throws {
    let whole = Self.segment(Self.records)
    let lastStart = whole.count - Self.records[4].framed().count
    for cut in lastStart..<whole.count {
      let contents = try Self.read(Array(whole[0..<cut]))
      #expect(contents.records == Array(Self.records.prefix(4)), "cut at \(cut)")
      #expect(contents.validLength == lastStart)
      #expect(contents.end == (cut == lastStart ? .clean : .torn(offset: lastStart)), "cut at \(cut)")
    }
  }

  @Test func aFlippedBitInAnyByteOfARecordStopsTheReadThere() throws {
    let whole = Self.segment(Self.records)
    let secondStart = SegmentHeader.size + Self.records[0].framed().count
    let secondEnd = secondStart + Self.records[1].framed().count
    for index in secondStart..<secondEnd {
      for bit in [0, 7] {
        var bytes = whole
        bytes[index] ^= UInt8(1 << bit)
        let contents = try Self.read(bytes)
        #expect(contents.records == [Self.records[0]], "byte \(index) bit \(bit)")
        #expect(contents.validLength == secondStart)
        guard case .corrupt(let offset, _) = contents.end else {
          // A flipped length bit can make the frame run past the end: cut off, not corrupt.
          #expect(contents.end == .torn(offset: secondStart), "byte \(index) bit \(bit): \(contents.end)")
          continue
        }
        #expect(offset == secondStart)
      }
    }
  }

  @Test func aBadChecksumOnTheLastRecordIsTornButWithDataAfterItIsCorrupt() throws {
    var last = Self.segment(Self.records)
    last[last.count - 1] ^= 1
    #expect(try Self.read(last).end == .torn(offset: last.count - Self.records[4].framed().count))

    var middle = Self.segment(Self.records)
    let third = SegmentHeader.size + Self.records[0].framed().count + Self.records[1].framed().count
    middle[third + SpoolRecord.headerSize] ^= 1
    let contents = try Self.read(middle)
    #expect(contents.end == .corrupt(offset: third, reason: "a record's checksum does not match"))
    #expect(contents.records.count == 2)
  }

  @Test func framesNoWriterMakesAreCorruptionWithAReason() throws {
    func end(of record: SpoolRecord, after: [SpoolRecord] = []) throws -> SegmentEnd {
      try Self.read(Self.segment([Self.records[0]] + after + [record, Self.records[0]])).end
    }
    func reason(_ end: SegmentEnd) -> String {
      if case .corrupt(_, let reason) = end { return reason }
      return "not corrupt: \(end)"
    }
    #expect(
      reason(try end(of: SpoolRecord(type: 99, sequence: 0, payload: []))).contains("unknown record type 99"))
    #expect(reason(try end(of: SpoolRecord(.ack, sequence: 4, payload: []))).contains("only data records"))
    let repeated = try end(
      of: SpoolRecord(.span, sequence: 2, payload: []), after: [SpoolRecord(.span, sequence: 2, payload: [])])
    #expect(reason(repeated).contains("not increasing"))
    #expect(
      reason(try end(of: SpoolRecord(.span, sequence: 0, payload: []))).contains("before the segment's first")
    )

    // A length over 4 MiB is never a torn write: it is corrupt even at the end of the file.
    var huge = Self.segment([Self.records[0]])
    huge += [0xFF, 0xFF, 0xFF, 0xFF] + Array(repeating: 0, count: 12)
    #expect(reason(try Self.read(huge).end).contains("over 4 MiB"))

    var reserved = SpoolRecord(.span, sequence: 3, payload: [1]).framed()
    reserved[6] = 1
    reserved.replaceSubrange(
      (reserved.count - 4)..., with: Self.littleEndian(SpoolChecksum.of(reserved[0..<(reserved.count - 4)])))
    let withReserved = try Self.read(Self.segment([]) + reserved + Self.records[0].framed())
    #expect(reason(withReserved.end).contains("reserved field"))
  }

  @Test func aSkippableRecordOfANewerMinorIsPassedOver() throws {
    let future = SpoolRecord(type: 200, flags: SpoolRecord.skippableFlag, sequence: 0, payload: [1, 2, 3])
    let contents = try Self.read(Self.segment([Self.records[0], future, Self.records[2]]))
    #expect(contents.records == [Self.records[0], Self.records[2]])
    #expect(contents.skippedRecords == 1)
    #expect(contents.end == .clean)
  }

  static func littleEndian(_ value: UInt32) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.appendLittleEndian(value)
    return bytes
  }
}
