import CGRPCCore
import SinkSupport

/// The machinery behind ``GRPCClient``: the C objects, the calls in flight, the timers, and the loop
/// its queue thread runs.
///
/// Lifetime: the queue thread holds this object until it ends. Teardown happens on that thread, in the
/// order the core needs: calls cancelled and completed (each freeing its call) → channel destroyed →
/// queue shut down and drained → queue destroyed → `grpc_shutdown`.
final class ClientCore: Sendable {
  private struct State {
    var runtime: GRPCRuntime?
    var channel: Channel?
    var queue: CompletionQueue?
    var thread: NativeThread?
    var inFlight: [Int: UnaryBatch] = [:]
    var nextCallID = 0
    var timers = TimerQueue()
    /// When the queue thread waits until at the latest (to decide whether a new timer must wake it).
    var waitingUntil: ContinuousClock.Instant?
    /// Set by ``shutdown()``: no new calls or timers.
    var closing = false
    /// Set once the channel is destroyed and the queue shut down.
    var queueShutDown = false
    /// Some thread other than the queue thread joins it.
    var joinClaimed = false
    /// Shut down from the queue thread itself: the thread detaches at its end unless a join was claimed.
    var detachOnExit = false
  }

  /// The queue thread never waits longer than this: a safety net should a wake-up go missing.
  private static let longestWait = Duration.seconds(1)

  private let state: LockedValue<State>
  /// Held across the join, so that every ``shutdown()`` caller returns only after the thread ended.
  /// The queue thread never takes it.
  private let joiner = LockedValue<Void>(())
  let threadName: String

  init(target: String, security: ChannelSecurity, options: ChannelOptions, threadName: String)
    throws(GRPCClientError)
  {
    let runtime = GRPCRuntime()
    let channel = try Channel(target: target, security: security, options: options)
    state = LockedValue(State(runtime: runtime, channel: channel, queue: CompletionQueue()))
    self.threadName = threadName
  }

  /// Starts the queue thread; the client is usable from then on.
  func start() throws(GRPCClientError) {
    let thread: NativeThread
    do {
      thread = try NativeThread(name: threadName) { self.runQueueThread() }
    } catch {
      throw .threadStartFailed(error.code)
    }
    state.withLock { $0.thread = thread }
  }

  var isOnQueueThread: Bool { state.withLock { $0.thread?.isCurrent ?? false } }

  // MARK: Calls

  func startUnary(
    method: String,
    request: [UInt8],
    metadata: [(String, String)],
    timeout: Duration?,
    waitForReady: Bool,
    completion: @escaping @Sendable (UnaryResult) -> Void
  ) {
    let validated: [ValidatedMetadata]
    switch MetadataValidation.validate(metadata) {
    case .success(let entries): validated = entries
    case .failure(let error):
      deliver(UnaryResult(status: .invalidArgument, message: error.message), to: completion)
      return
    }
    let deadline = timeout.map(Timespec.deadline(after:)) ?? gpr_inf_future(GPR_CLOCK_MONOTONIC)

    // Registering and starting under one lock: shutdown cannot slip in between and miss the call.
    let refusal: UnaryResult? = state.withLock { state in
      guard !state.closing, let channel = state.channel, let queue = state.queue else {
        return UnaryResult(status: .cancelled, message: "the client is shut down")
      }
      guard let call = channel.makeCall(method: method, queue: queue, deadline: deadline) else {
        return UnaryResult(status: .internalError, message: "grpc_channel_create_call returned no call")
      }
      let batch = UnaryBatch(
        call: call, request: request, metadata: validated, waitForReady: waitForReady, completion: completion)
      let id = state.nextCallID
      state.nextCallID += 1
      let tag = CompletionTag { success in self.finishCall(id: id, batchSucceeded: success) }
        .retainedPointer()
      let error = batch.start(tag: tag)
      guard error == GRPC_CALL_OK else {
        CompletionTag.discard(tag)  // no event will bring it back; the batch frees the call
        return UnaryResult(
          status: .internalError, message: "grpc_call_start_batch failed (grpc_call_error \(error.rawValue))")
      }
      state.inFlight[id] = batch
      return nil
    }
    if let refusal { deliver(refusal, to: completion) }
  }

  /// Runs on the queue thread when a call's batch is back.
  private func finishCall(id: Int, batchSucceeded: Bool) {
    let finished = state.withLock { state -> (UnaryResult, @Sendable (UnaryResult) -> Void)? in
      guard let batch = state.inFlight.removeValue(forKey: id) else { return nil }
      return (batch.result(batchSucceeded: batchSucceeded), batch.completion)
    }  // the batch, and with it the call, is freed here
    if let (result, completion) = finished { completion(result) }
  }

  /// Hands an early result to the queue thread, or to the caller when the client is shut down.
  private func deliver(_ result: UnaryResult, to completion: @escaping @Sendable (UnaryResult) -> Void) {
    if !schedule(after: .zero, { completion(result) }) {
      completion(UnaryResult(status: .cancelled, message: "the client is shut down (\(result.message))"))
    }
  }

  // MARK: Timers

  /// Queues `work` for the queue thread; `false` (and `work` dropped) once shut down.
  func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> Bool {
    let due = ContinuousClock.now + delay
    return state.withLock { state in
      guard !state.closing else { return false }
      state.timers.insert(due: due, work: work)
      // The thread already wakes by then: no need to post a wake-up.
      if let waitingUntil = state.waitingUntil, waitingUntil <= due { return true }
      if let channel = state.channel, let queue = state.queue {
        channel.notify(queue: queue, deadline: Timespec.deadline(after: delay), tag: CompletionTag { _ in })
      }
      return true
    }
  }

  // MARK: Shutdown

  /// Cancels in-flight calls and tears everything down on the queue thread; waits for it unless
  /// called on that thread (then the thread finishes the teardown after the current callback).
  func shutdown() {
    let (onQueueThread, waiting) = state.withLock { state -> (Bool, [@Sendable () -> Void]) in
      var waiting: [@Sendable () -> Void] = []
      if !state.closing {
        state.closing = true
        // Waiting work still runs (now, on this thread) so that whoever waits on it hears back:
        // a retry it starts completes at once with CANCELLED.
        waiting = state.timers.takeAll()
        for batch in state.inFlight.values { batch.cancel() }
        if let channel = state.channel, let queue = state.queue {
          channel.notify(queue: queue, deadline: Timespec.deadline(after: .zero), tag: CompletionTag { _ in })
        }
      }
      let onQueueThread = state.thread?.isCurrent ?? false
      if onQueueThread { state.detachOnExit = true }
      return (onQueueThread, waiting)
    }
    for work in waiting { work() }
    if onQueueThread { return }
    joiner.withLock { _ in
      let thread: NativeThread? = state.withLock { state in
        guard !state.joinClaimed, !state.detachOnExit else { return nil }
        state.joinClaimed = true
        return state.thread
      }
      thread?.join()
    }
  }

  // MARK: The queue thread

  private func runQueueThread() {
    // Scoped so the queue's last reference goes before the runtime's.
    do {
      guard let queue = state.withLock({ $0.queue }) else { return }
      while true {
        let deadline = Timespec.deadline(after: nextWait())
        let event = queue.next(deadline: deadline)
        if event.type == GRPC_QUEUE_SHUTDOWN { break }
        if event.type == GRPC_OP_COMPLETE, let tag = event.tag {
          CompletionTag.take(tag).complete(success: event.success != 0)
        }
        runDueTimers()
        shutDownQueueIfIdle(queue)
      }
    }
    let runtime = state.withLock { state in
      state.queue = nil
      if state.detachOnExit && !state.joinClaimed { state.thread?.detach() }
      defer { state.runtime = nil }
      return state.runtime
    }
    _ = runtime  // the last grpc_init reference goes here, after every other C object
  }

  /// How long the thread may wait in `next`: until the earliest timer, capped by ``longestWait``.
  private func nextWait() -> Duration {
    let now = ContinuousClock.now
    return state.withLock { state in
      var wait = Self.longestWait
      if let due = state.timers.earliestDue { wait = min(wait, max(.zero, due - now)) }
      state.waitingUntil = now + wait
      return wait
    }
  }

  private func runDueTimers() {
    let due = state.withLock { $0.timers.takeDue(at: .now) }
    for work in due { work() }
  }

  private func shutDownQueueIfIdle(_ queue: CompletionQueue) {
    state.withLock { state in
      guard state.closing, state.inFlight.isEmpty, !state.queueShutDown else { return }
      state.queueShutDown = true
      state.channel = nil  // grpc_channel_destroy: fires pending wake-ups, so the drain ends
      queue.shutdown()
    }
  }
}
