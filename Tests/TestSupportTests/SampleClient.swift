import Foundation
import TestSupport

/// What `Tests/Receiver/send_sample.py` reported about its last Export call.
struct SampleResult {
  let code: String
  let details: String
  let partialSuccess: [String: Any]
  let trailers: [String: Any]
  let retryDelayMilliseconds: Int?
  let elapsedSeconds: Double
}

/// Runs the independent Python grpcio client against a receiver port.
func sendSample(port: Int, _ arguments: [String] = []) throws -> SampleResult {
  let process = Process()
  let python = PythonProcess.python
  let script = PythonProcess.repositoryRoot.appendingPathComponent("Tests/Receiver/send_sample.py").path
  let fullArguments = [script, "--port", String(port)] + arguments
  if python.contains("/") {
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = fullArguments
  } else {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python] + fullArguments
  }
  let stdout = Pipe()
  process.standardOutput = stdout
  try process.run()
  let data = stdout.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
  guard process.terminationStatus == 0,
    let object = try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any]
  else {
    throw SampleClientError(output: lastLine, status: process.terminationStatus)
  }
  return SampleResult(
    code: object["code"] as? String ?? "", details: object["details"] as? String ?? "",
    partialSuccess: object["partial_success"] as? [String: Any] ?? [:],
    trailers: object["trailers"] as? [String: Any] ?? [:],
    retryDelayMilliseconds: object["retry_delay_ms"] as? Int,
    elapsedSeconds: object["elapsed_s"] as? Double ?? 0)
}

struct SampleClientError: Error {
  let output: String
  let status: Int32
}
