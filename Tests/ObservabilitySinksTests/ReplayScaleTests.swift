import SinkReplay
import Testing

@Suite("Replaying thousands of run logs: one timeline, built in n log k")
struct ReplayMergeTests {
  /// The merge as it was first written (a linear scan over the runs per call), kept as the
  /// definition the heap must agree with, call for call.
  static func linearMerge(_ scripts: [HookScript]) -> [(label: String, time: UInt64?)] {
    var runs: [[(time: UInt64, call: HookScript.Call, stamp: UInt64?)]] = []
    var runIndex: [String: Int] = [:]
    for script in scripts {
      for (index, call) in script.calls.enumerated() {
        let key = Self.runID(call) ?? ""
        let run = runIndex[key] ?? runs.count
        if run == runs.count {
          runIndex[key] = run
          runs.append([])
        }
        let stamp = index < script.times.count ? script.times[index] : nil
        runs[run].append((stamp ?? runs[run].last?.time ?? 0, call, stamp))
      }
    }
    var next = Array(repeating: 0, count: runs.count)
    var merged: [(label: String, time: UInt64?)] = []
    while true {
      var best: Int?
      for run in runs.indices where next[run] < runs[run].count {
        if let current = best, runs[current][next[current]].time <= runs[run][next[run]].time { continue }
        best = run
      }
      guard let run = best else { break }
      let entry = runs[run][next[run]]
      next[run] += 1
      merged.append((Self.label(entry.call), entry.stamp))
    }
    return merged
  }

  static func runID(_ call: HookScript.Call) -> String? {
    if case .traceID(let runID, _) = call { return runID }
    return nil
  }

  /// Each generated call is a `get_trace_id` whose label names it, or a sleep (no run).
  static func label(_ call: HookScript.Call) -> String {
    if case .traceID(_, let label) = call { return label }
    return "sleep"
  }

  @Test(arguments: 0..<40)
  func theHeapMergeAgreesWithTheLinearScan(seed: Int) {
    var random = SplitMix(seed: UInt64(seed))
    func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    var scripts: [HookScript] = []
    for file in 0..<(1 + below(12)) {
      var calls: [HookScript.Call] = []
      var times: [UInt64?] = []
      for index in 0..<below(30) {
        // Few run ids and few distinct times: runs that span files, ties, calls without a time,
        // and times that go backwards within a run all occur.
        if below(15) == 0 {
          calls.append(.sleep(.zero))
        } else {
          calls.append(.traceID(forRun: "run\(below(6))", label: "\(file).\(index)"))
        }
        times.append(below(5) == 0 ? nil : UInt64(below(20)))
      }
      // Some scripts give fewer times than calls: the rest are "when played".
      if below(4) == 0 { times.removeLast(min(times.count, below(4))) }
      scripts.append(HookScript(calls: calls, times: times))
    }
    let merged = HookScript.mergedByTime(scripts)
    let expected = Self.linearMerge(scripts)
    #expect(merged.calls.map(Self.label) == expected.map(\.label))
    #expect(merged.times == expected.map(\.time))
  }

  @Test func fiveThousandRunLogsMergeInAMomentNotMinutes() {
    // 5,000 runs of 20 calls, each run a little after the one before and overlapping it: the
    // linear scan made 5·10⁸ comparisons here.
    let scripts = (0..<5000).map { run in
      HookScript(
        calls: (0..<20).map { .traceID(forRun: "run\(run)", label: "\(run).\($0)") },
        times: (0..<20).map { UInt64(run * 10 + $0) * 1_000_000_000 })
    }
    let clock = ContinuousClock()
    var merged = HookScript(calls: [])
    let elapsed = clock.measure { merged = HookScript.mergedByTime(scripts) }
    #expect(merged.calls.count == 100_000)
    #expect(zip(merged.times, merged.times.dropFirst()).allSatisfy { ($0 ?? 0) <= ($1 ?? 0) })
    #expect(elapsed < .seconds(10), "\(elapsed)")
  }
}
