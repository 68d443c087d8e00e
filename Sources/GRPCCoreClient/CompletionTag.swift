/// What the queue thread runs when an operation's tag comes back.
///
/// Passed to the core as `Unmanaged.passRetained(tag).toOpaque()`; the queue thread takes the
/// retained value back exactly once (``take(_:)``), so every started operation releases its tag.
final class CompletionTag: Sendable {
  private let onCompletion: @Sendable (_ success: Bool) -> Void

  init(_ onCompletion: @escaping @Sendable (_ success: Bool) -> Void) {
    self.onCompletion = onCompletion
  }

  /// A +1 reference for the core to carry; balance with ``take(_:)`` or ``discard(_:)``.
  func retainedPointer() -> UnsafeMutableRawPointer {
    Unmanaged.passRetained(self).toOpaque()
  }

  /// Takes back the reference the core carried.
  static func take(_ pointer: UnsafeMutableRawPointer) -> CompletionTag {
    Unmanaged<CompletionTag>.fromOpaque(pointer).takeRetainedValue()
  }

  /// Releases a reference the core refused (no event will carry it back).
  static func discard(_ pointer: UnsafeMutableRawPointer) {
    Unmanaged<CompletionTag>.fromOpaque(pointer).release()
  }

  func complete(success: Bool) { onCompletion(success) }
}
