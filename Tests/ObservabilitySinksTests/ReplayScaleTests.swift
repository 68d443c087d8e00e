import Foundation
import ObservabilitySinks
import SinkReplay
import TestSupport
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

@Suite("rlm-otel-replay on hundreds of run logs: progress on stderr, everything delivered")
struct ReplayManyFilesTests {
  /// A directory of `count` run logs, as rlm-code leaves them: one file per run, every odd run a
  /// child of the run before it (`depth`, `parent_run_id`), logged while the parent's delegating
  /// step was under way. A parent has three steps and a final line, a child one step and a final.
  struct RunLogDirectory {
    let path: String
    let files: [String]

    init(count: Int) throws {
      path = FileManager.default.temporaryDirectory.appendingPathComponent("runs-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      var files: [String] = []
      for index in 0..<count {
        // Each pair of runs has its own minute; the pairs do not overlap.
        let minute = index / 2
        func stamp(_ second: Int) -> String {
          "2025-01-15T\(10 + minute / 60):\(String(format: "%02d", minute % 60)):\(String(format: "%02d", second))Z"
        }
        let lines: [String]
        if index.isMultiple(of: 2) {
          let run = "parent-\(index)"
          lines = [
            #"{"type": "step", "run_id": "\#(run)", "task": "Sum", "timestamp": "\#(stamp(1))", "step": 1, "reward": 0.1}"#,
            #"{"type": "step", "run_id": "\#(run)", "timestamp": "\#(stamp(2))", "step": 2, "reward": 0.1, "action": {"action": "delegate"}}"#,
            #"{"type": "step", "run_id": "\#(run)", "timestamp": "\#(stamp(6))", "step": 3, "reward": 0.1}"#,
            #"{"type": "final", "run_id": "\#(run)", "timestamp": "\#(stamp(7))", "completed": true, "steps": 3}"#,
          ]
        } else {
          let run = "child-\(index)"
          let parent = "\"depth\": 1, \"parent_run_id\": \"parent-\(index - 1)\""
          lines = [
            #"{"type": "step", "run_id": "\#(run)", "task": "Part", "timestamp": "\#(stamp(3))", "step": 1, "reward": 1, \#(parent)}"#,
            #"{"type": "final", "run_id": "\#(run)", "timestamp": "\#(stamp(4))", "completed": true, "steps": 1, \#(parent)}"#,
          ]
        }
        let file = "\(path)/run_\(String(format: "%04d", index)).jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        files.append(file)
      }
      self.files = files
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
  }

  static func environment(_ receiver: OTLPTestReceiver, interval: String?) -> [String: String] {
    var environment = [
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
      "OTEL_METRICS_EXPORTER": "none",
    ]
    environment["RLM_OTEL_REPLAY_PROGRESS_INTERVAL_MS"] = interval
    return environment
  }

  @Test func threeHundredRunLogsAreAllDeliveredWithPlainProgressLinesAndOneTracePerRecursion() throws {
    let logs = try RunLogDirectory(count: 300)
    defer { logs.remove() }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    // An interval of 0 makes every step report, so progress lines appear however fast the
    // machine is; stderr is a file here, not a terminal, so they are plain lines.
    let run = try BuiltTool.run(
      "rlm-otel-replay", ["--jsonl"] + logs.files, environment: Self.environment(receiver, interval: "0"))
    #expect(run.exited && run.status == 0, "\(run.stderr)")
    // 150 parents (4 lines: a run and 3 steps, 4 spans) and 150 children (2 lines, 2 spans);
    // each parent also gets a run-start call: 150 × 5 + 150 × 3 calls.
    let spans = 150 * 4 + 150 * 2
    let lines = run.stderr.split(separator: "\n").map(String.init)
    let summary = try #require(lines.last, "\(run.stderr)")
    #expect(
      summary.hasPrefix(
        "replayed \(150 * 5 + 150 * 3) calls: spans recorded \(spans), exported \(spans), dropped 0, failed 0;"
          + " 300 files, 300 runs in "),
      "\(summary)")
    #expect(summary.contains("spans/s)"), "\(summary)")
    #expect(!run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"), "\(run.stderr)")
    let progress = lines.filter { $0.hasPrefix("rlm-otel-replay: files ") }
    #expect(progress.contains("rlm-otel-replay: files 1/300, 1 runs so far"), "\(progress.prefix(3))")
    #expect(progress.contains("rlm-otel-replay: files 300/300, 300 runs so far"), "\(progress.suffix(3))")
    #expect(
      progress.contains {
        $0.hasPrefix("rlm-otel-replay: files 300/300, runs 300/300, spans recorded \(spans)")
          && $0.contains(", failures 0") && $0.hasSuffix("; flushing")
      }, "\(progress.suffix(3))")
    #expect(progress.count > 300, "one line per file read, and more while sending")
    #expect(lines.dropLast().allSatisfy { $0.hasPrefix("rlm-otel-replay: files ") }, "\(run.stderr)")

    let received = try ReceivedModel.spans(receiver.traceRequests()).spans
    #expect(received.count == spans)
    let runs = received.filter { $0.name == "rlm.run" }
    #expect(runs.count == 300)
    // Merged across files, each child joined its parent's trace: 150 traces, not 300.
    #expect(Set(received.map(\.traceID)).count == 150)
    let traceOfRun = Dictionary(
      uniqueKeysWithValues: runs.compactMap { span -> (String, SpanData.TraceID)? in
        guard case .string(let id)? = span.attribute("rlm.run_id") else { return nil }
        return (id, span.traceID)
      })
    for index in stride(from: 1, to: 300, by: 2) {
      #expect(traceOfRun["child-\(index)"] == traceOfRun["parent-\(index - 1)"], "child-\(index)")
    }
  }

  @Test func aQuietReplayPrintsOnlyItsSummary() throws {
    let logs = try RunLogDirectory(count: 4)
    defer { logs.remove() }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let cases: [(arguments: [String], interval: String?)] = [
      // The quiet start is the interval when one is set: ten minutes, far more than this takes.
      (["--jsonl"] + logs.files, "600000"),
      // --no-progress wins even over an interval of 0.
      (["--jsonl", "--no-progress"] + logs.files, "0"),
    ]
    for (arguments, interval) in cases {
      let run = try BuiltTool.run(
        "rlm-otel-replay", arguments, environment: Self.environment(receiver, interval: interval))
      #expect(run.exited && run.status == 0, "\(run.stderr)")
      let lines = run.stderr.split(separator: "\n")
      #expect(lines.count == 1 && lines[0].hasPrefix("replayed 16 calls: spans recorded 12"), "\(run.stderr)")
      #expect(run.stderr.contains("; 4 files, 4 runs in "), "\(run.stderr)")
    }
  }

  @Test func aBadProgressIntervalIsAWarningNotAFailure() throws {
    let logs = try RunLogDirectory(count: 2)
    defer { logs.remove() }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let run = try BuiltTool.run(
      "rlm-otel-replay", ["--jsonl"] + logs.files, environment: Self.environment(receiver, interval: "soon"))
    #expect(run.exited && run.status == 0, "\(run.stderr)")
    #expect(
      run.stderr.contains(
        "warning: RLM_OTEL_REPLAY_PROGRESS_INTERVAL_MS=soon is not a whole number of milliseconds"),
      "\(run.stderr)")
  }

  @Test func helpDocumentsTheProgressLinesAndTheirInterval() throws {
    let run = try BuiltTool.run("rlm-otel-replay", ["--help"])
    #expect(run.exited && run.status == 0)
    #expect(
      run.stdout.contains("RLM_OTEL_REPLAY_PROGRESS_INTERVAL_MS") && run.stdout.contains("--no-progress"))
  }
}

extension ReplayManyFilesTests {
  @Test func driverOutNamesEachAnswerByItsCallAcrossTheWholeScript() throws {
    // 100 runs of 3 calls: the tool plays a script in slices (to report progress between them),
    // and the call numbers must still count from the script's start.
    var elements: [String] = []
    for run in 0..<100 {
      elements.append(#"{"hook": "on_run_start", "run_id": "r\#(run)", "task": "t", "environment": "e"}"#)
      elements.append(#"{"hook": "get_trace_id", "run_id": "r\#(run)", "label": "\#(run)"}"#)
      elements.append(#"{"hook": "on_run_end", "run_id": "r\#(run)", "result": {"completed": true}}"#)
    }
    let script = try TemporaryFile("[" + elements.joined(separator: ",\n") + "]", name: "script.json")
    defer { script.remove() }
    let driverOut = script.path + ".driver.json"
    let run = try BuiltTool.run(
      "rlm-otel-replay", [script.path, "--driver-out", driverOut], environment: ReplayToolTests.console)
    #expect(run.exited && run.status == 0, "\(run.stderr)")
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: driverOut)))
    let observations = try #require((document as? [String: Any])?["observations"] as? [[String: Any]])
    #expect(observations.count == 100)
    for observation in observations {
      let label = try #require(Int(observation["label"] as? String ?? ""))
      #expect(observation["call"] as? Int == 3 * label + 1, "\(observation)")
      #expect((observation["trace_id"] as? String)?.count == 32, "\(observation)")
    }
  }
}
