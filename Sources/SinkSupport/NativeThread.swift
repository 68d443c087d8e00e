import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An OS thread running a closure, never on the Swift concurrency pool: the export thread, the waits
/// of the async API (detached, ``start(name:_:)``) and the gRPC completion-queue thread (joinable,
/// ``init(name:_:)``). The package's one thread type; this file is C-facing (pthreads).
package struct NativeThread: Sendable {
  /// The system refused a thread; `code` is `pthread_create`'s result (`EAGAIN`, …).
  package struct StartFailure: Error, Sendable {
    package let code: Int32
  }

  private final class Body {
    let name: String
    let run: () -> Void
    init(name: String, _ run: @escaping () -> Void) {
      self.name = name
      self.run = run
    }
  }

  #if canImport(Glibc)
    private let thread: pthread_t
  #else
    private let thread: pthread_t?
  #endif

  /// Starts `body` on a new joinable thread named `name` (its first 15 bytes, as Linux allows; what
  /// `/proc/self/task/*/comm` and `top -H` show). Call ``join()`` or ``detach()`` exactly once.
  package init(name: String, _ body: @escaping @Sendable () -> Void) throws(StartFailure) {
    let context = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    let result = pthread_create(
      &thread, nil,
      { context in
        let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
        nameCurrentThread(body.name)
        body.run()
        return nil
      }, context)
    guard result == 0 else {
      Unmanaged<Body>.fromOpaque(context).release()
      throw StartFailure(code: result)
    }
    self.thread = thread
  }

  /// Starts `body` on a new detached thread named `name`. Returns `false` when the system refuses
  /// a thread.
  @discardableResult
  package static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
    guard let thread = try? NativeThread(name: name, body) else { return false }
    thread.detach()
    return true
  }

  /// Whether the caller is this thread.
  package var isCurrent: Bool {
    #if canImport(Glibc)
      pthread_equal(pthread_self(), thread) != 0
    #else
      thread.map { pthread_equal(pthread_self(), $0) != 0 } ?? false
    #endif
  }

  /// Waits for the thread to end; call at most once, never from the thread itself.
  package func join() {
    #if canImport(Glibc)
      _ = pthread_join(thread, nil)
    #else
      if let thread { _ = pthread_join(thread, nil) }
    #endif
  }

  /// Lets the thread release itself when it ends; instead of ``join()``, also from the thread itself.
  package func detach() {
    #if canImport(Glibc)
      _ = pthread_detach(thread)
    #else
      if let thread { _ = pthread_detach(thread) }
    #endif
  }

  /// Blocks the calling thread for `duration`; an unlimited one (past ``Deadline/horizon``) never
  /// wakes. It waits through ``Deadline`` as every other wait does, and builds no `timespec`: under
  /// MemberImportVisibility, which Clang module owns glibc's `timespec` varies from build to build
  /// (a fresh build failed with "missing import of defining module 'SwiftOverlayShims'").
  package static func sleep(_ duration: Duration) {
    guard duration > .zero else { return }
    _ = DispatchSemaphore(value: 0).wait(timeout: Deadline(after: duration).dispatchTime)
  }
}

/// Names the calling thread by writing its own `comm` file: `pthread_setname_np` does not import
/// into Swift on Linux (glibc declares it only with `_GNU_SOURCE`). Best effort; elsewhere, nothing.
private func nameCurrentThread(_ name: String) {
  #if os(Linux)
    let file = open("/proc/thread-self/comm", O_WRONLY)
    guard file >= 0 else { return }
    defer { close(file) }
    let truncated = String(decoding: name.utf8.prefix(15), as: UTF8.self)
    _ = truncated.withCString { write(file, $0, strlen($0)) }
  #endif
}
