import Foundation
import TestSupport

/// Runs `Tests/Receiver/otlp_codec.py`, the official opentelemetry-proto classes, on bytes.
enum PythonCodec {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Decodes a request with the official classes; returns its JSON form.
  static func decode(_ kind: String, _ bytes: [UInt8]) throws -> [String: Any] {
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(bytes).write(to: file)
    let output = try run(["decode", kind, file.path])
    guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
      throw Failure(description: "not a JSON object: \(output)")
    }
    return object
  }

  /// Bytes the official classes produce for `arguments` (the last argument is the output file).
  static func produce(_ arguments: [String]) throws -> [UInt8] {
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(at: file) }
    _ = try run(arguments + [file.path])
    return [UInt8](try Data(contentsOf: file))
  }

  private static func temporaryFile() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("otlp-codec-\(UUID().uuidString).bin")
  }

  private static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: PythonProcess.python)
    process.arguments =
      [PythonProcess.repositoryRoot.appendingPathComponent("Tests/Receiver/otlp_codec.py").path] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(
        description:
          "otlp_codec.py \(arguments.first ?? "") failed: \(String(decoding: errorData, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self)
  }
}

extension Dictionary where Key == String, Value == Any {
  subscript(path path: String...) -> Any? {
    var current: Any? = self
    for component in path {
      if let index = Int(component), let array = current as? [Any] {
        current = index < array.count ? array[index] : nil
      } else {
        current = (current as? [String: Any])?[component]
      }
    }
    return current
  }
}
