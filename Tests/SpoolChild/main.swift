// A process that records runs through a sink built from its environment (a spool among it) and
// then dies as it is told: the child of the spool's crash tests. Public API only.
//
//   SpoolChild start:R step:R flush llm:R child:C:R spooled:3 sigkill
//
// Commands, in order: start:R, child:C:P (a run under P's step in progress), step:R, steps:R:N, llm:R,
// end:R, flush (prints "flushed true|false"), spooled:N (waits until N spans wait in the spool),
// shutdown:SECONDS (prints "shutdown true|false"), status (prints counters), produce:S:RATE:FILE
// (the spool soak's producer), sigkill, abort.
import Foundation
import ObservabilitySinks

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a line at once (print buffers, and a killed process never flushes).
func say(_ items: Any...) {
  FileHandle.standardOutput.write(Data((items.map { "\($0)" }.joined(separator: " ") + "\n").utf8))
}

let sink = createOtelSinkFromEnv()
var steps: [String: Int] = [:]
for command in CommandLine.arguments.dropFirst() {
  let parts = command.split(separator: ":").map(String.init)
  switch parts[0] {
  case "start":
    sink.onRunStart(
      runID: parts[1], task: "task \(parts[1])", environment: "child", params: RunParams(maxSteps: 9))
  case "child":
    sink.onRunStart(
      runID: parts[1], task: "sub-task \(parts[1])", environment: "child",
      params: RunParams(maxSteps: 9, parentRunID: parts[2], depth: 1))
  case "step", "steps":
    // steps:R:N is N steps at once.
    for _ in 0..<(parts.count > 2 ? Int(parts[2]) ?? 1 : 1) {
      let step = (steps[parts[1]] ?? 0) + 1
      steps[parts[1]] = step
      sink.onStep(
        runID: parts[1],
        event: StepEvent(
          step: step, action: StepAction(type: "run_python", code: "print(\(step))"), reward: 0.5),
        cumulativeReward: Double(step) / 2)
    }
  case "llm":
    let start = ContinuousClock.now
    sink.onLLMCall(
      runID: parts[1],
      call: LLMCall(
        model: "gpt-4o-mini", role: .sub, promptTokens: 10, completionTokens: 2, start: start, end: .now))
  case "end":
    sink.onRunEnd(
      runID: parts[1], result: RunResult(completed: true, steps: steps[parts[1]] ?? 0), runPath: "")
  case "flush":
    say("flushed", sink.syncForceFlush(timeout: .seconds(10)))
  case "spooled":
    let wanted = Int(parts[1]) ?? 0
    let deadline = ContinuousClock.now + .seconds(10)
    while sink.status().spoolSpans < wanted, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(5))
    }
    say("spooled", sink.status().spoolSpans)
  case "shutdown":
    say("shutdown", sink.syncShutdown(timeout: .seconds(Int64(parts[1]) ?? 5)))
  case "status":
    let status = sink.status()
    say(
      "status recorded=\(status.spansRecorded) exported=\(status.spansExported) recovered=\(status.spansRecovered)"
        + " runsRecovered=\(status.runsRecovered) pending=\(status.spansPending) spool=\(status.spoolSpans)"
        + " failed=\(status.spansFailed) dropped=\(status.spansDropped) discarded=\(status.spoolSpansDiscarded)"
    )
  case "produce":
    // produce:SECONDS:RATE:FILE — runs of 9 steps at RATE spans a second for SECONDS, then a
    // shutdown; FILE is rewritten every 10 ms with what was produced so far (a run counts at its
    // start: its span arrives ended or, after a kill, rebuilt), so a soak knows it after a kill.
    let seconds = Double(parts[1]) ?? 5
    let rate = max(1, Double(parts[2]) ?? 1000)
    let trail = FileHandle(forWritingAtPath: parts[3])
    let began = ContinuousClock.now
    var produced = 0
    var lastTrail = began
    var run = 0
    while ContinuousClock.now - began < .seconds(seconds) {
      let runID = "p\(getpid())-\(run)"
      run += 1
      sink.onRunStart(runID: runID, task: "soak", environment: "child", params: RunParams(maxSteps: 9))
      produced += 1
      for step in 1...9 {
        sink.onStep(
          runID: runID,
          event: StepEvent(step: step, action: StepAction(type: "run_python", code: "x"), reward: 1),
          cumulativeReward: Double(step))
        produced += 1
        // Paced: the soak is about faults, not throughput.
        let due = began + .seconds(Double(produced) / rate)
        if due > .now { try? await Task.sleep(until: due) }
        if ContinuousClock.now - lastTrail >= .milliseconds(10) {
          trail?.seek(toFileOffset: 0)
          trail?.write(Data(Array(String(produced).utf8) + [10]))
          lastTrail = .now
        }
      }
      sink.onRunEnd(runID: runID, result: RunResult(completed: true, steps: 9), runPath: "")
    }
    trail?.seek(toFileOffset: 0)
    trail?.write(Data(Array(String(produced).utf8) + [10]))
    say("produced", produced)
  case "sigkill":
    kill(getpid(), SIGKILL)
  case "abort":
    abort()
  default:
    say("unknown command \(command)")
    exit(2)
  }
}
