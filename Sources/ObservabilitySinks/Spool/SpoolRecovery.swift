import SinkSpool
import SinkSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Takes over the streams that earlier processes left in the spool directory: those whose lock
/// no one holds (the process exited, was killed, or shut its sink down with spans unsent). A
/// stream whose process is alive stays locked and is never read.
///
/// What a dead stream held and the collector had not settled is appended to this process's own
/// stream, under the dead process's resource, and each run it started and never ended becomes
/// its `rlm.run` span, ended at the last thing recorded in its trace with ERROR (the process
/// ended before the run did), as does a step a child run or model call hung under. Only then,
/// once that is synced, are the dead stream's files removed; if this process dies first, the next
/// one finds both (at-least-once). Two passes, a segment at a time: memory holds one segment
/// and the ids of the stream's spans, never the stream.
struct SpoolRecovery {
  /// What one adopted stream gave.
  struct Adopted {
    var name: String
    /// Unsent spans found and sent on.
    var spans = 0
    /// Spans still open (runs, and steps children hung under) ended now.
    var rebuilt = 0
    /// The runs among them.
    var runs = 0
    /// What could not be read, each said once.
    var problems: [String] = []
    /// Segments that could not be read at all, renamed `….unreadable` and left.
    var setAside = 0
  }

  /// Why a stream was left as it is.
  struct LeftAlone: Error, CustomStringConvertible {
    var description: String
  }

  /// A stream set aside because processes kept dying while they recovered it.
  struct SetAside: Error, CustomStringConvertible {
    var description: String
  }

  /// How many recoveries of one stream may die midway before it is set aside: a stream whose
  /// reading ended the process that read it must not end every process that starts after.
  static let attemptsBeforeSetAside = 3

  /// The largest segment read: a hostile file cannot make recovery load more.
  static let largestSegment = 64 << 20

  let directory: String
  let ownName: String

  /// The streams in the directory other than this process's, by name.
  func otherStreams() -> [String] {
    let names = (try? SpoolDirectory.entries(directory)) ?? []
    return names.filter { $0.hasSuffix(".lock") && !$0.hasPrefix(".") }.map {
      String($0.dropLast(".lock".count))
    }
    .filter { $0 != ownName }.sorted()
  }

  /// The stream's lock file, open and held, if no live process holds it.
  func lockIfDead(_ name: String) -> SpoolFile? {
    guard let lock = try? SpoolFile.open("\(directory)/\(name).lock", writable: true),
      (try? lock.tryLock()) == true
    else { return nil }
    return lock
  }

  /// Reads the dead stream `name` and appends what is left of it to `stream`, calling `between`
  /// after each segment (the writer keeps up with the hooks meanwhile); then removes its files.
  func adopt(_ name: String, into stream: SpoolStream, between: () -> Void) throws -> Adopted {
    // The attempt is noted on disk first and forgotten however this returns: only a process
    // that dies while recovering leaves it.
    let marker = "\(directory)/\(name).adopting"
    let earlier = Self.attempts(at: marker)
    guard earlier < Self.attemptsBeforeSetAside else {
      let renamed = setAside(streamNamed: name)
      throw SetAside(
        description:
          "\(earlier) processes ended while recovering \(name); its \(renamed) files are set aside as ….poisoned so that it ends no more (look at them; rename them back, without .poisoned, to have it recovered)"
      )
    }
    Self.note(attempts: earlier + 1, at: marker)
    defer { unlink(marker) }
    var adopted = Adopted(name: name)
    let prefix = name + "."
    let segmentNames = ((try? SpoolDirectory.entries(directory)) ?? [])
      .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".seg") }.sorted()

    // Pass 1: what was settled, the journals no span closed (with the source each was recorded
    // under), the latest time of each trace. A journal always comes before the span that closes
    // it (the recorder writes it first), so memory holds only the open ones.
    var settled: UInt64 = 0
    var started: [UInt64: (span: SpoolSpan, source: Int)] = [:]
    var sources: [[UInt8]] = []
    var current = 0
    var lastActivity: [SpanData.TraceID: UInt64] = [:]
    var readable: [String] = []
    for segmentName in segmentNames {
      guard let contents = try read(segmentName, into: &adopted) else { continue }
      readable.append(segmentName)
      for record in contents.records {
        switch record.kind {
        case .source:
          if let index = sources.firstIndex(of: record.payload) {
            current = index
          } else {
            sources.append(record.payload)
            current = sources.count - 1
          }
        case .ack: settled = max(settled, SpoolAck.sequence(record.payload) ?? 0)
        case .closed:
          for spanID in SpoolClosed.spanIDs(record.payload) ?? [] { started[spanID] = nil }
        case .span:
          guard let (high, low, spanID, time, _) = SpoolSpan.fixed(record.payload) else { continue }
          let trace = SpanData.TraceID(high: high, low: low)
          lastActivity[trace] = max(lastActivity[trace] ?? 0, time)
          started[spanID] = nil
        case .runStarted, .runState:
          guard let span = SpoolSpan(payload: record.payload) else { continue }
          let trace = SpanData.TraceID(high: span.traceHigh, low: span.traceLow)
          lastActivity[trace] = max(lastActivity[trace] ?? 0, span.time)
          started[span.spanID] = (span, current)
        default: continue
        }
      }
    }
    let sourceOf = { (index: Int) -> [UInt8]? in sources.indices.contains(index) ? sources[index] : nil }

    // Pass 2: the unsent spans, a segment at a time, under the source they were recorded with.
    var source: [UInt8]?
    for segmentName in readable {
      guard let contents = try read(segmentName, into: &adopted) else { continue }
      var entries: [SpoolStream.Entry] = []
      for record in contents.records {
        if record.kind == .source {
          try flush(&entries, source: source, into: stream, adopted: &adopted)
          source = record.payload
        } else if record.kind == .span, record.sequence > settled {
          entries.append(SpoolStream.Entry(kind: .span, payload: record.payload))
        }
      }
      try flush(&entries, source: source, into: stream, adopted: &adopted)
      between()
    }

    // The journals no span closed: ended now, at the last thing recorded in their trace, each
    // under the source it was recorded under.
    var rebuilt: [Int: [SpoolStream.Entry]] = [:]
    for (_, (start, sourceIndex)) in started.sorted(by: { $0.key < $1.key }) {
      let trace = SpanData.TraceID(high: start.traceHigh, low: start.traceLow)
      let end = max(start.time, lastActivity[trace] ?? start.time)
      var span = start
      span.time = end
      span.span = EncodedTraceRequest.settingEndTime(of: start.span, to: end)
      rebuilt[sourceIndex, default: []].append(SpoolStream.Entry(kind: .span, payload: span.payload()))
      adopted.rebuilt += 1
      if start.role == .runEnded { adopted.runs += 1 }
    }
    for sourceIndex in rebuilt.keys.sorted() {
      var entries = rebuilt[sourceIndex] ?? []
      let count = entries.count
      try flush(&entries, source: sourceOf(sourceIndex) ?? source, into: stream, adopted: &adopted)
      adopted.spans -= count
    }
    try? stream.sync()
    for segmentName in readable { unlink("\(directory)/\(segmentName)") }
    unlink("\(directory)/\(name).lock")
    return adopted
  }

  /// Appends `entries` (under `source`, when it is known) and empties them.
  private func flush(
    _ entries: inout [SpoolStream.Entry], source: [UInt8]?, into stream: SpoolStream, adopted: inout Adopted
  ) throws {
    guard !entries.isEmpty else { return }
    let result = source.map { stream.append(entries, source: $0) } ?? stream.append(entries)
    adopted.spans += result.written
    entries.removeAll(keepingCapacity: true)
    if let error = result.error { throw error }
  }

  /// A segment's records; `nil` (with the reason noted, the file set aside) when it cannot be
  /// read at all. Throws ``LeftAlone`` for a segment of a later format: that stream is another
  /// version's to read.
  private func read(_ segmentName: String, into adopted: inout Adopted) throws -> SegmentContents? {
    let path = "\(directory)/\(segmentName)"
    let bytes: [UInt8]
    do {
      bytes = try SpoolFile.open(path, writable: false).readAll(limit: Self.largestSegment)
    } catch {
      setAside(path, because: "\(error)", adopted: &adopted)
      return nil
    }
    switch SegmentReader.read(bytes) {
    case .success(let contents):
      if case .corrupt = contents.end, !adopted.problems.contains(where: { $0.hasPrefix(path) }) {
        adopted.problems.append("\(path): \(contents.end); the rest of that segment is skipped")
      }
      return contents
    case .failure(.unsupportedMajor(let major)):
      throw LeftAlone(
        description: "\(path) is of format version \(major), newer than this one reads; left as it is")
    case .failure(let error):
      setAside(path, because: "\(error)", adopted: &adopted)
      return nil
    }
  }

  /// Recoveries of a stream begun and never ended, as its marker file says.
  private static func attempts(at marker: String) -> Int {
    guard let bytes = try? SpoolFile.open(marker, writable: false).readAll(limit: 32) else { return 0 }
    // Empty or unreadable: the process died as it wrote it, one attempt at least.
    return Int(String(decoding: bytes, as: UTF8.self)) ?? 1
  }

  private static func note(attempts: Int, at marker: String) {
    unlink(marker)
    guard let file = try? SpoolFile.create(marker) else { return }
    try? file.append(Array(String(attempts).utf8))
    try? file.sync()
  }

  /// Renames every file of the stream `name` with `.poisoned` appended; how many there were.
  private func setAside(streamNamed name: String) -> Int {
    let files = ((try? SpoolDirectory.entries(directory)) ?? []).filter {
      $0.hasPrefix(name + ".") && !$0.hasSuffix(".poisoned")
    }
    for file in files { rename("\(directory)/\(file)", "\(directory)/\(file).poisoned") }
    return files.count
  }

  private func setAside(_ path: String, because reason: String, adopted: inout Adopted) {
    adopted.problems.append("\(path): \(reason); set aside as \(path).unreadable")
    adopted.setAside += 1
    rename(path, path + ".unreadable")
  }
}
