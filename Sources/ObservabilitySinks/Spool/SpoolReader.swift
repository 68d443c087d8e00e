import SinkSpool
import SinkSupport

/// The export thread's view of its stream: reads the spans the writer has published, in order,
/// batch by batch, and moves on only when a batch is settled, so a batch that failed is read
/// again. Reading what was just written costs no disk I/O: it is in the page cache.
final class SpoolReader {
  /// Spans read but not yet settled, and where reading goes on once they are.
  struct Batch {
    var spans: [[UInt8]]
    /// The resource and scope they were recorded under: this process's, or for spans recovered
    /// from an earlier process, that process's (a batch never mixes two).
    var source: EncodedSource?
    /// Every data record up to this sequence is in this batch or was skipped (not a span).
    var through: UInt64
    fileprivate var end: Cursor
    fileprivate var endSource: EncodedSource?
  }

  fileprivate struct Cursor: Equatable {
    var segment: UInt32
    var offset: Int
  }

  private let published: LockedValue<SpoolPublished>
  private var cursor: Cursor?
  /// The source in effect at the cursor (the last `source` record before it).
  private var cursorSource: EncodedSource?
  private var file: (number: UInt32, file: SpoolFile)?
  /// The problem reading hit last, said once.
  private(set) var lastProblem: String?

  init(published: LockedValue<SpoolPublished>) {
    self.published = published
  }

  /// Up to `limit` spans after the cursor, or `nil` when nothing unsent is published.
  func next(limit: Int) -> Batch? {
    let view = published.withLock { $0 }
    var position = cursor ?? view.segments.first.map { Cursor(segment: $0.number, offset: 0) }
    var source = cursorSource
    var batchSource: EncodedSource?
    var spans: [[UInt8]] = []
    var through: UInt64 = 0
    reading: while var at = position, spans.count < limit {
      guard let index = view.segments.firstIndex(where: { $0.number >= at.segment }) else { break }
      let segment = view.segments[index]
      if segment.number != at.segment { at = Cursor(segment: segment.number, offset: 0) }
      if at.offset < segment.size {
        let (records, ends, end) = read(segment, from: at.offset, limit: limit - spans.count)
        for (record, recordEnd) in zip(records, ends) {
          if record.kind == .source, let next = EncodedSource(payload: record.payload) {
            // Another process's spans (recovered) go in batches of their own.
            if !spans.isEmpty, next != batchSource {
              position = at
              break reading
            }
            source = next
          }
          if record.kind?.isData == true { through = record.sequence }
          if record.kind == .span, let span = SpoolSpan(payload: record.payload) {
            batchSource = source
            spans.append(span.span)
          }
          at.offset = recordEnd
        }
        at.offset = end
        position = at
        continue  // more of this segment, or its end
      }
      // At the end of a segment: on to the next, if there is one yet.
      guard index + 1 < view.segments.count else {
        position = at
        break
      }
      position = Cursor(segment: view.segments[index + 1].number, offset: 0)
    }
    guard let position, through > 0 || !spans.isEmpty else {
      if let position {
        cursor = position
        cursorSource = source
      }
      return nil
    }
    return Batch(spans: spans, source: batchSource, through: through, end: position, endSource: source)
  }

  /// Data records written and not yet settled.
  var backlog: Int {
    published.withLock { Int(clamping: $0.lastSequence &- min($0.settledThrough, $0.lastSequence)) }
  }

  /// The batch was settled: reading goes on after it, and the writer may drop it.
  func settle(_ batch: Batch) {
    cursor = batch.end
    cursorSource = batch.endSource
    published.withLock { $0.settledThrough = max($0.settledThrough, batch.through) }
  }

  /// Whole records of `segment` from `offset` with at most `limit` spans, read through a window
  /// of 1 MiB (larger only for a record that does not fit); the offset after them.
  private func read(
    _ segment: SpoolPublished.Segment, from offset: Int, limit: Int
  ) -> ([SpoolRecord], [Int], Int) {
    do {
      if file?.number != segment.number {
        file = nil
        file = (segment.number, try SpoolFile.open(segment.path, writable: false))
      }
      guard let file else { return ([], [], segment.size) }
      let remaining = segment.size - offset
      var window = min(remaining, 1 << 20)
      while true {
        let bytes = try file.file.read(at: offset, count: window)
        let start = offset == 0 ? SegmentHeader.size : 0
        let scan = SegmentReader.scan(bytes[...], from: start, spanLimit: limit)
        if bytes.count < window, !scan.stoppedAtLimit {
          // Shorter than the writer wrote (cut from outside): what is there, then the next segment.
          lastProblem =
            "\(segment.path): \(offset + bytes.count) bytes where \(segment.size) were written; the rest of that segment is skipped"
          return (scan.records, scan.recordEnds.map { offset + $0 }, segment.size)
        }
        switch scan.end {
        case .clean:
          return (scan.records, scan.recordEnds.map { offset + $0 }, offset + scan.validLength)
        case .torn where window < remaining:
          // The window ended inside a record: what came before it, or a larger window.
          if scan.validLength > start || scan.stoppedAtLimit {
            return (scan.records, scan.recordEnds.map { offset + $0 }, offset + scan.validLength)
          }
          window = min(remaining, window * 4)
        case .torn, .corrupt:
          if scan.stoppedAtLimit {
            return (scan.records, scan.recordEnds.map { offset + $0 }, offset + scan.validLength)
          }
          // The writer publishes whole records only: the rest of this segment is damaged.
          lastProblem =
            "\(segment.path): \(scan.end) (from byte \(offset)); the rest of that segment is skipped"
          return (scan.records, scan.recordEnds.map { offset + $0 }, segment.size)
        }
      }
    } catch {
      lastProblem = "\(error); the rest of that segment is skipped"
      return ([], [], segment.size)
    }
  }
}
