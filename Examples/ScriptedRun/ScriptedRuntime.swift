import Foundation
import ObservabilitySinks

/// A stand-in for a recursive RLM runtime: it plays a script of steps, makes the model calls the
/// script names (by sleeping for their latency), runs delegated sub-tasks as child runs, and
/// reports every run, step and model call to its observability coordinator, as a real runtime does.
struct ScriptedRuntime {
  let observability: RLMObservability
  /// The model that plans the top run's steps.
  var rootModel = "gpt-4o"
  /// The model `llm_query` asks and child runs plan with: from the tree's point of view every
  /// call it makes is a sub-model call.
  var subModel = "gpt-4o-mini"
  var provider = "openai"

  /// Plays `script` as run `runID` and returns its result. A run with a `parent` is a child run:
  /// it is reported with the parent's id and one level deeper, so the sink nests its trace under
  /// the parent's step in progress.
  func run(
    runID: String, script: RunScript, environment: String, parent: (runID: String, depth: Int)? = nil
  ) -> RunResult {
    let depth = parent.map { $0.depth + 1 } ?? 0
    // Only the top run is planned by the root model; a child's planner counts as a sub model.
    let planner: (model: String, role: ModelRole) = depth == 0 ? (rootModel, .root) : (subModel, .sub)
    let startedAt = ISO8601Timestamp.now
    observability.onRunStart(
      runID: runID, task: script.task, environment: environment,
      params: RunParams(
        maxSteps: script.maxSteps, model: planner.model, parentRunID: parent?.runID,
        depth: depth))
    var cumulativeReward = 0.0
    var finalAnswer: String?
    var runUsage = UsageTally()
    for (index, step) in script.steps.enumerated() {
      let number = index + 1
      var stepUsage = UsageTally()
      // Every step starts with the planner choosing its action.
      stepUsage.add(call(step.plan, model: planner.model, role: planner.role, runID: runID))
      let observation: StepObservation
      switch step.work {
      case .execute(let duration, let outcome):
        pause(duration)
        switch outcome {
        case .success(let output): observation = StepObservation(success: true, output: output)
        case .failure(let error): observation = StepObservation(success: false, error: error.message)
        }
      case .query(let query):
        stepUsage.add(call(query, model: subModel, role: .sub, runID: runID))
        observation = StepObservation(success: true, output: query.response)
      case .delegate(let child):
        // The child starts and ends inside this step, before it is reported: its spans hang
        // under this step's span, and its tokens are part of what this step cost.
        let result = run(
          runID: "\(runID)-\(number)", script: child, environment: environment, parent: (runID, depth))
        stepUsage.add(result.usage)
        observation = StepObservation(
          success: result.completed, output: result.finalAnswer,
          error: result.completed ? nil : "child run failed")
      case .submit(let answer):
        finalAnswer = answer
        observation = StepObservation(success: true, output: answer)
      }
      cumulativeReward += step.reward
      runUsage.add(stepUsage.report)
      observability.onStep(
        runID: runID,
        event: StepEvent(
          step: number, action: StepAction(type: step.work.actionType, code: step.code),
          observation: observation, reward: step.reward, usage: stepUsage.report),
        cumulativeReward: cumulativeReward)
    }
    // The run's usage includes its children's, as RLM runtimes sum it at the top of a recursion.
    let result = RunResult(
      completed: finalAnswer != nil, steps: script.steps.count, totalReward: cumulativeReward,
      finalAnswer: finalAnswer, startedAt: startedAt, finishedAt: .now, usage: runUsage.report)
    observability.onRunEnd(runID: runID, result: result, runPath: ".rlm_code/rlm/runs/\(runID).jsonl")
    return result
  }

  /// "Calls" the model: waits for the scripted latency and reports the call, as a runtime does
  /// once the model has answered.
  private func call(_ scripted: ScriptedCall, model: String, role: ModelRole, runID: String) -> LLMCall {
    let start = ContinuousClock.now
    pause(scripted.latency)
    let call = LLMCall(
      model: model, role: role, provider: provider, promptTokens: scripted.promptTokens,
      completionTokens: scripted.completionTokens, start: start, end: .now, prompt: scripted.prompt,
      response: scripted.response)
    observability.onLLMCall(runID: runID, call: call)
    return call
  }

  private func pause(_ duration: Duration) {
    Thread.sleep(forTimeInterval: Double(duration / .microseconds(1)) / 1e6)
  }
}

/// What a run is given to do and the steps it takes.
struct RunScript: Sendable {
  var task: String
  var maxSteps: Int
  var steps: [ScriptedStep]
}

/// One step: the planner's call, then the action it chose.
struct ScriptedStep: Sendable {
  /// The code the planner wrote for the action.
  var code: String
  var plan: ScriptedCall
  var work: ScriptedWork
  var reward: Double
}

/// The actions an RLM takes.
enum ScriptedWork: Sendable {
  /// Code the runtime runs itself for `duration`, with what it printed or raised.
  case execute(Duration, Result<String, ScriptedError>)
  /// `llm_query`: the code asks the sub model; its answer is the step's output.
  case query(ScriptedCall)
  /// A sub-task handed to a child run; the child's final answer is the step's output.
  case delegate(RunScript)
  /// The final answer.
  case submit(String)

  var actionType: String {
    switch self {
    case .execute: "run_python"
    case .query: "llm_query"
    case .delegate: "delegate"
    case .submit: "submit"
    }
  }
}

/// A model call: how long it takes, its tokens, and the texts (exported only when message content
/// capture is on, `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`).
struct ScriptedCall: Sendable {
  var promptTokens: Int
  var completionTokens: Int
  var latency: Duration
  var prompt: String
  var response: String
}

struct ScriptedError: Error {
  var message: String
}

/// Tokens summed by model role, as a runtime counts them for a step or a run.
struct UsageTally {
  private var root = TokenUsage()
  private var sub = TokenUsage()

  mutating func add(_ call: LLMCall) {
    let usage = TokenUsage(
      calls: 1, promptTokens: call.promptTokens ?? 0, completionTokens: call.completionTokens ?? 0)
    if call.role == .root { root += usage } else { sub += usage }
  }

  mutating func add(_ report: UsageReport?) {
    root += report?.root ?? TokenUsage()
    sub += report?.sub ?? TokenUsage()
  }

  /// The report, with a role left out when it made no call.
  var report: UsageReport {
    UsageReport(total: root + sub, root: root.calls > 0 ? root : nil, sub: sub.calls > 0 ? sub : nil)
  }
}

extension TokenUsage {
  fileprivate static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
    TokenUsage(
      calls: lhs.calls + rhs.calls, promptTokens: lhs.promptTokens + rhs.promptTokens,
      completionTokens: lhs.completionTokens + rhs.completionTokens)
  }

  fileprivate static func += (lhs: inout TokenUsage, rhs: TokenUsage) {
    lhs = lhs + rhs
  }
}
