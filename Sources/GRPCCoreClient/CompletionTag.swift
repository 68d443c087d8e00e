import Synchronization

/// What the queue thread runs when an operation's tag comes back.
///
/// Passed to the core as `Unmanaged.passRetained(tag).toOpaque()`; the queue thread takes the
/// retained value back exactly once (``take(_:)``), so every started operation releases its tag.
final class CompletionTag: Sendable {
  private let onCompletion: @Sendable (_ success: Bool) -> Void
  /// The hand-off to the queue thread, made visible to ThreadSanitizer: the core carries the tag
  /// there through its own locks, in uninstrumented C, so TSan would see the tag (and what its
  /// closure captured) written on one thread and read on another with nothing in between. The
  /// release in ``retainedPointer()`` and the acquire in ``take(_:)`` are that order, on the Swift side.
  private let handedOver = Atomic<Bool>(false)

  init(_ onCompletion: @escaping @Sendable (_ success: Bool) -> Void) {
    self.onCompletion = onCompletion
  }

  /// A +1 reference for the core to carry; balance with ``take(_:)`` or ``discard(_:)``.
  func retainedPointer() -> UnsafeMutableRawPointer {
    handedOver.store(true, ordering: .releasing)
    return Unmanaged.passRetained(self).toOpaque()
  }

  /// Takes back the reference the core carried.
  static func take(_ pointer: UnsafeMutableRawPointer) -> CompletionTag {
    let tag = Unmanaged<CompletionTag>.fromOpaque(pointer).takeRetainedValue()
    _ = tag.handedOver.load(ordering: .acquiring)
    return tag
  }

  /// Releases a reference the core refused (no event will carry it back).
  static func discard(_ pointer: UnsafeMutableRawPointer) {
    Unmanaged<CompletionTag>.fromOpaque(pointer).release()
  }

  func complete(success: Bool) { onCompletion(success) }
}
