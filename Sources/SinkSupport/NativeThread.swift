#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A detached OS thread running a closure: the export thread and the waits of the async API run
/// here, never on the Swift concurrency pool. This file is C-facing (pthreads).
package enum NativeThread {
  private final class Body {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }

  /// Starts `body` on a new detached thread; `name` is for readers of the code (glibc does not
  /// export `pthread_setname_np` to Swift without `_GNU_SOURCE`). Returns
  /// `false` when the system refuses a thread.
  @discardableResult
  package static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
    let context = Unmanaged.passRetained(Body(body)).toOpaque()
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let result = pthread_create(
      &thread, nil,
      { context in
        let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
        body.run()
        return nil
      }, context)
    guard result == 0 else {
      Unmanaged<Body>.fromOpaque(context).release()
      return false
    }
    #if canImport(Glibc)
      pthread_detach(thread)
    #else
      if let thread { pthread_detach(thread) }
    #endif
    return true
  }

  /// Blocks the calling thread for `duration` (saturating: an unlimited one sleeps ~292 years).
  package static func sleep(_ duration: Duration) {
    let nanoseconds = duration.saturatingNanoseconds
    guard nanoseconds > 0 else { return }
    var request = timespec(
      tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
  }
}
