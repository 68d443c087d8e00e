import ObservabilitySinks
import SinkSupport

/// Holds the replay back while the exporter is behind. Played at full speed, thousands of logs put
/// every span in the queue at once: memory for all of them, and more to deliver than the shutdown
/// deadline may allow.
struct ExportPacing {
  /// Spans waiting for export at most before the replay waits: many full batches (512 spans by
  /// default), so that the export thread never waits for a partial one.
  static let pendingLimit = 16_384
  /// With nothing delivered, failed or dropped for this long, the exporter is stuck (the export
  /// timeout is 30 s): stop waiting, and leave it to the queue, sized to the whole replay, and to
  /// the shutdown deadline, as without pacing.
  static let stallLimit: Duration = .seconds(30)
  /// Cleared for good once something failed or stalled: the exit status is 1 then anyway, and
  /// the tool should finish, not wait for each failing export.
  private(set) var active = true

  /// Waits until at most ``pendingLimit`` spans are pending, calling `onTick` as it waits.
  mutating func wait(for sink: OpenTelemetrySink, _ onTick: (OpenTelemetrySinkStatus) -> Void) {
    guard active else { return }
    var status = sink.status()
    var settled = Self.settled(status)
    var lastChange = ContinuousClock.now
    while status.spansPending > Self.pendingLimit {
      if status.spansDropped + status.spansFailed > 0 || ContinuousClock.now - lastChange > Self.stallLimit {
        active = false
        return
      }
      NativeThread.sleep(.milliseconds(2))
      status = sink.status()
      if Self.settled(status) != settled {
        settled = Self.settled(status)
        lastChange = ContinuousClock.now
      }
      onTick(status)
    }
  }

  private static func settled(_ status: OpenTelemetrySinkStatus) -> Int {
    status.spansExported + status.spansFailed + status.spansDropped + status.spansRejected
  }
}

/// Delivers what is left and stops the sink; the wait runs on a thread of its own so that the main
/// thread keeps the progress line current meanwhile.
func shutDown(
  _ sink: OpenTelemetrySink, progress: inout ReplayProgress, counts: ReplayCounts,
  timeout: Duration = .seconds(30)
) -> Bool {
  let delivered = OneShot<Bool>()
  guard
    NativeThread.start(
      name: "rlm-otel-replay shutdown", { delivered.fulfil(sink.syncShutdown(timeout: timeout)) })
  else { return sink.syncShutdown(timeout: timeout) }
  while true {
    if let answer = delivered.wait(until: Deadline(after: progress.tick)) { return answer }
    progress.update(counts) { sink.status() }
  }
}
