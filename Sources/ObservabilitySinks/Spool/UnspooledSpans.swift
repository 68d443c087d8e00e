import SinkSupport

/// Spans the spool's writer could not write (a full disk, a file-size limit, an I/O error): they
/// go on in memory, encoded, and the export thread sends them as a sink without a spool would,
/// instead of losing them. Bounded like the hand-off before the writer; what does not fit is lost,
/// counted and said by the writer.
final class UnspooledSpans: Sendable {
  let capacity: Int
  private let spans = LockedValue<[[UInt8]]>([])

  init(capacity: Int) {
    self.capacity = max(1, capacity)
  }

  /// Keeps as many of `encoded` as fit, in order; how many that was.
  func keep(_ encoded: [[UInt8]]) -> Int {
    spans.withLock { spans in
      let kept = min(encoded.count, capacity - spans.count)
      spans += encoded.prefix(kept)
      return kept
    }
  }

  /// Takes everything kept so far.
  func take() -> [[UInt8]] {
    spans.withLock { spans in
      defer { spans = [] }
      return spans
    }
  }

  var isEmpty: Bool { spans.withLock { $0.isEmpty } }
}
