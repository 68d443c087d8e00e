import CProtobufC

/// Memory for one protobuf-c message tree: every struct, pointer array and byte string of a
/// request is carved from a few large blocks and freed together when the arena goes away, after
/// the request was packed. This is the C-facing side of the encoder; nothing unsafe leaves it.
final class ProtobufArena {
  private var blocks: [UnsafeMutableRawPointer] = []
  private var cursor: UnsafeMutableRawPointer?
  private var remaining = 0
  private let blockSize: Int

  init(blockSize: Int = 64 * 1024) {
    self.blockSize = blockSize
  }

  deinit {
    for block in blocks { block.deallocate() }
  }

  /// Room for `count` values of `T`, zero-filled, 16-byte aligned.
  func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
    let size = max(1, MemoryLayout<T>.stride * count)
    let raw = take(size)
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    return raw.bindMemory(to: T.self, capacity: count)
  }

  /// The UTF-8 bytes of `text`, copied into the arena (protobuf-c needs them until packing).
  func bytes(_ text: String) -> ProtobufCBinaryData {
    var text = text
    return text.withUTF8 { utf8 in copy(UnsafeRawBufferPointer(utf8)) }
  }

  /// `bytes`, copied into the arena.
  func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
    bytes.withUnsafeBytes { copy($0) }
  }

  private func copy(_ source: UnsafeRawBufferPointer) -> ProtobufCBinaryData {
    guard source.count > 0, let base = source.baseAddress else {
      return ProtobufCBinaryData(len: 0, data: nil)
    }
    let destination = take(source.count)
    destination.copyMemory(from: base, byteCount: source.count)
    return ProtobufCBinaryData(len: source.count, data: destination.assumingMemoryBound(to: UInt8.self))
  }

  private func take(_ size: Int) -> UnsafeMutableRawPointer {
    let aligned = (size + 15) & ~15
    if aligned > remaining || cursor == nil {
      let capacity = max(blockSize, aligned)
      let block = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
      blocks.append(block)
      cursor = block
      remaining = capacity
    }
    let result = cursor!
    cursor = result + aligned
    remaining -= aligned
    return result
  }
}
