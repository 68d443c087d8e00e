import SinkSupport

/// What the export thread needs when a sink has a spool: the writer (to have it write before a
/// flush, and to stop it), the reader of the stream, the OTLP exporter that sends encoded spans,
/// and the backoff after a failed batch.
struct SpoolExport: Sendable {
  let writer: SpoolWriter
  let reader: SpoolReaderBox
  let exporter: OTLPSpanExporter
  let source: EncodedSource
  let settings: SpoolSettings
  /// When a kept batch may be tried again, and the next delay.
  let retry: LockedValue<(at: Deadline?, delay: Duration)>
  /// The last reading problem said in the log, so that it is said once.
  let reportedProblem = LockedValue<String?>(nil)

  init(writer: SpoolWriter, exporter: OTLPSpanExporter, source: TelemetrySource, settings: SpoolSettings) {
    self.writer = writer
    reader = SpoolReaderBox(SpoolReader(published: writer.published))
    self.exporter = exporter
    self.source = TraceRequestEncoder().encodeSource(source)
    self.settings = settings
    retry = LockedValue((nil, settings.firstRetryDelay))
  }

  /// A batch the receiver refused for what it holds (gRPC `INVALID_ARGUMENT`, HTTP 400 or 413),
  /// wholly or in one of its split requests: sending it again would be refused again, so it is
  /// settled (what failed counted as failed), not kept.
  /// The reasons start with the status as the OTLP connections write it.
  static func isRefusal(_ result: ExportResult) -> Bool {
    let reason: String
    switch result {
    case .failure(let text), .partialFailure(_, _, let text): reason = text
    case .success, .partialSuccess: return false
    }
    return ["INVALID_ARGUMENT", "HTTP 400", "HTTP 413"].contains { reason.hasPrefix($0) }
  }
}

/// The reader, used by the export thread alone (`@unchecked Sendable`: it is handed to the thread
/// when the worker is made and only that thread calls it).
final class SpoolReaderBox: @unchecked Sendable {
  private let reader: SpoolReader

  init(_ reader: SpoolReader) {
    self.reader = reader
  }

  func next(limit: Int) -> SpoolReader.Batch? { reader.next(limit: limit) }
  func settle(_ batch: SpoolReader.Batch) { reader.settle(batch) }
  var lastProblem: String? { reader.lastProblem }
  /// Records written and not yet settled (spans and journal entries).
  var backlog: Int { reader.backlog }
}

extension LockedValue where Value == String? {
  /// Sets the value; the one it replaced.
  func exchange(_ value: String?) -> String? {
    withLock { current in
      let old = current
      current = value
      return old
    }
  }
}
