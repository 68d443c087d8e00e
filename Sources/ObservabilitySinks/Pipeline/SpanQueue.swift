import Dispatch
import SinkSupport
import Synchronization

/// The bounded hand-off between the callers' threads and the export thread.
///
/// A hook appends under a short lock and never waits; when the queue is full the span is refused
/// (the caller counts it as dropped). The export thread takes everything at once by swapping the
/// buffer with a spare one. The capacity is a bound, not an allocation: both buffers grow as spans
/// arrive and keep what they grew to, so neither side allocates in steady state, and a generous
/// bound costs nothing until it is used.
final class SpanQueue: Sendable {
  let capacity: Int
  let batchSize: Int
  private let buffer: LockedValue<[SpanRecord]>
  /// Set at shutdown: later spans are refused (and so counted as dropped), never left behind.
  private let closed = Atomic<Bool>(false)
  /// Signalled when a batch is full, so the export thread need not wait for its schedule.
  let batchReady = DispatchSemaphore(value: 0)

  init(capacity: Int, batchSize: Int) {
    self.capacity = max(1, capacity)
    self.batchSize = max(1, min(batchSize, self.capacity))
    buffer = LockedValue([])
  }

  /// Appends a finished span; `false` when the queue is full.
  func push(_ record: consuming SpanRecord) -> Bool {
    // Moved into the buffer, not copied: a copy would retain every text of the record and the
    // caller then release them all, on the hook's thread.
    var pending = Optional(consume record)
    let (accepted, filledBatch) = buffer.withLock { buffer -> (Bool, Bool) in
      guard buffer.count < capacity, !closed.load(ordering: .relaxed) else { return (false, false) }
      buffer.append(pending.take()!)
      return (true, buffer.count == batchSize)
    }
    if filledBatch { batchReady.signal() }
    return accepted
  }

  /// Moves every queued span into `spare` (which must be empty) by swapping buffers.
  func drain(into spare: inout [SpanRecord]) {
    buffer.withLock { swap(&$0, &spare) }
  }

  /// Refuses every later span.
  func close() {
    buffer.withLock { _ in closed.store(true, ordering: .relaxed) }
  }

  /// How many spans wait.
  var count: Int { buffer.withLock { $0.count } }

  /// An empty buffer for ``drain(into:)``.
  func makeSpare() -> [SpanRecord] { [] }
}
