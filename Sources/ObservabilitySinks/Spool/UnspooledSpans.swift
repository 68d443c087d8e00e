import SinkSupport

/// Spans the spool's writer could not write (a full disk, a file-size limit, an I/O error): they
/// go on in memory, encoded, and the export thread sends them as a sink without a spool would,
/// instead of losing them. Bounded in spans and in bytes; what does not fit is lost, counted and
/// said by the writer.
final class UnspooledSpans: Sendable {
  let capacity: Int
  let byteCapacity: Int
  private let state = LockedValue<(spans: [[UInt8]], bytes: Int)>(([], 0))

  init(capacity: Int, byteCapacity: Int = 64 << 20) {
    self.capacity = max(1, capacity)
    self.byteCapacity = max(1, byteCapacity)
  }

  /// Keeps as many of `encoded` as fit, in order; how many that was.
  func keep(_ encoded: [[UInt8]]) -> Int {
    state.withLock { state in
      var kept = 0
      for span in encoded {
        guard state.spans.count < capacity, state.bytes + span.count <= byteCapacity else { break }
        state.spans.append(span)
        state.bytes += span.count
        kept += 1
      }
      return kept
    }
  }

  /// Takes up to `limit` of the spans kept, oldest first.
  func take(limit: Int = .max) -> [[UInt8]] {
    state.withLock { state in
      let taken = Array(state.spans.prefix(limit))
      state.spans.removeFirst(taken.count)
      state.bytes -= taken.reduce(0) { $0 + $1.count }
      return taken
    }
  }

  /// How many spans wait.
  var count: Int { state.withLock { $0.spans.count } }
}
