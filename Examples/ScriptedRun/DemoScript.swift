import ObservabilitySinks

/// The demo's run: the root model plans every step; step 2 asks the sub model a question
/// (`llm_query`), step 3 hands a check to a child run, step 4 submits. Latencies are short so the
/// whole run sleeps well under a second.
let triviaScript = RunScript(
  task: "What is 6 * 7, and which novel made that number famous?", maxSteps: 10,
  steps: [
    ScriptedStep(
      code: "import dspy\nqa = dspy.Predict('question -> answer')",
      plan: plan(612, 48, "Set up a predictor first."),
      work: .execute(.milliseconds(40), .success("Predictor ready")), reward: 0.5),
    ScriptedStep(
      code: "llm_query('Which novel made the number 42 famous?')",
      plan: plan(655, 31, "Ask the sub model which novel it was."),
      work: .query(
        ScriptedCall(
          promptTokens: 96, completionTokens: 14, latency: .milliseconds(50),
          prompt: "Which novel made the number 42 famous?",
          response: "The Hitchhiker's Guide to the Galaxy")),
      reward: 0.25),
    ScriptedStep(
      code: "delegate('Check that 6 * 7 is 42 with Python', steps=2)",
      plan: plan(702, 36, "Have a child run check the arithmetic."),
      work: .delegate(arithmeticCheck), reward: 0.25),
    ScriptedStep(
      code: "", plan: plan(760, 22, "Both parts are known: submit."),
      work: .submit("42, from The Hitchhiker's Guide to the Galaxy"), reward: 1.0),
  ])

/// The child run of step 3, planned by the sub model in two steps of its own.
let arithmeticCheck = RunScript(
  task: "Check that 6 * 7 is 42 with Python", maxSteps: 2,
  steps: [
    ScriptedStep(
      code: "print(6 * 7)", plan: plan(210, 18, "Compute it."),
      work: .execute(.milliseconds(20), .success("42")), reward: 0.5),
    ScriptedStep(
      code: "", plan: plan(245, 12, "Submit the result."), work: .submit("6 * 7 = 42"), reward: 1.0),
  ])

/// A planning call: the planner is shown the task and the trajectory so far (hence the growing
/// prompts) and answers with the next action and why.
private func plan(_ promptTokens: Int, _ completionTokens: Int, _ rationale: String) -> ScriptedCall {
  ScriptedCall(
    promptTokens: promptTokens, completionTokens: completionTokens, latency: .milliseconds(40),
    prompt: "Plan the next best action.", response: rationale)
}
