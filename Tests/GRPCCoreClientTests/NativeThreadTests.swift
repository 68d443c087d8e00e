import Dispatch
import SinkSupport
import Testing

/// SinkSupport's one thread type, in both of its forms: the export thread's (detached) and the
/// completion queue's (joinable).
@Suite("NativeThread: detached and joinable, named")
struct NativeThreadTests {
  @Test func aJoinableThreadRunsNamedAndIsJoined() throws {
    let release = DispatchSemaphore(value: 0)
    let seen = OneShot<(names: [String], isCurrent: Bool)>()
    let holder = LockedValue<NativeThread?>(nil)
    let thread = try NativeThread(name: "joinable-test-thread-long") {
      release.wait()
      seen.fulfil((liveThreadNames(), holder.withLock { $0?.isCurrent ?? false }))
    }
    holder.withLock { $0 = thread }
    #expect(!thread.isCurrent)
    release.signal()
    thread.join()
    let observed = try #require(seen.wait(until: Deadline(after: .seconds(10))))
    // Linux keeps 15 bytes of a thread's name.
    #expect(observed.names.contains("joinable-test-t"))
    #expect(observed.isCurrent)
  }

  @Test func aDetachedThreadRunsNamed() throws {
    let names = OneShot<[String]>()
    #expect(NativeThread.start(name: "detached-test") { names.fulfil(liveThreadNames()) })
    let observed = try #require(names.wait(until: Deadline(after: .seconds(10))))
    #expect(observed.contains("detached-test"))
  }

  @Test func sleepWaitsAtLeastItsDurationAndNotForNothing() {
    let start = ContinuousClock.now
    NativeThread.sleep(.zero)
    NativeThread.sleep(.nanoseconds(-5))
    NativeThread.sleep(.milliseconds(20))
    #expect(ContinuousClock.now - start >= .milliseconds(20))
  }
}
