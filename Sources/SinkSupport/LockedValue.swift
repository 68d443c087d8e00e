#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`: the package's lock for state shared between threads,
/// used like `Synchronization.Mutex` (`withLock`).
///
/// Not `Mutex`, because on Linux it locks with raw futex system calls, which ThreadSanitizer does
/// not intercept: every hand-off through it reads as a data race. TSan does intercept
/// `pthread_mutex_lock`/`unlock`, so the order this lock makes is the order TSan checks. The
/// uncontended cost is the same kind: one atomic compare-and-swap to lock, one to unlock.
/// This file is C-facing: the mutex needs a fixed address, and the value lives in memory of its
/// own too, so `withLock` makes no dynamic exclusivity check (a class's `var` would cost one per
/// call, and TSan reads an empty value's accesses as touching the object's header).
///
/// `@unchecked Sendable`: `value` is only reached inside `withLock`, and, as with `Mutex`, what goes
/// in or comes out is `sending`, so no unprotected reference to it escapes.
package final class LockedValue<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let value: UnsafeMutablePointer<Value>

  package init(_ initialValue: sending Value) {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let result = pthread_mutex_init(mutex, nil)
    precondition(result == 0, "pthread_mutex_init failed (\(result))")
    value = .allocate(capacity: 1)
    value.initialize(to: initialValue)
  }

  deinit {
    value.deinitialize(count: 1)
    value.deallocate()
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with the value, holding the lock; never call it again from inside `body`.
  package func withLock<Result, Failure: Error>(
    _ body: (inout sending Value) throws(Failure) -> sending Result
  ) throws(Failure) -> sending Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value.pointee)
  }
}
