import Foundation
import ObservabilitySinks

/// A stand-in for an RLM runtime: it "thinks" for a scripted while, runs scripted actions and
/// reports every run and step to its observability coordinator, as a real runtime does.
struct ScriptedRuntime {
  struct ScriptedStep {
    var action: String
    var code: String
    var thinking: Duration
    var outcome: Result<String, ScriptedError>
    var reward: Double
  }

  struct ScriptedError: Error {
    var message: String
  }

  let observability: RLMObservability

  /// Runs the script and returns the run's result.
  func run(runID: String, task: String, environment: String, model: String, steps: [ScriptedStep])
    -> RunResult
  {
    let startedAt = Date()
    observability.onRunStart(
      runID: runID, task: task, environment: environment, params: RunParams(maxSteps: 10, model: model))
    var cumulativeReward = 0.0
    var finalAnswer: String?
    for (index, step) in steps.enumerated() {
      Thread.sleep(forTimeInterval: Double(step.thinking / .milliseconds(1)) / 1000)
      cumulativeReward += step.reward
      let observation: StepObservation
      switch step.outcome {
      case .success(let output):
        observation = StepObservation(success: true, output: output)
        if step.action == "submit" { finalAnswer = output }
      case .failure(let error):
        observation = StepObservation(success: false, output: "", error: error.message)
      }
      observability.onStep(
        runID: runID,
        event: StepEvent(
          step: index + 1, action: StepAction(type: step.action, code: step.code), observation: observation,
          reward: step.reward),
        cumulativeReward: cumulativeReward)
    }
    let result = RunResult(
      completed: finalAnswer != nil, steps: steps.count, totalReward: cumulativeReward,
      finalAnswer: finalAnswer,
      startedAt: ISO8601Timestamp(Self.isoText(startedAt)), finishedAt: ISO8601Timestamp(Self.isoText(Date()))
    )
    observability.onRunEnd(runID: runID, result: result, runPath: ".rlm_code/rlm/runs/\(runID).jsonl")
    return result
  }

  /// The date as a runtime logs it: ISO 8601 with fractional seconds and an offset.
  private static func isoText(_ date: Date) -> String {
    date.formatted(
      .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .colon))
  }
}
