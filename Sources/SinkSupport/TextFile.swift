#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads small files (PEM certificates and keys, replay inputs) without Foundation.
package enum TextFile {
  /// Why a file could not be read, in words.
  package struct ReadError: Error, CustomStringConvertible {
    package var description: String
  }

  /// The file's text; refuses a file that is not UTF-8.
  package static func read(_ path: String, limit: Int = 16 * 1024 * 1024) throws(ReadError) -> String {
    let bytes = try self.bytes(path, limit: limit)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ReadError(description: "not UTF-8 text")
    }
    return text
  }

  /// The file's bytes, at most `limit` of them.
  package static func bytes(_ path: String, limit: Int = 16 * 1024 * 1024) throws(ReadError) -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw ReadError(description: String(cString: strerror(errno))) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
      let count = fread(&chunk, 1, chunk.count, file)
      bytes += chunk[..<count]
      if count < chunk.count { break }
      guard bytes.count <= limit else { throw ReadError(description: "larger than \(limit) bytes") }
    }
    // fopen succeeds on a directory; the read then fails with EISDIR, which says it best.
    guard ferror(file) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
    return bytes
  }
}
