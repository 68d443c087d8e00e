import SinkSupport
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Delivers what sinks still hold when the process exits normally without calling `shutdown`,
/// each within its own short deadline (the reference relies on the SDK's exit hook, which can
/// hold exit for 30 s with a dead collector).
enum ExitFlush {
  private static let workers = LockedValue<[ObjectIdentifier: (worker: ExportWorker, timeout: Duration)]>([:])
  private static let installed = Atomic<Bool>(false)

  static func register(_ worker: ExportWorker, timeout: Duration) {
    workers.withLock { $0[ObjectIdentifier(worker)] = (worker, timeout) }
    if !installed.exchange(true, ordering: .acquiringAndReleasing) {
      atexit { ExitFlush.run() }
    }
  }

  static func unregister(_ worker: ExportWorker) {
    _ = workers.withLock { $0.removeValue(forKey: ObjectIdentifier(worker)) }
  }

  private static func run() {
    let pending = workers.withLock { workers in
      defer { workers.removeAll() }
      return Array(workers.values)
    }
    // Start every shutdown first and wait against one deadline, so that N sinks take as long as
    // the slowest, not the sum.
    for (worker, timeout) in pending { worker.beginShutdown(deadline: Deadline(after: timeout)) }
    let end = ContinuousClock.now + (pending.map(\.timeout).max() ?? .zero)
    for (worker, _) in pending {
      _ = worker.shutdown(timeout: max(.zero, end - ContinuousClock.now))
    }
  }
}
