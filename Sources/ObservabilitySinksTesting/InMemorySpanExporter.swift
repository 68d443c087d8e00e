import Synchronization
import TelemetryModel

/// Keeps every exported span in memory so that tests can assert on what a sink produced.
///
/// ```swift
/// let spans = InMemorySpanExporter()
/// var configuration = OpenTelemetrySinkConfiguration()
/// configuration.spanExporter = spans
/// let sink = OpenTelemetrySink(enabled: true, configuration: configuration)
/// // … hooks …
/// sink.syncForceFlush()
/// #expect(spans.finishedSpans.count == 4)
/// ```
public final class InMemorySpanExporter: SpanExporter {
  private let state = Mutex<(spans: [SpanData], sources: [TelemetrySource], calls: Int)>(([], [], 0))

  /// Creates an empty exporter.
  public init() {}

  /// Every span exported so far, in export order.
  public var finishedSpans: [SpanData] { state.withLock { $0.spans } }

  /// The source of every export call, in order.
  public var sources: [TelemetrySource] { state.withLock { $0.sources } }

  /// How many export calls were made.
  public var exportCalls: Int { state.withLock { $0.calls } }

  /// Forgets everything exported so far.
  public func reset() {
    state.withLock { $0 = ([], [], 0) }
  }

  /// Stores the batch.
  public func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    state.withLock {
      $0.spans += spans
      $0.sources.append(source)
      $0.calls += 1
    }
    return .success
  }
}
