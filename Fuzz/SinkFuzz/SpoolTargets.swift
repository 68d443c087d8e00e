import SinkSpool

/// What a crash, a full disk or a hostile user can leave in a spool directory: any bytes as a
/// segment file.
enum SpoolTargets {
  /// The reader keeps within the input, ends where it says, and what it accepted frames back to
  /// exactly the bytes it read, which read again the same and end cleanly.
  static func segment(_ bytes: [UInt8]) {
    guard case .success(let contents) = SegmentReader.read(bytes) else { return }
    let start = contents.header.headerSize
    invariant(
      start <= contents.validLength && contents.validLength <= bytes.count, "valid length out of range")
    switch contents.end {
    case .clean: invariant(contents.validLength == bytes.count, "a clean end before the end of the input")
    case .torn(let offset), .corrupt(let offset, _):
      invariant(
        offset == contents.validLength && offset < bytes.count, "the end is not where reading stopped")
    }
    var reframed: [UInt8] = []
    for record in contents.records { record.frame(into: &reframed) }
    if contents.skippedRecords == 0 {
      invariant(reframed[...] == bytes[start..<contents.validLength], "accepted records do not frame back")
    }
    guard case .success(let again) = SegmentReader.read(Array(bytes[0..<start]) + reframed) else {
      return invariant(false, "the accepted prefix no longer reads")
    }
    invariant(again.records == contents.records && again.end == .clean, "re-read records differ")
  }
}
