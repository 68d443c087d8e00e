/// What one segment file holds, read with every length checked before it is trusted.
package struct SegmentContents: Hashable, Sendable {
  package var header: SegmentHeader
  /// The whole, valid records in file order (skipped ones left out).
  package var records: [SpoolRecord]
  /// Records of a type this version does not know that were flagged skippable, and passed over.
  package var skippedRecords = 0
  /// Bytes from the start of the file through the last whole, valid record: where a writer that
  /// resumes the file truncates it to.
  package var validLength: Int
  /// How the readable part ended.
  package var end: SegmentEnd
}

/// How a segment's readable part ends.
package enum SegmentEnd: Hashable, Sendable, CustomStringConvertible {
  /// At the end of the file, after a whole record (or the header).
  case clean
  /// A last record cut off, or failing its checksum with nothing after it: what a process that
  /// died during a write leaves. Expected after a crash.
  case torn(offset: Int)
  /// A record no writer makes, or a bad checksum with more data after it: the rest of the file
  /// cannot be trusted and is not read.
  case corrupt(offset: Int, reason: String)

  package var description: String {
    switch self {
    case .clean: "clean"
    case .torn(let offset): "a torn last record at byte \(offset)"
    case .corrupt(let offset, let reason): "corrupt at byte \(offset): \(reason)"
    }
  }
}

/// Reads segment bytes into records. It never reads outside `bytes`, allocates no more than the
/// input's size, recurses nowhere, and stops at the first record it cannot trust (the records
/// before it are kept): a segment left by a crash or written by someone else cannot crash it.
package enum SegmentReader {
  package static func read(_ bytes: [UInt8]) -> Result<SegmentContents, SegmentHeaderError> {
    let all = bytes[...]
    let header: SegmentHeader
    switch SegmentHeader.decode(all) {
    case .success(let decoded): header = decoded
    case .failure(let error): return .failure(error)
    }
    let scan = scan(all, from: header.headerSize, firstSequence: header.firstSequence)
    return .success(
      SegmentContents(
        header: header, records: scan.records, skippedRecords: scan.skippedRecords,
        validLength: scan.validLength,
        end: scan.end))
  }

  /// What ``scan(_:from:firstSequence:spanLimit:)`` found.
  package struct Scan: Sendable {
    package var records: [SpoolRecord] = []
    /// Where each of `records` ends (the offset after it).
    package var recordEnds: [Int] = []
    package var skippedRecords = 0
    /// The offset after the last whole, valid record read.
    package var validLength: Int
    package var end: SegmentEnd = .clean
    /// Reading stopped after `spanLimit` span records, before the end.
    package var stoppedAtLimit = false
  }

  /// The records of `bytes` from `offset` on (the header already passed), stopping at the first
  /// that cannot be trusted or after `spanLimit` span records. Sequences must increase and be at
  /// least `firstSequence`.
  package static func scan(
    _ all: ArraySlice<UInt8>, from start: Int, firstSequence: UInt64 = 0, spanLimit: Int = .max
  ) -> Scan {
    let base = all.startIndex
    let count = all.count
    var result = Scan(validLength: start)
    var offset = start
    var lastSequence: UInt64?
    var spans = 0
    while offset < count {
      guard spans < spanLimit else {
        result.stoppedAtLimit = true
        break
      }
      let remaining = count - offset
      guard remaining >= SpoolRecord.headerSize else {
        result.end = .torn(offset: offset)
        break
      }
      let length = Int(all.littleEndian(at: base + offset, as: UInt32.self))
      guard length <= SpoolRecord.largestPayload else {
        result.end = .corrupt(offset: offset, reason: "a record length of \(length) bytes (over 4 MiB)")
        break
      }
      let frameLength = SpoolRecord.overhead + length
      guard remaining >= frameLength else {
        result.end = .torn(offset: offset)
        break
      }
      let checksumOffset = base + offset + SpoolRecord.headerSize + length
      let stored: UInt32 = all.littleEndian(at: checksumOffset)
      guard stored == SpoolChecksum.of(all[(base + offset)..<checksumOffset]) else {
        result.end =
          remaining == frameLength
          ? .torn(offset: offset) : .corrupt(offset: offset, reason: "a record's checksum does not match")
        break
      }
      let type = all[base + offset + 4]
      let flags = all[base + offset + 5]
      let reserved: UInt16 = all.littleEndian(at: base + offset + 6)
      let sequence: UInt64 = all.littleEndian(at: base + offset + 8)
      if let problem = problem(
        type: type, flags: flags, reserved: reserved, sequence: sequence, after: lastSequence,
        first: firstSequence)
      {
        result.end = .corrupt(offset: offset, reason: problem)
        break
      }
      if let kind = SpoolRecord.Kind(rawValue: type) {
        if kind.isData { lastSequence = sequence }
        if kind == .span { spans += 1 }
        result.records.append(
          SpoolRecord(
            type: type, flags: flags, sequence: sequence,
            payload: Array(all[(base + offset + SpoolRecord.headerSize)..<checksumOffset])))
        result.recordEnds.append(offset + frameLength)
      } else {
        result.skippedRecords += 1
      }
      offset += frameLength
      result.validLength = offset
    }
    return result
  }

  /// Why a frame whose checksum holds is still not one this format's writers make, if it is not.
  private static func problem(
    type: UInt8, flags: UInt8, reserved: UInt16, sequence: UInt64, after last: UInt64?, first: UInt64
  ) -> String? {
    guard reserved == 0 else { return "a record's reserved field is \(reserved), not 0" }
    guard let kind = SpoolRecord.Kind(rawValue: type) else {
      return flags & SpoolRecord.skippableFlag != 0
        ? nil : "an unknown record type \(type) not marked skippable"
    }
    guard kind.isData else {
      return sequence == 0 ? nil : "a \(kind) record with sequence \(sequence) (only data records have one)"
    }
    if let last, sequence <= last { return "sequence \(sequence) after \(last) (not increasing)" }
    if sequence < first { return "sequence \(sequence) before the segment's first, \(first)" }
    return nil
  }
}
