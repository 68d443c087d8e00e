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
/// stream, and each run it started and never ended becomes its `rlm.run` span, ended at the last
/// thing recorded in its trace with ERROR (the process ended before the run did), as does a
/// step a child run or model call hung under. Only then, once
/// that is synced, are the dead stream's files removed; if this process dies first, the next one
/// finds both (at-least-once).
struct SpoolRecovery {
  /// What one adopted stream gave.
  struct Adopted {
    var name: String
    /// Unsent spans found.
    var spans: Int
    /// Spans still open (runs, and steps children hung under) ended now.
    var rebuilt = 0
    /// The runs among them.
    var runs: Int
    var problems: [String]
  }

  /// The largest segment read: a hostile file cannot make recovery load more.
  static let largestSegment = 64 << 20

  let directory: String
  let ownName: String

  /// The dead streams' names, each with its lock file open and held.
  func lockDeadStreams() -> [(name: String, lock: SpoolFile)] {
    guard let names = try? SpoolDirectory.entries(directory) else { return [] }
    var dead: [(String, SpoolFile)] = []
    for entry in names.sorted() where entry.hasSuffix(".lock") && !entry.hasPrefix(".") {
      let name = String(entry.dropLast(".lock".count))
      guard name != ownName, let lock = try? SpoolFile.open("\(directory)/\(entry)", writable: true),
        (try? lock.tryLock()) == true
      else { continue }
      dead.append((name, lock))
    }
    return dead
  }

  /// Reads the dead stream `name` and appends what is left of it to `stream`; removes its files.
  func adopt(_ name: String, into stream: SpoolStream) throws(SpoolIOError) -> Adopted {
    var adopted = Adopted(name: name, spans: 0, runs: 0, problems: [])
    let prefix = name + "."
    let segmentNames = ((try? SpoolDirectory.entries(directory)) ?? [])
      .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".seg") }.sorted()
    var settled: UInt64 = 0
    var unsent: [(sequence: UInt64, payload: [UInt8])] = []
    var started: [UInt64: SpoolSpan] = [:]
    var ended: Set<UInt64> = []
    var lastActivity: [SpanData.TraceID: UInt64] = [:]
    for segmentName in segmentNames {
      let path = "\(directory)/\(segmentName)"
      let bytes: [UInt8]
      do {
        bytes = try SpoolFile.open(path, writable: false).readAll(limit: Self.largestSegment)
      } catch {
        adopted.problems.append("\(error)")
        continue
      }
      let contents: SegmentContents
      switch SegmentReader.read(bytes) {
      case .success(let read): contents = read
      case .failure(let error):
        adopted.problems.append("\(path): \(error)")
        continue
      }
      if case .corrupt = contents.end { adopted.problems.append("\(path): \(contents.end)") }
      for record in contents.records {
        switch record.kind {
        case .ack: settled = max(settled, SpoolAck.sequence(record.payload) ?? 0)
        case .span:
          guard let span = SpoolSpan(payload: record.payload) else { continue }
          let trace = SpanData.TraceID(high: span.traceHigh, low: span.traceLow)
          lastActivity[trace] = max(lastActivity[trace] ?? 0, span.time)
          ended.insert(span.spanID)
          unsent.append((record.sequence, record.payload))
        case .runStarted, .runState:
          guard let span = SpoolSpan(payload: record.payload) else { continue }
          let trace = SpanData.TraceID(high: span.traceHigh, low: span.traceLow)
          lastActivity[trace] = max(lastActivity[trace] ?? 0, span.time)
          started[span.spanID] = span
        default: continue
        }
      }
    }
    var entries: [SpoolStream.Entry] = unsent.filter { $0.sequence > settled }.map {
      SpoolStream.Entry(kind: .span, payload: $0.payload)
    }
    adopted.spans = entries.count
    for (spanID, start) in started.sorted(by: { $0.key < $1.key }) where !ended.contains(spanID) {
      let trace = SpanData.TraceID(high: start.traceHigh, low: start.traceLow)
      let end = max(start.time, lastActivity[trace] ?? start.time)
      var run = start
      run.time = end
      run.role = .runEnded
      run.span = EncodedTraceRequest.settingEndTime(of: start.span, to: end)
      entries.append(SpoolStream.Entry(kind: .span, payload: run.payload()))
      adopted.rebuilt += 1
      if start.role == .runEnded { adopted.runs += 1 }
    }
    if let error = stream.append(entries).error { throw error }
    try stream.sync()
    for segmentName in segmentNames { unlink("\(directory)/\(segmentName)") }
    unlink("\(directory)/\(name).lock")
    return adopted
  }
}
