import SinkSpool
import SinkSupport

#if canImport(Glibc)
  import Glibc
#endif

/// What the spool's writer shows the export thread: the segments it may read and how far, and
/// what the export thread has settled.
struct SpoolPublished: Sendable {
  struct Segment: Sendable, Equatable {
    var number: UInt32
    var path: String
    /// Bytes written so far: always the end of a whole record.
    var size: Int
  }

  var segments: [Segment] = []
  /// The export thread's answer: every data record up to this sequence is settled.
  var settledThrough: UInt64 = 0
  /// The last data sequence written.
  var lastSequence: UInt64 = 0
}

/// This process's stream in the spool directory: its lock file (held while the sink lives, so no
/// other process recovers it) and its numbered segment files. Used by the writer thread only,
/// but for ``published``, which the export thread reads.
final class SpoolStream {
  let directory: String
  let name: String
  let published = LockedValue(SpoolPublished())
  /// Held until ``close()``: a stream whose sink shut down writes no more, so from then on a
  /// sibling (another sink on the directory, alive or later) may send what it left.
  private var lock: SpoolFile?
  private let streamID: [UInt8]
  /// This process's resource and scope, as a `source` record's payload.
  private let ownSource: [UInt8]
  /// The source the records now being appended belong to: this process's, or during a
  /// recovery an earlier process's; every new segment starts with it.
  private var currentSource: [UInt8]
  private let segmentBytes: Int
  private var current: SpoolFile
  private var segments: [SegmentState]
  private var nextSequence: UInt64 = 1
  /// The last settled sequence an `ack` record says.
  private var ackWritten: UInt64 = 0
  /// The start records of runs not yet ended, by run span id, with the segment each is in.
  private var openRuns: [UInt64: (segment: UInt32, payload: [UInt8], trace: TraceKey)] = [:]
  /// Open runs per trace: a trace's activity is kept while it has one.
  private var openPerTrace: [TraceKey: Int] = [:]
  /// The latest time recorded in each trace with an open run: a journal carried forward takes it,
  /// so that a run rebuilt after its early segments are gone still ends at its last activity.
  private var traceActivity: [TraceKey: UInt64] = [:]

  private struct TraceKey: Hashable {
    var high: UInt64
    var low: UInt64
  }

  private struct SegmentState {
    var number: UInt32
    var path: String
    var spanSequences: [UInt64] = []
    var lastSequence: UInt64 = 0
    var size = 0
  }

  /// One record to append, with what the stream tracks of it.
  struct Entry {
    var kind: SpoolRecord.Kind
    var payload: [UInt8]
    /// A run's start: the run span id.
    var startsRun: UInt64?
    /// A run's end: the run span id.
    var endsRun: UInt64?
  }

  /// Creates the directory if needed and a new stream in it, locked, with its first segment.
  init(directory: String, source: EncodedSource, segmentBytes: Int) throws(SpoolIOError) {
    self.directory = directory
    if mkdir(directory, 0o700) != 0, errno != EEXIST { throw SpoolIOError("create", directory, code: errno) }
    var info = stat()
    guard lstat(directory, &info) == 0 else { throw SpoolIOError("stat", directory, code: errno) }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw SpoolIOError("open", directory, reason: "not a directory")
    }
    guard access(directory, W_OK | X_OK) == 0 else { throw SpoolIOError("open", directory, code: errno) }
    var random = SystemRandomNumberGenerator()
    streamID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
    let tag = streamID.prefix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    name = "s-\(getpid())-\(UnixClock.now() / 1_000_000)-\(tag)"
    // Locked before it has its final name, so no scanner ever sees it unlocked.
    let temporary = "\(directory)/.tmp-\(name).lock"
    let lock = try SpoolFile.create(temporary)
    guard try lock.tryLock() else { throw SpoolIOError("lock", temporary, reason: "already locked") }
    guard rename(temporary, "\(directory)/\(name).lock") == 0 else {
      let code = errno
      unlink(temporary)
      throw SpoolIOError("rename", temporary, code: code)
    }
    self.lock = lock
    ownSource = source.payload()
    currentSource = ownSource
    self.segmentBytes = segmentBytes
    segments = []
    let (file, state) = try Self.openSegment(
      directory: directory, name: name, number: 1, streamID: streamID, firstSequence: 1, source: ownSource
    )
    current = file
    segments = [state]
    try? SpoolDirectory.sync(directory)
    publish()
  }

  private static func segmentPath(_ directory: String, _ name: String, _ number: UInt32) -> String {
    "\(directory)/\(name).\(String(number).leftPadded(to: 6, with: "0")).seg"
  }

  private static func openSegment(
    directory: String, name: String, number: UInt32, streamID: [UInt8], firstSequence: UInt64, source: [UInt8]
  ) throws(SpoolIOError) -> (SpoolFile, SegmentState) {
    let path = segmentPath(directory, name, number)
    let file = try SpoolFile.create(path)
    var bytes = SegmentHeader(
      streamID: streamID, segmentNumber: number, firstSequence: firstSequence,
      createdUnixNanos: UnixClock.now()
    ).encoded()
    SpoolRecord(.source, payload: source).frame(into: &bytes)
    do {
      try file.append(bytes)
    } catch {
      unlink(path)
      throw error
    }
    return (file, SegmentState(number: number, path: path))
  }

  /// What ``append(_:)`` managed.
  struct Appended {
    /// Entries written, from the first: all of them unless `error` is set.
    var written = 0
    /// Spans among the entries that could not be written, with why (a full disk, a file-size limit).
    var error: SpoolIOError?
  }

  /// Appends `entries` in order, a segment's worth per write, moving to a new segment when the
  /// current one is full. Stops at the first write that fails: what was written before stays.
  func append(_ entries: [Entry]) -> Appended {
    var result = Appended()
    while result.written < entries.count {
      do {
        if current.size >= segmentBytes { try rotate() }
        var bytes: [UInt8] = []
        var sequence = nextSequence
        var end = result.written
        // As many entries as fit in the rest of the segment; at least one in a fresh segment.
        while end < entries.count {
          let entry = entries[end]
          let before = bytes.count
          let isData = entry.kind.isData
          SpoolRecord(entry.kind, sequence: isData ? sequence : 0, payload: entry.payload).frame(into: &bytes)
          // A segment's worth at most, and 64 KiB per write, so that a disk filling up keeps
          // what fits; a larger record goes alone, in this segment if it has room.
          let overSegment = current.size + bytes.count > segmentBytes
          let first = end == result.written
          if (!first && (overSegment || bytes.count > Self.largestWrite))
            || (first && overSegment && current.size > freshSize)
          {
            bytes.removeLast(bytes.count - before)
            break
          }
          if isData { sequence += 1 }
          end += 1
        }
        if end == result.written {
          try rotate()
          continue
        }
        try current.append(bytes)
        record(entries[result.written..<end], firstSequence: nextSequence)
        nextSequence = sequence
        result.written = end
      } catch {
        result.error = error
        break
      }
    }
    publish()
    return result
  }

  /// The most one write carries (one record may be larger).
  static let largestWrite = 64 << 10

  /// The size of a segment with nothing but its header and `source` record.
  private var freshSize: Int { SegmentHeader.size + SpoolRecord.overhead + currentSource.count }

  /// Tracks what `entries`, just written from `firstSequence` on, hold.
  private func record(_ entries: ArraySlice<Entry>, firstSequence: UInt64) {
    var sequence = firstSequence
    let last = segments.count - 1
    let number = segments[last].number
    segments[last].size = current.size
    for entry in entries {
      if entry.kind == .span { segments[last].spanSequences.append(sequence) }
      if entry.kind.isData {
        segments[last].lastSequence = sequence
        sequence += 1
      }
      guard entry.kind.isData, let (high, low, _, time, _) = SpoolSpan.fixed(entry.payload) else { continue }
      let key = TraceKey(high: high, low: low)
      // The recorder journals a run or step before anything can close it.
      if let run = entry.startsRun, openRuns.updateValue((number, entry.payload, key), forKey: run) == nil {
        openPerTrace[key, default: 0] += 1
      }
      if traceActivity[key] != nil || entry.startsRun != nil {
        traceActivity[key] = max(traceActivity[key] ?? 0, time)
      }
      if let run = entry.endsRun { close(run) }
    }
  }

  /// Forgets the journal of `run`: its span was written, or will never be (it could not be).
  /// Whether it had one.
  @discardableResult
  func close(_ run: UInt64) -> Bool {
    guard let (_, _, key) = openRuns.removeValue(forKey: run) else { return false }
    let left = (openPerTrace[key] ?? 1) - 1
    if left > 0 {
      openPerTrace[key] = left
    } else {
      openPerTrace[key] = nil
      traceActivity[key] = nil
    }
    return true
  }

  /// Appends the records of an earlier process's stream under its `source`, then goes back to
  /// this process's own.
  func append(_ entries: [Entry], source: [UInt8]) -> Appended {
    var result = switchSource(to: source)
    guard result.error == nil else { return result }
    result = append(entries)
    let back = switchSource(to: ownSource)
    return result.error == nil ? Appended(written: result.written, error: back.error) : result
  }

  /// Writes a `source` record and makes `source` the one new segments start with, only once that
  /// record is written (else the previous source stays in effect, in the file and here).
  private func switchSource(to source: [UInt8]) -> Appended {
    guard source != currentSource else { return Appended() }
    let previous = currentSource
    currentSource = source  // a rotation during this append starts the new segment with it
    let result = append([Entry(kind: .source, payload: source)])
    if result.error != nil { currentSource = previous }
    return Appended(written: 0, error: result.error)
  }

  /// Deletes the oldest segments, settled or not, until the stream is within `maxBytes` (the one
  /// being written always stays); returns the unsettled spans that went with them.
  func enforce(maxBytes: Int) -> Int {
    var discarded = 0
    var total = segments.reduce(0) { $0 + $1.size }
    // At most as many deletions as there were segments: journals of open runs larger than the
    // bound itself are carried forward once, not round and round.
    var turns = segments.count
    while segments.count > 1, total > maxBytes, turns > 0 {
      turns -= 1
      let settled = published.withLock { $0.settledThrough }
      if !carryOpenRunsForward(from: segments[0].number) { break }
      discarded += segments[0].spanSequences.count - segments[0].spanSequences.prefix { $0 <= settled }.count
      unlink(segments[0].path)
      segments.removeFirst()
      total = segments.reduce(0) { $0 + $1.size }
    }
    publish()
    return discarded
  }

  /// Appends the journals of runs still open whose latest record is in segment `number`, so that
  /// deleting the segment loses none of them; `false` when that write failed.
  private func carryOpenRunsForward(from number: UInt32) -> Bool {
    let carried = openRuns.filter { $0.value.segment == number }
    guard !carried.isEmpty else { return true }
    let entries = carried.map { run -> Entry in
      guard var span = SpoolSpan(payload: run.value.payload) else {
        return Entry(kind: .runStarted, payload: run.value.payload, startsRun: run.key)
      }
      span.time = max(span.time, traceActivity[TraceKey(high: span.traceHigh, low: span.traceLow)] ?? 0)
      return Entry(kind: .runStarted, payload: span.payload(), startsRun: run.key)
    }
    let appended = append(entries)
    guard appended.error == nil, (try? current.sync()) != nil else { return false }
    return true
  }

  /// Records what the export thread settled, and deletes the segments it no longer needs.
  func acknowledge() throws(SpoolIOError) {
    let settled = published.withLock { $0.settledThrough }
    guard settled > ackWritten else { return }
    // Oldest first, never the one being written: a segment whose every record is settled goes,
    // once the runs still open that started in it are carried forward. Before the ack record,
    // so that a full disk still frees what was sent.
    while segments.count > 1, segments[0].lastSequence <= settled,
      carryOpenRunsForward(from: segments[0].number)
    {
      unlink(segments[0].path)
      segments.removeFirst()
    }
    defer { publish() }
    try current.append(SpoolRecord(.ack, payload: SpoolAck.payload(settledThrough: settled)).framed())
    ackWritten = settled
  }

  /// Spans on disk the export thread has not settled, and the bytes of the stream.
  var unsettled: (spans: Int, bytes: Int) {
    let settled = published.withLock { $0.settledThrough }
    let spans = segments.reduce(0) { total, segment in
      total + segment.spanSequences.count - segment.spanSequences.prefix { $0 <= settled }.count
    }
    return (spans, segments.reduce(0) { $0 + $1.size })
  }

  /// Makes what was written durable.
  func sync() throws(SpoolIOError) { try current.sync() }

  /// Closes the stream. With nothing left to send and no run open, its files go; otherwise they
  /// stay for the next process on this directory (the lock goes with this object).
  func close() {
    try? current.sync()
    defer { lock = nil }
    guard unsettled.spans == 0, openRuns.isEmpty else { return }
    for segment in segments { unlink(segment.path) }
    unlink("\(directory)/\(name).lock")
  }

  private func rotate() throws(SpoolIOError) {
    try current.sync()
    segments[segments.count - 1].size = current.size
    let number = segments[segments.count - 1].number + 1
    let (file, state) = try Self.openSegment(
      directory: directory, name: name, number: number, streamID: streamID, firstSequence: nextSequence,
      source: currentSource)
    current = file
    segments.append(state)
    try? SpoolDirectory.sync(directory)
  }

  private func publish() {
    segments[segments.count - 1].size = current.size
    let view = segments.map { SpoolPublished.Segment(number: $0.number, path: $0.path, size: $0.size) }
    let last = nextSequence - 1
    published.withLock {
      $0.segments = view
      $0.lastSequence = last
    }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int, with pad: Character = "0") -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
