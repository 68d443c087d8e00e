import Glibc

/// A joinable pthread running one closure: the completion queue's dedicated thread.
///
/// Not a Swift concurrency task: the thread blocks inside `grpc_completion_queue_next`.
struct QueueThread: Sendable {
  private let thread: pthread_t

  /// Starts `body` on a new thread named `name` (at most 15 bytes, as Linux allows).
  init(name: String, _ body: @escaping @Sendable () -> Void) throws(GRPCClientError) {
    let context = Unmanaged.passRetained(ThreadBody(name: name, body: body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
      &thread, nil,
      { context in
        let threadBody = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
        nameCurrentThread(threadBody.name)
        threadBody.body()
        return nil
      }, context)
    guard result == 0 else {
      Unmanaged<ThreadBody>.fromOpaque(context).release()
      throw .threadStartFailed(result)
    }
    self.thread = thread
  }

  /// Whether the caller is this thread.
  var isCurrent: Bool { pthread_equal(pthread_self(), thread) != 0 }

  /// Waits for the thread to end; call at most once, never from the thread itself.
  func join() { _ = pthread_join(thread, nil) }

  /// Lets the thread release itself when it ends; used instead of ``join()`` from the thread itself.
  func detach() { _ = pthread_detach(thread) }
}

private final class ThreadBody: Sendable {
  let name: String
  let body: @Sendable () -> Void

  init(name: String, body: @escaping @Sendable () -> Void) {
    self.name = String(decoding: name.utf8.prefix(15), as: UTF8.self)
    self.body = body
  }
}

/// Names the calling thread (what `/proc/self/task/*/comm` shows); `pthread_setname_np` does not import
/// into Swift on Linux, so this writes the thread's own `comm` file. Best effort.
private func nameCurrentThread(_ name: String) {
  let file = open("/proc/thread-self/comm", O_WRONLY)
  guard file >= 0 else { return }
  defer { close(file) }
  _ = name.withCString { write(file, $0, strlen($0)) }
}
