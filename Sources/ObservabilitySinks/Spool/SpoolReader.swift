import SinkSpool
import SinkSupport

/// The export thread's view of its stream: reads the spans the writer has published, in order,
/// batch by batch, and moves on only when a batch is settled, so a batch that failed is read
/// again. Reading what was just written costs no disk I/O: it is in the page cache.
final class SpoolReader {
  /// Spans read but not yet settled, and where reading goes on once they are.
  struct Batch {
    var spans: [[UInt8]]
    /// Every data record up to this sequence is in this batch or was skipped (not a span).
    var through: UInt64
    fileprivate var end: Cursor
  }

  fileprivate struct Cursor: Equatable {
    var segment: UInt32
    var offset: Int
  }

  private let published: LockedValue<SpoolPublished>
  private var cursor: Cursor?
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
    var spans: [[UInt8]] = []
    var through: UInt64 = 0
    while var at = position, spans.count < limit {
      guard let index = view.segments.firstIndex(where: { $0.number >= at.segment }) else { break }
      let segment = view.segments[index]
      if segment.number != at.segment { at = Cursor(segment: segment.number, offset: 0) }
      if at.offset < segment.size,
        let (records, end) = read(segment, from: at.offset, limit: limit - spans.count)
      {
        for record in records where record.kind?.isData == true {
          through = record.sequence
          if record.kind == .span, let span = SpoolSpan(payload: record.payload) { spans.append(span.span) }
        }
        at.offset = end
        position = at
        if end < segment.size { break }  // the limit was reached inside this segment
      }
      // At the end of a segment: on to the next, if there is one yet.
      guard index + 1 < view.segments.count else {
        position = at
        break
      }
      position = Cursor(segment: view.segments[index + 1].number, offset: 0)
    }
    guard let position, through > 0 || !spans.isEmpty else {
      if let position { cursor = position }
      return nil
    }
    return Batch(spans: spans, through: through, end: position)
  }

  /// Data records written and not yet settled.
  var backlog: Int {
    published.withLock { Int(clamping: $0.lastSequence &- min($0.settledThrough, $0.lastSequence)) }
  }

  /// The batch was settled: reading goes on after it, and the writer may drop it.
  func settle(_ batch: Batch) {
    cursor = batch.end
    published.withLock { $0.settledThrough = max($0.settledThrough, batch.through) }
  }

  /// Whole records of `segment` from `offset` with at most `limit` spans; the offset after them.
  private func read(_ segment: SpoolPublished.Segment, from offset: Int, limit: Int) -> ([SpoolRecord], Int)?
  {
    do {
      if file?.number != segment.number {
        file = (segment.number, try SpoolFile.open(segment.path, writable: false))
      }
      guard let file else { return nil }
      let bytes = try file.file.read(at: offset, count: segment.size - offset)
      let start = offset == 0 ? SegmentHeader.size : 0
      let scan = SegmentReader.scan(bytes[...], from: start, spanLimit: limit)
      if case .corrupt(let at, let reason) = scan.end {
        lastProblem = "\(segment.path): corrupt at byte \(offset + at): \(reason)"
      }
      // A record that cannot be read is skipped with the rest of its segment.
      let end = scan.end == .clean || scan.stoppedAtLimit ? offset + scan.validLength : segment.size
      return (scan.records, end)
    } catch {
      lastProblem = "\(error)"
      return ([], segment.size)
    }
  }
}
