#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One open spool file (a segment or a lock file), its descriptor's only owner: closed when the
/// object goes. Every path is opened without following a symbolic link and must be a regular
/// file, so a hostile directory entry cannot redirect a write or make a read block on a FIFO.
/// C-facing: it calls the system's file operations with pointers to the bytes.
///
/// Appends are whole-record: `append` writes the bytes at the end it keeps (`pwrite`, looping on
/// short writes and `EINTR`) and, if that fails part-way, cuts the file back to where it was, so
/// a full disk never leaves half a record behind.
package final class SpoolFile {
  package let path: String
  private let descriptor: Int32
  /// Where the next append goes: the file's size as this object knows it.
  package private(set) var size: Int

  private init(path: String, descriptor: Int32, size: Int) {
    self.path = path
    self.descriptor = descriptor
    self.size = size
  }

  deinit { close(descriptor) }

  /// Creates `path`, which must not exist, for reading and writing, owner-only (0600).
  package static func create(_ path: String) throws(SpoolIOError) -> SpoolFile {
    let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
    guard descriptor >= 0 else { throw SpoolIOError("create", path, code: errno) }
    return SpoolFile(path: path, descriptor: descriptor, size: 0)
  }

  /// Opens an existing regular file; `writable` for appends, truncation and locking by writers.
  package static func open(_ path: String, writable: Bool) throws(SpoolIOError) -> SpoolFile {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the check below refuses it anyway.
    let flags = (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
    let descriptor = Glibc.open(path, flags)
    guard descriptor >= 0 else { throw SpoolIOError("open", path, code: errno) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let code = errno
      close(descriptor)
      throw SpoolIOError("stat", path, code: code)
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw SpoolIOError("open", path, reason: "not a regular file")
    }
    // Back to blocking I/O for a regular file (where it makes no difference, but say what we mean).
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    return SpoolFile(path: path, descriptor: descriptor, size: Int(info.st_size))
  }

  /// Opens any path for writing without the regular-file check, so that tests reach the failure
  /// paths through devices (`/dev/full` answers every write with `ENOSPC`).
  package static func openForTesting(_ path: String) throws(SpoolIOError) -> SpoolFile {
    let descriptor = Glibc.open(path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SpoolIOError("open", path, code: errno) }
    return SpoolFile(path: path, descriptor: descriptor, size: 0)
  }

  /// Writes `bytes` at the end; on failure the file is cut back to its size before the call.
  package func append(_ bytes: [UInt8]) throws(SpoolIOError) {
    let start = size
    var written = 0
    let failure: Int32? = bytes.withUnsafeBytes { buffer in
      while written < buffer.count {
        let result = pwrite(
          descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(start + written))
        if result < 0 {
          if errno == EINTR { continue }
          return errno
        }
        written += result
      }
      return nil
    }
    if let failure {
      if written > 0 { _ = ftruncate(descriptor, off_t(start)) }
      throw SpoolIOError("write", path, code: failure)
    }
    size = start + written
  }

  /// Up to `count` bytes from `offset` (fewer at the end of the file).
  package func read(at offset: Int, count: Int) throws(SpoolIOError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    let failure: Int32? = bytes.withUnsafeMutableBytes { buffer in
      while filled < count {
        let result = pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
        if result < 0 {
          if errno == EINTR { continue }
          return errno
        }
        if result == 0 { break }
        filled += result
      }
      return nil
    }
    if let failure { throw SpoolIOError("read", path, code: failure) }
    bytes.removeLast(count - filled)
    return bytes
  }

  /// The whole file, if it is at most `limit` bytes (a hostile file cannot make us load it).
  package func readAll(limit: Int) throws(SpoolIOError) -> [UInt8] {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw SpoolIOError("stat", path, code: errno) }
    guard Int(info.st_size) <= limit else {
      throw SpoolIOError("read", path, reason: "\(info.st_size) bytes, over the \(limit)-byte limit")
    }
    return try read(at: 0, count: Int(info.st_size))
  }

  /// Cuts the file to `length` bytes (a torn tail away); later appends go there.
  package func truncate(to length: Int) throws(SpoolIOError) {
    guard ftruncate(descriptor, off_t(length)) == 0 else { throw SpoolIOError("truncate", path, code: errno) }
    size = length
  }

  /// Puts what was written on the disk (`fdatasync`): the machine-crash loss window ends here.
  package func sync() throws(SpoolIOError) {
    while fdatasync(descriptor) != 0 {
      guard errno == EINTR else { throw SpoolIOError("sync", path, code: errno) }
    }
  }

  /// Takes this open file's exclusive `flock` if no other open file holds it. An `flock` belongs
  /// to the open file, not the process, so two sinks in one process exclude each other too, and
  /// the kernel lets go of it only when the file is closed: the owner shut down, exited or died.
  package func tryLock() throws(SpoolIOError) -> Bool {
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      if errno == EINTR { continue }
      if errno == EWOULDBLOCK { return false }
      throw SpoolIOError("lock", path, code: errno)
    }
    return true
  }
}

/// Directory operations of the spool.
package enum SpoolDirectory {
  /// Makes a file's creation, rename or removal in `path` durable (`fsync` of the directory).
  package static func sync(_ path: String) throws(SpoolIOError) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw SpoolIOError("open", path, code: errno) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw SpoolIOError("sync", path, code: errno) }
  }

  /// The names in the directory `path` (without `.` and `..`), at most `limit` of them.
  package static func entries(_ path: String, limit: Int = 100_000) throws(SpoolIOError) -> [String] {
    guard let directory = opendir(path) else { throw SpoolIOError("list", path, code: errno) }
    defer { closedir(directory) }
    var names: [String] = []
    while names.count < limit, let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The network file system `path` is on (`nfs4`, `cifs`, …, as `/proc/self/mountinfo` names
  /// it), `nil` for a local one or when it cannot be told: there a lock may not keep the hosts
  /// that share the directory apart.
  package static func networkFileSystem(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    guard let table = readVirtualFile("/proc/self/mountinfo", limit: 4 << 20) else { return nil }
    return MountTable(String(decoding: table, as: UTF8.self)).networkFileSystem(of: String(cString: resolved))
  }

  /// A file the kernel makes up as it is read (its size says 0), read to its end.
  private static func readVirtualFile(_ path: String, limit: Int) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while bytes.count < limit {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { return nil }
      if count == 0 { return bytes }
      bytes += chunk.prefix(count)
    }
    return nil
  }

  /// The soft limit on the size of a file this process may write (`RLIMIT_FSIZE`), if any.
  /// Writing past it raises `SIGXFSZ`, whose default action ends the process: segments stay below.
  package static func fileSizeLimit() -> Int? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max
    else { return nil }
    return Int(clamping: limit.rlim_cur)
  }
}
