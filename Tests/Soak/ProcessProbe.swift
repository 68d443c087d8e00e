import SinkSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the soak watches in its own process: resident memory, open file descriptors, threads
/// (Linux `/proc/self`). This file is C-facing (`opendir`/`readdir`).
struct ProcessProbe: Equatable {
  var residentKilobytes: Int
  var openFileDescriptors: Int
  var threads: Int

  /// The current figures; -1 for one that cannot be read (not Linux).
  static func now() -> ProcessProbe {
    ProcessProbe(
      residentKilobytes: statusKilobytes("VmRSS"),
      // The directory being listed holds one descriptor itself; it is not ours to count.
      openFileDescriptors: max(-1, entries(in: "/proc/self/fd") - 1),
      threads: entries(in: "/proc/self/task"))
  }

  var json: String {
    "{\"rss_kb\":\(residentKilobytes),\"fds\":\(openFileDescriptors),\"threads\":\(threads)}"
  }

  /// A `kB` field of `/proc/self/status`.
  private static func statusKilobytes(_ field: String) -> Int {
    guard let text = try? TextFile.read("/proc/self/status") else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      return Int(line.dropFirst(field.count + 1).filter(\.isNumber)) ?? -1
    }
    return -1
  }

  /// The entries of a directory, without `.` and `..`.
  private static func entries(in path: String) -> Int {
    guard let directory = opendir(path) else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      if name != [UInt8(ascii: ".")] && name != [UInt8(ascii: "."), UInt8(ascii: ".")] { count += 1 }
    }
    return count
  }
}
