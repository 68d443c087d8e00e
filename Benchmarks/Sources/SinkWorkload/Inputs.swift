import ObservabilitySinks

/// The inputs every scenario feeds the hooks, identical to `Benchmarks/python/workload.py`: a task of
/// 80 characters, steps with ~60 characters of code and ~40 of output, rewards of 0.1.
enum WorkloadInputs {
  static let task = "Answer the trivia question using the Python sandbox and report the final answer."
  static let environment = "dspy"
  static let params = RunParams(maxSteps: 50, model: "gpt-4o")
  static let code = "import math\nresult = sum(math.sqrt(i) for i in range(100))\n"
  static let output = "result = 661.4629471031477 (float), ok"

  /// The run id of run `index`: 8 lowercase hex digits, like the runtime's `uuid4().hex[:8]`.
  static func runID(_ index: Int) -> String {
    let hex = String(UInt32(truncatingIfNeeded: index &* 2_654_435_761), radix: 16)
    return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
  }

  static func step(_ number: Int) -> StepEvent {
    StepEvent(
      step: number, action: StepAction(type: "run_python", code: code),
      observation: StepObservation(success: true, output: output), reward: 0.1)
  }

  static func result(steps: Int) -> RunResult {
    RunResult(
      completed: true, steps: steps, totalReward: 0.1 * Double(steps), finalAnswer: "42",
      startedAt: ISO8601Timestamp("2025-01-01T00:00:00+00:00"),
      finishedAt: ISO8601Timestamp("2025-01-01T00:00:05+00:00"))
  }
}
