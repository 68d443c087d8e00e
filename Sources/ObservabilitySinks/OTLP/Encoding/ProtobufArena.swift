import COTLPProto
import CProtobufC

/// Memory for one protobuf-c message tree at a time: every struct, pointer array and byte string of
/// a request is carved from large blocks, and ``reset()`` makes them all free again once the request
/// is packed. Reusing the blocks across requests keeps the kernel out of the encoder (fresh blocks
/// cost a page fault per 4 KiB). This is the C-facing side of the encoder; nothing unsafe leaves it.
final class ProtobufArena {
  private var blocks: [(start: UnsafeMutableRawPointer, capacity: Int)] = []
  private var blockIndex = -1
  private var cursor: UnsafeMutableRawPointer?
  private var remaining = 0
  private let blockSize: Int

  init(blockSize: Int = 64 * 1024) {
    self.blockSize = blockSize
  }

  deinit {
    for block in blocks { block.start.deallocate() }
  }

  /// Makes every block free again; what was allocated before must no longer be used.
  func reset() {
    blockIndex = -1
    cursor = nil
    remaining = 0
  }

  /// Room for `count` values of `T`, 16-byte aligned, not initialised: every caller fills it
  /// (protobuf-c's `__init` functions write whole messages; pointer arrays are filled entry by entry).
  func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
    let size = max(1, MemoryLayout<T>.stride * count)
    return take(size).bindMemory(to: T.self, capacity: count)
  }

  /// Eight bytes holding `value` big-endian (trace and span ids).
  func bytes(bigEndian value: UInt64) -> ProtobufCBinaryData {
    let destination = take(8)
    destination.storeBytes(of: value.bigEndian, as: UInt64.self)
    return ProtobufCBinaryData(len: 8, data: destination.assumingMemoryBound(to: UInt8.self))
  }

  /// Sixteen bytes holding two big-endian halves (a trace id).
  func bytes(bigEndian high: UInt64, _ low: UInt64) -> ProtobufCBinaryData {
    let destination = take(16)
    destination.storeBytes(of: high.bigEndian, as: UInt64.self)
    destination.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
    return ProtobufCBinaryData(len: 16, data: destination.assumingMemoryBound(to: UInt8.self))
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
      // Move to the next kept block that is big enough, else add one.
      blockIndex += 1
      while blockIndex < blocks.count, blocks[blockIndex].capacity < aligned { blockIndex += 1 }
      if blockIndex >= blocks.count {
        let capacity = max(blockSize, aligned)
        blocks.append((UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16), capacity))
        blockIndex = blocks.count - 1
      }
      cursor = blocks[blockIndex].start
      remaining = blocks[blockIndex].capacity
    }
    let result = cursor!
    cursor = result + aligned
    remaining -= aligned
    return result
  }
}
