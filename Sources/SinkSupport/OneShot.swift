import Dispatch

/// A value produced once on one thread and awaited, with a deadline, on another: the hand-off
/// between the export thread and its callers, and between the completion-queue thread and the
/// export thread. Shared by the package's targets, not public.
package final class OneShot<Value: Sendable>: Sendable {
  private let value = LockedValue<Value?>(nil)
  private let done = DispatchSemaphore(value: 0)

  package init() {}

  /// Sets the value (the first call wins) and wakes the waiter.
  package func fulfil(_ newValue: Value) {
    let first = value.withLock { value -> Bool in
      guard value == nil else { return false }
      value = newValue
      return true
    }
    if first { done.signal() }
  }

  /// The value, or `nil` when `deadline` passed first. Any number of waits may be made.
  package func wait(until deadline: Deadline) -> Value? {
    guard done.wait(timeout: deadline.dispatchTime) == .success else { return nil }
    done.signal()  // later waits return at once
    return value.withLock { $0 }
  }
}
