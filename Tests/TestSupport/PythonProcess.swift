import Foundation
import Synchronization

/// A Python helper process (a test server) that announces its port with a first stdout line `READY <port>`.
public final class PythonProcess: Sendable {
  /// Why a helper could not be started.
  public enum Failure: Error, CustomStringConvertible {
    /// The process did not print `READY <port>` in time (or exited first); `output` is what it printed.
    case notReady(script: String, output: String)

    /// A readable explanation.
    public var description: String {
      switch self {
      case .notReady(let script, let output): "\(script) did not print 'READY <port>'; stdout: \(output)"
      }
    }
  }

  /// The port from the `READY <port>` line.
  public let port: Int
  private let process: Mutex<Process?>

  /// Starts `python script arguments…` and waits up to `timeout` for a first stdout line `READY <port>`.
  ///
  /// `script` is a path, absolute or relative to ``repositoryRoot``. The helper's stdin is a pipe
  /// kept open for its lifetime, so a helper may exit when it reads end-of-file (the test process died).
  public init(script: String, arguments: [String] = [], timeout: Duration = .seconds(30)) throws {
    let scriptURL =
      script.hasPrefix("/")
      ? URL(fileURLWithPath: script) : Self.repositoryRoot.appendingPathComponent(script)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [Self.python, "-u", scriptURL.path] + arguments
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardInput = Pipe()
    process.standardError = FileHandle.standardError
    try process.run()

    let firstLine = Self.readFirstLine(from: stdout.fileHandleForReading, timeout: timeout)
    let words = firstLine?.split(separator: " ") ?? []
    guard words.count == 2, words[0] == "READY", let port = Int(words[1]) else {
      process.terminate()
      process.waitUntilExit()
      throw Failure.notReady(script: script, output: firstLine ?? "<nothing>")
    }
    self.port = port
    self.process = Mutex(process)
  }

  deinit {
    stop()
  }

  /// Sends SIGTERM and waits for the process to exit (SIGKILL after 5 s); idempotent.
  public func stop() {
    guard let process = process.withLock({ $0.take() }) else { return }
    if process.isRunning { process.terminate() }
    // A child may inherit SIGTERM blocked from the spawning thread: do not wait forever.
    let giveUp = ContinuousClock.now + .seconds(5)
    while process.isRunning && ContinuousClock.now < giveUp { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  /// The interpreter: env `OBS_SINKS_TEST_PYTHON`, else `<repo>/.venv/bin/python`, else `python3`.
  public static var python: String {
    if let configured = ProcessInfo.processInfo.environment["OBS_SINKS_TEST_PYTHON"], !configured.isEmpty {
      return configured
    }
    let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
  }

  /// The package root, found from `#filePath` (this file is `<root>/Tests/TestSupport/PythonProcess.swift`).
  public static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Reads up to the first newline on a helper thread; `nil` on timeout or end-of-file before one.
  private static func readFirstLine(from handle: FileHandle, timeout: Duration) -> String? {
    let line = Mutex<String?>(nil)
    let done = DispatchSemaphore(value: 0)
    let reader = Thread {
      var bytes: [UInt8] = []
      while !bytes.contains(UInt8(ascii: "\n")) {
        let chunk = handle.availableData  // blocks; empty at end-of-file
        if chunk.isEmpty { break }
        bytes += chunk
      }
      let text = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
      line.withLock { $0 = bytes.isEmpty ? nil : text }
      done.signal()
    }
    reader.start()
    let (seconds, attoseconds) = timeout.components
    let waited = done.wait(
      timeout: .now() + .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
    return waited == .success ? line.withLock { $0 } : nil
  }
}
