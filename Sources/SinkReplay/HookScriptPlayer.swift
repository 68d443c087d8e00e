package import ObservabilitySinks
import SinkSupport

/// Plays a ``HookScript`` against a sink and records what `getTraceID` answered.
package struct HookScriptPlayer {
  /// One `get_trace_id` answer.
  package struct Observation: Hashable, Sendable {
    /// The index of the call in the script.
    package var call: Int
    /// The run asked about.
    package var runID: String
    /// The script's label for the question.
    package var label: String
    /// The answer: 32 hex digits, or `nil`.
    package var traceID: String?
  }

  /// How much of each scripted sleep to actually wait (1 = as written, 0 = not at all); a
  /// negative or NaN scale counts as 0, and a product too large for a `Duration` saturates.
  package var sleepScale: Double

  /// Creates a player.
  package init(sleepScale: Double = 1) {
    self.sleepScale = sleepScale
  }

  /// Makes every call of `script` on `sink`; returns the `get_trace_id` answers.
  package func play(_ script: HookScript, on sink: OpenTelemetrySink) -> [Observation] {
    var observations: [Observation] = []
    for (index, call) in script.calls.enumerated() {
      let time = index < script.times.count ? script.times[index] : nil
      switch call {
      case .runStart(let runID, let task, let environment, let params, let paramTypes):
        sink.startRun(
          runID: runID, task: task, environment: environment, params: params, parent: nil,
          paramTypes: paramTypes, at: time)
      case .step(let runID, let event, let cumulativeReward, let types):
        sink.recorder?.stepFinished(
          runID: runID, event: event, cumulativeReward: cumulativeReward, types: types, at: time)
      case .runEnd(let runID, let result, let runPath, let completedText):
        sink.recorder?.runEnded(
          runID: runID, result: result, runPath: runPath, completedText: completedText, at: time)
      case .modelCall(let runID, let call, let startTime, let endTime):
        sink.recorder?.modelCallFinished(runID: runID, call: call, startTime: startTime, endTime: endTime)
      case .traceID(forRun: let runID, let label):
        observations.append(
          Observation(call: index, runID: runID, label: label, traceID: sink.traceID(forRun: runID)))
      case .sleep(let duration):
        NativeThread.sleep(Self.scaled(duration, by: sleepScale))
      }
    }
    return observations
  }

  /// `duration * scale` without the trap `Duration * Double` has past 2⁶³ attoseconds' worth.
  package static func scaled(_ duration: Duration, by scale: Double) -> Duration {
    Duration(saturatingSeconds: duration.inSeconds * scale)
  }
}
