/// The mounts of `/proc/self/mountinfo`, to tell which file system a path is on.
package struct MountTable {
  /// Mount point and file system type, in the table's order (a later mount hides an earlier one).
  package var mounts: [(point: String, type: String)] = []

  /// File system types that live on another host (a FUSE one is named `fuse.<program>`).
  static let networkTypes: Set = [
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "lustre", "gpfs", "afs", "glusterfs",
    "beegfs", "orangefs", "fuse.sshfs", "fuse.glusterfs", "fuse.s3fs", "fuse.gcsfuse", "fuse.rclone",
    "fuse.ceph-fuse",
  ]

  /// Reads the table's text; lines it cannot parse are left out.
  package init(_ text: String) {
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count > 4, let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count
      else { continue }
      mounts.append((Self.unescaped(fields[4]), String(fields[separator + 1])))
    }
  }

  /// The network file system type of the mount `path` (absolute, resolved) is on, if it is one.
  package func networkFileSystem(of path: String) -> String? {
    // The deepest mount point above the path; of two at one point, the later (it hides the other).
    var found: (point: String, type: String)?
    for mount in mounts
    where mount.point == "/" || path == mount.point || path.hasPrefix(mount.point + "/") {
      if mount.point.utf8.count >= (found?.point.utf8.count ?? 0) { found = mount }
    }
    guard let type = found?.type, Self.networkTypes.contains(type) else { return nil }
    return type
  }

  /// A mount point as the table writes it: space, tab, newline and backslash as `\ooo`.
  static func unescaped(_ field: Substring) -> String {
    var bytes: [UInt8] = []
    var rest = Array(field.utf8)[...]
    while let byte = rest.popFirst() {
      if byte == UInt8(ascii: "\\"), rest.count >= 3,
        let value = UInt8(String(decoding: rest.prefix(3), as: UTF8.self), radix: 8)
      {
        bytes.append(value)
        rest = rest.dropFirst(3)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
