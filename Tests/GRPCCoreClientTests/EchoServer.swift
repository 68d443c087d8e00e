import Foundation
import GRPCCoreClient
import TestSupport

/// The Python echo server of this directory and a client connected to it.
struct EchoServer {
  let process: PythonProcess
  var target: String { "127.0.0.1:\(process.port)" }

  init() throws {
    process = try PythonProcess(script: "Tests/GRPCCoreClientTests/echo_server.py")
  }

  func client(options: ChannelOptions = ChannelOptions()) throws -> GRPCClient {
    try GRPCClient(target: target, security: .insecure, options: options)
  }

  static let echo = "/test.Echo/Echo"
  static let metadata = "/test.Echo/Metadata"
  static let decodeTrace = "/test.Echo/DecodeTrace"
  static let decodeMetrics = "/test.Echo/DecodeMetrics"
}

/// Names of this process's live threads.
func liveThreadNames() -> [String] {
  let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
  return tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
    .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// How many file descriptors this process holds.
func openFileDescriptorCount() -> Int {
  (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? -1
}

/// Parses a JSON object response.
func jsonObject(_ bytes: [UInt8]?) throws -> [String: Any] {
  let object = try JSONSerialization.jsonObject(with: Data(bytes ?? []))
  return object as? [String: Any] ?? [:]
}
