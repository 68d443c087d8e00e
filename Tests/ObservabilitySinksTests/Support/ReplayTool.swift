import Foundation

/// Runs a product built beside the test bundle (`rlm-otel-replay`, `SinkFuzz`) as a subprocess.
enum BuiltTool {
  struct Run {
    var status: Int32
    /// `false` when the process died of a signal (a trap), not by exiting.
    var exited: Bool
    var stdout: String
    var stderr: String
  }

  static func url(_ name: String) -> URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
  }

  /// Runs `name` with exactly `environment` (nothing of this process's leaks in); output goes
  /// through files, so that a chatty tool cannot fill a pipe and block.
  static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
    // An absolute path runs as it is (/usr/bin/env, for a tool under a shell).
    let executable = name.hasPrefix("/") ? URL(fileURLWithPath: name) : url(name)
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
      throw ToolMissing(
        description: "build \(name) first (swift build --build-tests builds it): \(executable.path)")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("stdout")
    let err = directory.appendingPathComponent("stderr")
    try Data().write(to: out)
    try Data().write(to: err)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let ended = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in ended.signal() }
    try process.run()
    // A tool that hangs fails its test instead of holding up the suite.
    if ended.wait(timeout: .now() + .seconds(180)) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, exited: process.terminationReason == .exit,
      stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }

  struct ToolMissing: Error, CustomStringConvertible {
    var description: String
  }
}

/// A temporary file holding `bytes`, removed by `remove()`.
struct TemporaryFile {
  let path: String

  init(_ bytes: [UInt8], name: String = "input.jsonl") throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "input-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    path = directory.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  init(_ text: String, name: String = "input.jsonl") throws {
    try self.init(Array(text.utf8), name: name)
  }

  func remove() {
    try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
  }
}
