public import Logging
import SinkSupport
import Synchronization

/// Forwards every hook to every sink it holds, as the reference's coordinator does.
///
/// A sink that throws is logged and skipped: its failure reaches neither the caller nor the
/// sinks after it.
public final class RLMObservability: Sendable {
  private let sinks: LockedValue<[any ObservabilitySink]>
  private let logger: Logger

  /// Creates a coordinator holding `sinks`, in that order.
  public init(sinks: [any ObservabilitySink] = [], logger: Logger = Logger(label: "ObservabilitySinks")) {
    self.sinks = LockedValue(sinks)
    self.logger = logger
  }

  /// Adds a sink after the others.
  public func addSink(_ sink: any ObservabilitySink) {
    sinks.withLock { $0.append(sink) }
  }

  /// Removes every sink named `name`; returns whether one was removed.
  @discardableResult
  public func removeSink(named name: String) -> Bool {
    sinks.withLock { sinks in
      let before = sinks.count
      sinks.removeAll { $0.name == name }
      return sinks.count != before
    }
  }

  /// The first sink named `name`, if any.
  public func sink(named name: String) -> (any ObservabilitySink)? {
    sinks.withLock { $0.first { $0.name == name } }
  }

  /// Every sink's status, in order.
  public func status() -> [any SinkStatusReport] {
    current().map { $0.status() }
  }

  /// Forwards `onRunStart` to every sink.
  public func onRunStart(runID: String, task: String, environment: String, params: RunParams) {
    forEachSink("onRunStart") {
      try $0.onRunStart(runID: runID, task: task, environment: environment, params: params)
    }
  }

  /// Forwards `onStep` to every sink.
  public func onStep(runID: String, event: StepEvent, cumulativeReward: Double) {
    forEachSink("onStep") { try $0.onStep(runID: runID, event: event, cumulativeReward: cumulativeReward) }
  }

  /// Forwards `onRunEnd` to every sink.
  public func onRunEnd(runID: String, result: RunResult, runPath: String) {
    forEachSink("onRunEnd") { try $0.onRunEnd(runID: runID, result: result, runPath: runPath) }
  }

  /// Forwards `onLLMCall` to every sink (those that do not record calls ignore it).
  public func onLLMCall(runID: String, call: LLMCall) {
    forEachSink("onLLMCall") { try $0.onLLMCall(runID: runID, call: call) }
  }

  private func current() -> [any ObservabilitySink] {
    sinks.withLock { $0 }
  }

  private func forEachSink(_ hook: String, _ body: (any ObservabilitySink) throws -> Void) {
    for sink in current() {
      do {
        try body(sink)
      } catch {
        logger.warning("sink \(sink.name) failed in \(hook): \(error)")
      }
    }
  }
}
