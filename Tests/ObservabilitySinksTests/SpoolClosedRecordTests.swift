import Foundation
import SinkSpool
import Testing

@_spi(Benchmarks) @testable import ObservabilitySinks

/// A run whose start is on disk and whose span a failed write sent from memory gets a `closed`
/// record: a later recovery must not rebuild it (the backend would get the run twice, once in
/// ERROR). Written directly with the stream, as the writer does, then recovered.
@Suite("Spool: a closed record keeps recovery from rebuilding a run sent from memory")
struct SpoolClosedRecordTests {
  static let source = TraceRequestEncoder().encodeSource(
    TelemetrySource(
      resource: Resource(attributes: [Attribute("service.name", .string("dead-process"))]),
      scope: InstrumentationScope(name: "ObservabilitySinks", version: "test")))

  /// The journal entry of a run started at `time`.
  static func runStart(spanID: UInt64, time: UInt64) -> SpoolStream.Entry {
    let start = RunStart(
      runID: "r-\(spanID)",
      identity: SpanIdentity(
        traceID: SpanData.TraceID(high: 1, low: spanID), spanID: SpanData.SpanID(spanID), parentSpanID: nil,
        flags: SpanData.localParentFlags, traceState: ""),
      startTime: time, task: "task", environment: "env", params: RunParams(maxSteps: 3), paramTypes: nil,
      parentRunSpan: nil)
    let data = SpanRecord.runStarted(start).spanData()
    let payload = SpoolSpan(
      data, role: .runEnded, time: time, span: TraceRequestEncoder().encodeSpan(data)
    ).payload()
    return SpoolStream.Entry(kind: .runStarted, payload: payload, startsRun: spanID)
  }

  @Test(arguments: [false, true])
  func recoveryRebuildsARunUnlessItsJournalWasClosed(closed: Bool) throws {
    let directory = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
      // Two runs started; the first one's span went out from memory (closed), the second's never.
      let dead = try SpoolStream(directory: directory, source: Self.source, segmentBytes: 1 << 20)
      var entries = [
        Self.runStart(spanID: 11, time: 1_000), Self.runStart(spanID: 22, time: 2_000),
      ]
      if closed { entries.append(SpoolStream.Entry(kind: .closed, payload: SpoolClosed.payload([11]))) }
      #expect(dead.append(entries).error == nil)
      try dead.sync()
      // The process dies here: its lock goes with it, its files stay.
    }
    let live = try SpoolStream(directory: directory, source: Self.source, segmentBytes: 1 << 20)
    let recovery = SpoolRecovery(directory: directory, ownName: live.name)
    let name = try #require(recovery.otherStreams().first)
    let lock = try #require(recovery.lockIfDead(name))
    let adopted = try recovery.adopt(name, into: live) {}
    withExtendedLifetime(lock) {}
    #expect(adopted.problems.isEmpty, "\(adopted.problems)")
    #expect(adopted.runs == (closed ? 1 : 2))
    #expect(adopted.rebuilt == (closed ? 1 : 2))
  }
}
