#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads small text files (PEM certificates and keys) without Foundation.
package enum TextFile {
  /// Why a file could not be read, in words.
  package struct ReadError: Error, CustomStringConvertible {
    package var description: String
  }

  package static func read(_ path: String, limit: Int = 16 * 1024 * 1024) throws(ReadError) -> String {
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
    guard ferror(file) == 0 else { throw ReadError(description: "read error") }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ReadError(description: "not UTF-8 text")
    }
    return text
  }
}
