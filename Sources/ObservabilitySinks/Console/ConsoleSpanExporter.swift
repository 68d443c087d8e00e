import SinkSupport
import Synchronization

/// Prints each finished run as a tree: the run, then its steps with duration, reward, success,
/// status and events, under the trace id; child runs and model calls nested under their step. Chosen by `OTEL_TRACES_EXPORTER=console`.
///
/// Steps finish before their run, so they wait here until the run's span arrives; whatever is
/// still waiting at shutdown (a run never ended) is printed then.
public final class ConsoleSpanExporter: SpanExporter {
  private let output: ConsoleOutput
  private let pending = LockedValue<[SpanData.SpanID: [SpanData]]>([:])

  /// Creates an exporter writing to `output` (standard output by default).
  public init(output: ConsoleOutput = .standardOutput) {
    self.output = output
  }

  /// Prints every span whose tree is complete; keeps the others for later.
  public func export(_ spans: [SpanData], from source: TelemetrySource, timeout: Duration) -> ExportResult {
    var text = ""
    pending.withLock { pending in
      for span in spans {
        if isTop(span) {
          let children = { (parent: SpanData) -> [SpanData] in
            (pending.removeValue(forKey: parent.spanID) ?? []).sorted {
              $0.startTimeUnixNano < $1.startTimeUnixNano
            }
          }
          text += SpanTreeRenderer.render(root: span, children: children, serviceName: serviceName(source))
        } else if let parent = span.parentSpanID {
          pending[parent, default: []].append(span)
        }
      }
    }
    if !text.isEmpty { output.write(text) }
    return .success
  }

  /// Prints the steps of runs that never ended.
  public func shutdown(timeout: Duration) {
    let orphans = pending.withLock { pending in
      defer { pending.removeAll() }
      return pending.values.flatMap { $0 }.sorted { $0.startTimeUnixNano < $1.startTimeUnixNano }
    }
    guard !orphans.isEmpty else { return }
    output.write(SpanTreeRenderer.renderOrphans(orphans))
  }

  /// A run is printed when it ends, with everything under it, unless it is a child run in its
  /// parent's trace (it then waits under the parent's step).
  private func isTop(_ span: SpanData) -> Bool {
    guard span.parentSpanID != nil else { return true }
    guard span.name == "rlm.run" else { return false }
    let isNestedChild =
      span.attributes["rlm.parent_run_id"] != nil && span.links.isEmpty
      && span.flags == SpanData.localParentFlags
    return !isNestedChild
  }

  private func serviceName(_ source: TelemetrySource) -> String {
    if case .string(let name)? = source.resource.attributes["service.name"] { return name }
    return ""
  }
}
