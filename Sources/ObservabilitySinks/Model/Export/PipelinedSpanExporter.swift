/// A span exporter that can prepare (encode) the next batch while the previous one is still on
/// the wire. The export thread keeps one request in flight, as the batch span processor requires,
/// but overlaps the CPU work of the next with the network time of the current.
package protocol PipelinedSpanExporter: SpanExporter {
  /// Does the CPU work for `spans` (encoding), sending nothing yet.
  func prepareExport(_ spans: [SpanData], from source: TelemetrySource) -> any PreparedExport
}

/// A batch ready to send.
package protocol PreparedExport: Sendable {
  /// Starts sending and returns at once.
  func start(timeout: Duration) -> any PendingExport
}

/// A batch on its way.
package protocol PendingExport: Sendable {
  /// Blocks until the batch is delivered, has failed, or its timeout passed.
  func wait() -> ExportResult
}
