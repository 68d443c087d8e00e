public import Foundation
import SinkSupport

/// A Python helper process (such as the OTLP test receiver) that announces `READY <port>` on its
/// first stdout line, optionally followed by more named ports (`READY <port> http=<port> …`), and
/// runs until ``stop()``.
public final class PythonProcess: Sendable {
  /// The TCP port the script announced in its `READY <port>` line.
  public let port: Int
  /// The further `name=<port>` words of the READY line, e.g. `["http": 41234]`; empty if none.
  public let namedPorts: [String: Int]

  private let process: ProcessBox
  private let stdinPipe: Pipe
  private let output: LineCollector
  private let stderrFile: URL
  private let stopped = LockedValue(false)

  /// Starts `python script arguments…` and waits up to `timeout` for a first stdout line
  /// `READY <port>` (optionally followed by ` name=<port>` words).
  ///
  /// A relative `script` is resolved against ``repositoryRoot``. Throws ``PythonProcessError`` with
  /// the script's stderr when it exits, prints something else first, or stays silent too long.
  public init(script: String, arguments: [String] = [], timeout: Duration = .seconds(30)) throws {
    let scriptURL =
      script.hasPrefix("/")
      ? URL(fileURLWithPath: script) : Self.repositoryRoot.appendingPathComponent(script)
    let stderrFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("python-\(UUID().uuidString).stderr")
    _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    let stderrHandle = try FileHandle(forWritingTo: stderrFile)
    defer { try? stderrHandle.close() }

    let process = Process()
    let python = Self.python
    let pythonArguments = ["-c", Self.bootstrap, scriptURL.path] + arguments
    if python.contains("/") {
      process.executableURL = URL(fileURLWithPath: python)
      process.arguments = pythonArguments
    } else {
      // A bare name such as "python3" is looked up on PATH.
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [python] + pythonArguments
    }
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONUNBUFFERED"] = "1"
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    process.environment = environment
    let stdoutPipe = Pipe()
    let stdinPipe = Pipe()
    process.standardOutput = stdoutPipe
    process.standardError = stderrHandle
    // Kept open for the child's whole life: scripts may treat EOF on stdin as "the test died".
    process.standardInput = stdinPipe
    try process.run()

    self.process = ProcessBox(process)
    self.stdinPipe = stdinPipe
    self.stderrFile = stderrFile
    // Drained by its own thread for the child's whole life so a chatty child never blocks on a full pipe.
    self.output = LineCollector(reading: stdoutPipe.fileHandleForReading)

    let stderrText = { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }
    switch output.firstLine(timeout: timeout) {
    case .line(let line):
      guard let (port, namedPorts) = Self.parseReady(line) else {
        Self.terminate(process)
        throw PythonProcessError(
          script: script, reason: "first stdout line was \"\(line)\", not READY <port> [name=<port>…]",
          stderr: stderrText())
      }
      self.port = port
      self.namedPorts = namedPorts
    case .endOfFile:
      process.waitUntilExit()
      throw PythonProcessError(
        script: script, reason: "exited with status \(process.terminationStatus) before READY",
        stderr: stderrText())
    case .timedOut:
      Self.terminate(process)
      throw PythonProcessError(
        script: script, reason: "no READY line within \(timeout)", stderr: stderrText())
    }
  }

  deinit {
    stop()
    try? FileManager.default.removeItem(at: stderrFile)
  }

  /// Sends SIGTERM and waits for the process to exit (SIGKILL after 10 s). Idempotent.
  public func stop() {
    let alreadyStopped = stopped.withLock { stopped in
      defer { stopped = true }
      return stopped
    }
    guard !alreadyStopped else { return }
    Self.terminate(process.process)
    try? stdinPipe.fileHandleForWriting.close()
    output.waitForEndOfFile(timeout: .milliseconds(500))
  }

  /// Lines the script printed after `READY <port>` (e.g. a final `STATS {…}` once stopped).
  public var laterOutputLines: [String] { output.linesAfterFirst }

  /// The interpreter: env OBS_SINKS_TEST_PYTHON, else <repo>/.venv/bin/python, else python3.
  public static var python: String {
    if let configured = ProcessInfo.processInfo.environment["OBS_SINKS_TEST_PYTHON"], !configured.isEmpty {
      return configured
    }
    let venvPython = repositoryRoot.appendingPathComponent(".venv/bin/python").path
    if FileManager.default.isExecutableFile(atPath: venvPython) {
      return venvPython
    }
    return "python3"
  }

  /// The package root, found from #filePath.
  public static var repositoryRoot: URL {
    // This file is <root>/Tests/TestSupport/PythonProcess.swift.
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Runs the script as `python script args` would, after unblocking all signals. Why: the child
  /// inherits the signal mask of the spawning thread, and Swift's concurrency/dispatch threads block
  /// SIGTERM, so without this the script would never see our SIGTERM and could not exit cleanly.
  private static let bootstrap = """
    import os, runpy, signal, sys
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
    runpy.run_path(sys.argv[0], run_name="__main__")
    """

  /// `READY <port>` then any number of `name=<port>` words; nil for anything else.
  static func parseReady(_ line: String) -> (port: Int, named: [String: Int])? {
    let words = line.split(separator: " ")
    guard words.count >= 2, words[0] == "READY", let port = Int(words[1]) else { return nil }
    var named: [String: Int] = [:]
    for word in words.dropFirst(2) {
      let pair = word.split(separator: "=", maxSplits: 1)
      guard pair.count == 2, !pair[0].isEmpty, let value = Int(pair[1]), named[String(pair[0])] == nil
      else { return nil }
      named[String(pair[0])] = value
    }
    return (port, named)
  }

  private static func terminate(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()  // SIGTERM: the receiver stops with grace and flushes its files
    let deadline = ContinuousClock.now + .seconds(10)
    while process.isRunning && ContinuousClock.now < deadline {
      Thread.sleep(forTimeInterval: 0.01)
    }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
  }
}

/// Why a ``PythonProcess`` could not be started.
public struct PythonProcessError: Error, CustomStringConvertible {
  /// The script that was started.
  public let script: String
  /// What went wrong.
  public let reason: String
  /// Everything the script wrote to stderr (usually the Python traceback).
  public let stderr: String

  /// A one-paragraph explanation including the script's stderr.
  public var description: String {
    "\(script): \(reason)\n--- stderr ---\n\(stderr)"
  }
}

/// `Process` is not `Sendable`; it is only touched under `PythonProcess`'s stop flag.
private final class ProcessBox: @unchecked Sendable {
  let process: Process
  init(_ process: Process) { self.process = process }
}
