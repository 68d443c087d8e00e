import Dispatch

/// Waits until `condition` holds, checking every few milliseconds, for at most `timeout`; returns
/// whether it held. For state that settles on another thread (counters, logs).
@discardableResult
public func waitFor(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
  let end = ContinuousClock.now + timeout
  while !condition() {
    guard ContinuousClock.now < end else { return false }
    let pause = DispatchSemaphore(value: 0)
    _ = pause.wait(timeout: .now() + .milliseconds(5))
  }
  return true
}
