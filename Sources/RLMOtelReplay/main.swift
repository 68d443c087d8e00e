// rlm-otel-replay: replays recorded hook calls through a sink built from the environment.
//
//   rlm-otel-replay SCRIPT.json [--driver-out FILE] [--sleep-scale X]
//       plays a hook script (the golden-fixture format), writes the driver file (status and every
//       get_trace_id answer), then flushes and shuts the sink down.
import Foundation
import ObservabilitySinks

struct Usage: Error, CustomStringConvertible {
  var description: String
}

func writeError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

func parseArguments(_ arguments: [String]) throws -> (script: String, driverOut: String?, sleepScale: Double)
{
  var script: String?
  var driverOut: String?
  var sleepScale = 1.0
  var index = 0
  while index < arguments.count {
    let argument = arguments[index]
    switch argument {
    case "--driver-out", "--sleep-scale":
      guard index + 1 < arguments.count else { throw Usage(description: "\(argument) needs a value") }
      if argument == "--driver-out" {
        driverOut = arguments[index + 1]
      } else {
        guard let scale = Double(arguments[index + 1]), scale >= 0 else {
          throw Usage(description: "--sleep-scale needs a number >= 0")
        }
        sleepScale = scale
      }
      index += 2
    case "-h", "--help":
      throw Usage(description: "usage: rlm-otel-replay SCRIPT.json [--driver-out FILE] [--sleep-scale X]")
    default:
      guard script == nil, !argument.hasPrefix("--") else {
        throw Usage(description: "unexpected argument \(argument)")
      }
      script = argument
      index += 1
    }
  }
  guard let script else { throw Usage(description: "usage: rlm-otel-replay SCRIPT.json [--driver-out FILE]") }
  return (script, driverOut, sleepScale)
}

do {
  let options = try parseArguments(Array(CommandLine.arguments.dropFirst()))
  let text = try String(contentsOfFile: options.script, encoding: .utf8)
  let script = try HookScript(json: text)
  let sink = createOtelSinkFromEnv()
  let observations = HookScriptPlayer(sleepScale: options.sleepScale).play(script, on: sink)
  let status = sink.status()
  if let driverOut = options.driverOut {
    let driver = JSONValue.object([
      (
        "status",
        .object(
          ["name", "enabled", "available", "detail", "service_name", "metrics_enabled"].map {
            ($0, status.dictionary[$0]!.json)
          })
      ),
      (
        "observations",
        .array(
          observations.map {
            .object([
              ("call", .int(Int64($0.call))), ("run_id", .string($0.runId)), ("label", .string($0.label)),
              ("trace_id", $0.traceId.map { .string($0) } ?? .null),
            ])
          })
      ),
    ])
    try Data((driver.jsonText + "\n").utf8).write(to: URL(fileURLWithPath: driverOut))
  }
  let delivered = sink.shutdown(timeout: .seconds(30))
  let final = sink.status()
  writeError(
    "replayed \(script.calls.count) calls: spans recorded \(final.spansRecorded), exported \(final.spansExported), "
      + "dropped \(final.spansDropped), failed \(final.spansFailed)"
      + (final.lastError.map { "; last error: \($0)" } ?? ""))
  exit(delivered ? 0 : 1)
} catch {
  writeError("rlm-otel-replay: \(error)")
  exit(2)
}
