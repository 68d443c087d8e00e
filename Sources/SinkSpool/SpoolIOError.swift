#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file operation of the spool that failed: which, on what, and the system's reason, said the
/// way a log line should say it ("write /spool/s-….000001.seg: No space left on device (ENOSPC)").
package struct SpoolIOError: Error, Hashable, Sendable, CustomStringConvertible {
  package var operation: String
  package var path: String
  /// The `errno`, or 0 for a refusal of our own (`reason` says which).
  package var code: Int32
  package var reason: String

  package init(_ operation: String, _ path: String, code: Int32) {
    self.operation = operation
    self.path = path
    self.code = code
    self.reason = String(cString: strerror(code))
  }

  package init(_ operation: String, _ path: String, reason: String) {
    self.operation = operation
    self.path = path
    self.code = 0
    self.reason = reason
  }

  package var description: String {
    let name = Self.names[code].map { " (\($0))" } ?? ""
    return "\(operation) \(path): \(reason)\(name)"
  }

  private static let names: [Int32: String] = [
    ENOSPC: "ENOSPC", EDQUOT: "EDQUOT", EFBIG: "EFBIG", EIO: "EIO", EACCES: "EACCES", EPERM: "EPERM",
    EROFS: "EROFS", EEXIST: "EEXIST", ENOENT: "ENOENT", ELOOP: "ELOOP", ENOTDIR: "ENOTDIR",
  ]
}
