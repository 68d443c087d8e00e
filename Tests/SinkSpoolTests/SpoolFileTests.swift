import Foundation
import Testing

@testable import SinkSpool

@Suite("Spool files: exclusive creation, whole appends, no links or FIFOs, flock between open files")
struct SpoolFileTests {
  /// A fresh directory of the test's own.
  static func directory() throws -> String {
    let path = NSTemporaryDirectory() + "spool-file-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
  }

  @Test func appendsReadBackAndATornTailIsCutAway() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = try SpoolFile.create(directory + "/a.seg")
    try file.append([1, 2, 3])
    try file.append(Array(repeating: 9, count: 100_000))
    try file.sync()
    #expect(file.size == 100_003)
    #expect(try file.read(at: 0, count: 4) == [1, 2, 3, 9])
    #expect(try file.read(at: 100_001, count: 10) == [9, 9])
    try file.truncate(to: 2)
    try file.append([7])
    let reopened = try SpoolFile.open(directory + "/a.seg", writable: false)
    #expect(try reopened.readAll(limit: 1 << 20) == [1, 2, 7])
    #expect(reopened.size == 3)
    #expect(throws: SpoolIOError.self) { try reopened.readAll(limit: 2) }
    try SpoolDirectory.sync(directory)
    let mode =
      try FileManager.default.attributesOfItem(atPath: directory + "/a.seg")[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func creatingAFileThatExistsIsRefused() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    _ = try SpoolFile.create(directory + "/a.seg")
    let error = #expect(throws: SpoolIOError.self) { try SpoolFile.create(directory + "/a.seg") }
    #expect(error?.code == EEXIST)
    #expect(error?.description == "create \(directory)/a.seg: File exists (EEXIST)")
  }

  @Test func aSymbolicLinkAFIFOAndADirectoryAreNeverOpened() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(FileManager.default.createFile(atPath: directory + "/target", contents: Data([1])))
    try FileManager.default.createSymbolicLink(
      atPath: directory + "/link.seg", withDestinationPath: directory + "/target")
    #expect(mkfifo(directory + "/fifo.seg", 0o600) == 0)
    try FileManager.default.createDirectory(
      atPath: directory + "/dir.seg", withIntermediateDirectories: false)

    let link = #expect(throws: SpoolIOError.self) {
      try SpoolFile.open(directory + "/link.seg", writable: true)
    }
    #expect(link?.code == ELOOP)
    #expect(throws: SpoolIOError.self) { try SpoolFile.create(directory + "/link.seg") }
    // Opened without blocking for a writer, then refused.
    let fifo = #expect(throws: SpoolIOError.self) {
      try SpoolFile.open(directory + "/fifo.seg", writable: false)
    }
    #expect(fifo?.reason == "not a regular file")
    let folder = #expect(throws: SpoolIOError.self) {
      try SpoolFile.open(directory + "/dir.seg", writable: false)
    }
    #expect(folder != nil)
  }

  @Test func aLockIsHeldByOneOpenFileAtATimeAndGoesWithIt() throws {
    let directory = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var owner: SpoolFile? = try SpoolFile.create(directory + "/s.lock")
    #expect(try owner?.tryLock() == true)
    // A second open file of the same path, in the same process: excluded (flock, not fcntl).
    let other = try SpoolFile.open(directory + "/s.lock", writable: true)
    #expect(try other.tryLock() == false)
    owner = nil
    #expect(try other.tryLock() == true)
    withExtendedLifetime(owner) {}
  }

  @Test func aFullDiskFailsTheAppendWithItsReason() throws {
    // /dev/full answers every write with ENOSPC. It is no regular file, so it is opened here the
    // way a segment is created, to reach append's failure path.
    let error = #expect(throws: SpoolIOError.self) {
      let file = try SpoolFile.openForTesting("/dev/full")
      try file.append([1, 2, 3])
    }
    #expect(error?.code == ENOSPC)
    #expect(error?.description.hasSuffix("No space left on device (ENOSPC)") == true)
  }

  /// A network file system is named (its locks may not keep hosts apart); a local one is not.
  @Test func aNetworkFileSystemIsToldFromTheMountTable() {
    let table = MountTable(
      """
      22 27 0:21 / /proc rw,relatime - proc proc rw
      27 1 259:1 / / rw,relatime - ext4 /dev/vda rw
      40 27 0:50 / /home rw,relatime shared:5 - nfs4 server:/home rw,vers=4.2
      41 40 0:51 / /home/me/local\\040disk rw,relatime - ext4 /dev/vdb rw
      42 27 0:52 / /mnt/box rw - fuse.sshfs me@box: rw
      garbage
      """)
    #expect(table.mounts.count == 5)
    #expect(table.networkFileSystem(of: "/home/me/spool") == "nfs4")
    #expect(table.networkFileSystem(of: "/home") == "nfs4")
    // A local disk mounted below the network one (its point written with \040 for the space).
    #expect(table.networkFileSystem(of: "/home/me/local disk/spool") == nil)
    #expect(table.networkFileSystem(of: "/home/me/local diskette") == "nfs4")
    #expect(table.networkFileSystem(of: "/mnt/box/spool") == "fuse.sshfs")
    #expect(table.networkFileSystem(of: "/var/spool") == nil)
    #expect(table.networkFileSystem(of: "/homework") == nil)
    // This machine's temporary directory is local; a path that does not exist cannot be told.
    #expect(SpoolDirectory.networkFileSystem(NSTemporaryDirectory()) == nil)
    #expect(SpoolDirectory.networkFileSystem("/no/such/directory") == nil)
  }
}
