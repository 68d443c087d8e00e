import SinkSupport
import Synchronization

/// A gRPC client over the gRPC C core: one channel, one completion queue and the thread that drives it.
///
/// Unary calls complete on the queue thread; so does work given to ``schedule(after:_:)``. Keep that
/// work short: while it runs, no other call completes. Call ``shutdown()`` when done (``deinit`` does
/// it too, but a client captured in its own callbacks lives until then).
package final class GRPCClient: Sendable {
  private let core: ClientCore
  private static let clientCount = Atomic<Int>(0)

  /// Connects lazily to `target`.
  ///
  /// - Parameters:
  ///   - target: `host:port`, or a gRPC name such as `dns:///host:port` or `ipv4:127.0.0.1:4317`;
  ///     never a URL (`http://…` is rejected: the core would read it as a DNS name).
  ///   - security: plaintext or TLS.
  ///   - options: compression, message size, reconnection backoff, user agent.
  package init(
    target: String, security: ChannelSecurity = .insecure, options: ChannelOptions = ChannelOptions()
  ) throws(GRPCClientError) {
    if target.isEmpty || target.hasPrefix("http://") || target.hasPrefix("https://") {
      throw .invalidTarget(target)
    }
    let number = Self.clientCount.wrappingAdd(1, ordering: .relaxed).newValue
    core = try ClientCore(
      target: target, security: security, options: options, threadName: "grpc-cq-\(number)")
    try core.start()
  }

  deinit {
    core.shutdown()
  }

  /// The name of the queue thread (as in `/proc/self/task/*/comm`), for diagnostics and tests.
  package var queueThreadName: String { core.threadName }

  /// Whether the caller is running on this client's queue thread (inside a completion or timer).
  package var isOnQueueThread: Bool { core.isOnQueueThread }

  /// Starts a unary call and returns at once; `completion` runs exactly once, on the queue thread
  /// (or on the calling thread if the client is already shut down).
  ///
  /// - Parameters:
  ///   - method: the full method path, e.g. `/opentelemetry.proto.collector.trace.v1.TraceService/Export`.
  ///   - request: the serialized request message.
  ///   - metadata: headers to send; keys lowercase `[a-z0-9-_.]`, not starting with `grpc-`; text
  ///     values printable ASCII, any bytes for keys ending in `-bin`. Invalid entries complete the call
  ///     with ``GRPCStatusCode/invalidArgument`` without sending anything.
  ///   - timeout: the deadline from now; `nil` for none.
  ///   - waitForReady: wait (up to the deadline) for a connection instead of failing fast with
  ///     ``GRPCStatusCode/unavailable`` when the server is unreachable.
  ///   - completion: receives the result.
  package func startUnary(
    method: String,
    request: [UInt8],
    metadata: [(String, String)] = [],
    timeout: Duration? = nil,
    waitForReady: Bool = false,
    completion: @escaping @Sendable (UnaryResult) -> Void
  ) {
    core.startUnary(
      method: method, request: request, metadata: metadata, timeout: timeout, waitForReady: waitForReady,
      completion: completion)
  }

  /// Makes a unary call and blocks the calling thread until it completes.
  ///
  /// Must not be called on the queue thread (from a completion or timer): that thread would wait for
  /// itself. Do not call it from Swift concurrency tasks either; use ``startUnary(method:request:metadata:timeout:waitForReady:completion:)``.
  package func unary(
    method: String,
    request: [UInt8],
    metadata: [(String, String)] = [],
    timeout: Duration? = nil,
    waitForReady: Bool = false
  ) -> UnaryResult {
    precondition(!isOnQueueThread, "GRPCClient.unary called on the queue thread: it would deadlock")
    let result = OneShot<UnaryResult>()
    startUnary(
      method: method, request: request, metadata: metadata, timeout: timeout, waitForReady: waitForReady
    ) { outcome in
      result.fulfil(outcome)
    }
    // startUnary runs its completion exactly once, so the wait always ends with a value.
    return result.wait(until: .never)!
  }

  /// Runs `work` on the queue thread once `delay` has passed; the thread waits for it inside
  /// `grpc_completion_queue_next`, so connections keep progressing meanwhile.
  ///
  /// - Returns: `false` if the client is shut down; `work` then never runs. Work still waiting at
  ///   ``shutdown()`` runs then, on the thread that shuts the client down (calls it starts fail at
  ///   once with ``GRPCStatusCode/cancelled``), so that nothing waiting on it is left hanging.
  @discardableResult
  package func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> Bool {
    core.schedule(after: delay, work)
  }

  /// Cancels calls in flight (they complete with ``GRPCStatusCode/cancelled``), drops waiting timers,
  /// destroys the channel and the queue, ends the queue thread and releases the gRPC runtime.
  ///
  /// Idempotent. Blocks until the thread has ended, except when called on the queue thread itself:
  /// then the teardown finishes right after the current callback returns.
  package func shutdown() {
    core.shutdown()
  }
}
