import SinkSupport

/// Runs a blocking call on a thread of its own and resumes the awaiting task with its result, so
/// that blocking never occupies one of the Swift concurrency pool's few threads.
enum OffPoolCall {
  static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      let started = NativeThread.start(name: "otel-wait") { continuation.resume(returning: body()) }
      // No thread to be had: wait here rather than never answer.
      if !started { continuation.resume(returning: body()) }
    }
  }
}
