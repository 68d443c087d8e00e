import Foundation

/// A Python script of the repository run to completion with the test interpreter
/// (``PythonProcess/python``): its exit status and standard output.
public struct PythonScriptResult: Sendable {
  public var status: Int32
  public var output: String

  /// Runs `python script arguments…` (a relative `script` from the repository root), writing
  /// `input` to its standard input, and waits for it to exit.
  public static func run(_ script: String, _ arguments: [String] = [], input: String = "") throws
    -> PythonScriptResult
  {
    let process = Process()
    let python = PythonProcess.python
    let fullArguments = [PythonProcess.repositoryRoot.appendingPathComponent(script).path] + arguments
    if python.contains("/") {
      process.executableURL = URL(fileURLWithPath: python)
      process.arguments = fullArguments
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [python] + fullArguments
    }
    let stdout = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardInput = stdin
    try process.run()
    // Written from its own thread so that a large input and output never block each other.
    let writer = Thread {
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return PythonScriptResult(
      status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }
}
