import CGRPCCore

/// Owns one `grpc_completion_queue` created for `grpc_completion_queue_next`.
///
/// `@unchecked Sendable`: the core's queue functions are thread-safe and the pointer never changes;
/// only the client's queue thread calls ``next(deadline:)``, and the queue is destroyed on deinit,
/// after ``shutdown()`` and a drain that saw `GRPC_QUEUE_SHUTDOWN`.
final class CompletionQueue: @unchecked Sendable {
  let pointer: OpaquePointer

  init() {
    pointer = grpc_completion_queue_create_for_next(nil)
  }

  deinit {
    grpc_completion_queue_destroy(pointer)
  }

  /// Blocks until an event or `deadline`; the core makes I/O progress while a thread waits here.
  func next(deadline: gpr_timespec) -> grpc_event {
    grpc_completion_queue_next(pointer, deadline, nil)
  }

  /// No new work is accepted; ``next(deadline:)`` reports `GRPC_QUEUE_SHUTDOWN` once drained.
  func shutdown() {
    grpc_completion_queue_shutdown(pointer)
  }
}
