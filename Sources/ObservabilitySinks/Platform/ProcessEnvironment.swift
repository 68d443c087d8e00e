#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process environment, read without Foundation (which costs ≈ 9 MB of resident memory that
/// a telemetry library has no business adding to its host).
package enum ProcessEnvironment {
  /// The variables of this process, as `environ` holds them now.
  package static func current() -> [String: String] {
    var values: [String: String] = [:]
    var index = 0
    while let entry = environ[index] {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        values[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      index += 1
    }
    return values
  }
}
