import Foundation
import ObservabilitySinks
import TestSupport
import Testing

@Suite("Spool: a process killed mid-run, then a new one on the same spool", .serialized)
struct SpoolCrashTests {
  static func environment(_ receiver: OTLPTestReceiver, spool: String) -> [String: String] {
    [
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
      "DSPY_RLM_OTEL_SPOOL_DIR": spool, "DSPY_RLM_OTEL_METRICS_ENABLED": "false",
      // Only a flush sends: what was recorded after it is on disk, unsent, when the process dies.
      "OTEL_BSP_SCHEDULE_DELAY": "600000",
      // Swift's backtracer catches SIGABRT: under ThreadSanitizer the child then never ends,
      // under AddressSanitizer the backtracer itself faults. Without it abort() ends the process.
      "SWIFT_BACKTRACE": "enable=no",
    ]
  }

  /// The run is sent as one complete trace: the spans the dead process sent once, the rest from
  /// the spool, and the run, its step in progress and its child run ended with ERROR.
  @Test(arguments: ["sigkill", "abort"])
  func aRunKilledMidwayArrivesWholeWithItsRunSpanInError(death: String) throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let environment = Self.environment(receiver, spool: spool)

    // R: three steps sent; then a model call and a child run C (two steps) under R's fourth
    // step, all on disk only, when the process dies.
    let first = try BuiltTool.run(
      "SpoolChild",
      [
        "start:R", "step:R", "step:R", "step:R", "flush", "llm:R", "child:C:R", "step:C", "step:C",
        "spooled:3", death,
      ],
      environment: environment)
    #expect(!first.exited, "it died of its signal: \(first.stdout)\(first.stderr)")
    #expect(first.stdout.contains("flushed true") && first.stdout.contains("spooled 3"), "\(first.stdout)")
    let sentBefore = receiver.spans()
    #expect(sentBefore.count == 3)

    let second = try BuiltTool.run(
      "SpoolChild", ["flush", "shutdown:10", "status"], environment: environment)
    #expect(second.exited && second.status == 0, "\(second.stdout)\(second.stderr)")
    #expect(second.stdout.contains("shutdown true"), "\(second.stdout)")
    #expect(second.stdout.contains("recovered=6 runsRecovered=2"), "\(second.stdout)")
    #expect(second.stderr.contains("recovered 3 unsent spans and 2 unfinished runs"), "\(second.stderr)")

    let spans = receiver.spans()
    // Nothing twice: 3 steps of R sent by the first process, 3 spans it left, 3 rebuilt.
    #expect(spans.count == 9, "\(spans.map(\.name))")
    let ids = Set(spans.map(\.spanID))
    #expect(ids.count == spans.count)
    #expect(Set(spans.map(\.traceID)).count == 1)
    for span in spans {
      if let parent = span.parentSpanID { #expect(ids.contains(parent), "\(span.name) has no parent") }
    }
    let runs = spans.filter { $0.name == "rlm.run" }
    #expect(runs.count == 2)
    for run in runs {
      #expect(run.statusCode == "STATUS_CODE_ERROR")
      #expect(run.statusMessage == "the process ended before the run did")
      #expect(run.endTimeUnixNano >= run.startTimeUnixNano)
    }
    let root = try #require(runs.first { $0.parentSpanID == nil })
    let child = try #require(runs.first { $0.parentSpanID != nil })
    // The root ends with the last thing recorded in its trace: the child's last step.
    let lastStep = spans.filter { $0.name == "rlm.step" }.map(\.endTimeUnixNano).max() ?? 0
    #expect(root.endTimeUnixNano == lastStep)
    let stepInProgress = try #require(spans.first { $0.spanID == child.parentSpanID })
    #expect(stepInProgress.name == "rlm.step" && stepInProgress.parentSpanID == root.spanID)
    #expect(spans.contains { $0.name == "chat gpt-4o-mini" && $0.parentSpanID == stepInProgress.spanID })
    #expect(spoolSegments(spool).isEmpty)
  }

  /// A host that never restarts its runtime: `rlm-otel-replay --spool` sends what a killed process
  /// left, and exits 0; run again with nothing left, it sends nothing.
  @Test func theReplayToolDrainsASpoolForAHostThatNeverRestarts() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let environment = Self.environment(receiver, spool: spool)
    let killed = try BuiltTool.run(
      "SpoolChild", ["start:R", "steps:R:4", "spooled:4", "sigkill"], environment: environment)
    #expect(!killed.exited)
    #expect(receiver.spans().isEmpty)

    let drain = try BuiltTool.run(
      "rlm-otel-replay", ["--spool", spool, "--no-progress"], environment: environment)
    #expect(drain.exited && drain.status == 0, "\(drain.stdout)\(drain.stderr)")
    #expect(
      drain.stderr.contains("recovered 5 spans (1 unfinished runs ended with ERROR), exported 5"),
      "\(drain.stderr)")
    #expect(receiver.spans().count == 5)
    #expect(
      receiver.spans().filter { $0.name == "rlm.run" && $0.statusCode == "STATUS_CODE_ERROR" }.count == 1)
    let again = try BuiltTool.run(
      "rlm-otel-replay", ["--spool", spool, "--no-progress"], environment: environment)
    #expect(
      again.exited && again.status == 0 && again.stderr.contains("recovered 0 spans"), "\(again.stderr)")
    #expect(receiver.spans().count == 5)
    #expect(spoolSegments(spool).isEmpty)
  }

  /// A process killed while it recovers a dead stream leaves its attempt noted (the poison-stream
  /// guard counts such deaths); the next process recovers both streams, every span at least once.
  @Test func aProcessKilledWhileRecoveringLeavesItsAttemptNotedAndTheNextOneRecovers() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let gone = try OTLPTestReceiver()
    var environment = Self.environment(gone, spool: spool)
    gone.stop()
    // 40,001 spans left by a process whose collector was down, written a part at a time.
    var produce = ["start:R"]
    for part in 1...4 { produce += ["steps:R:10000", "spooled:\(part * 10_000)"] }
    let first = try BuiltTool.run(
      "SpoolChild", produce + ["end:R", "shutdown:2", "status"], environment: environment)
    #expect(first.stdout.contains("pending=40001 spool=40001"), "\(first.stdout)\(first.stderr)")
    let deadStream = try #require(spoolFiles(spool).first { $0.hasSuffix(".lock") })

    // The next process is killed as soon as it has noted its attempt at recovering that stream.
    let recoverer = Process()
    recoverer.executableURL = BuiltTool.url("SpoolChild")
    recoverer.arguments = ["flush", "shutdown:30"]
    recoverer.environment = environment
    recoverer.standardOutput = FileHandle.nullDevice
    recoverer.standardError = FileHandle.nullDevice
    try recoverer.run()
    let marker = deadStream.dropLast(".lock".count) + ".adopting"
    let noted = waitFor(timeout: .seconds(60)) { spoolFiles(spool).contains(String(marker)) }
    kill(recoverer.processIdentifier, SIGKILL)
    recoverer.waitUntilExit()
    #expect(noted && recoverer.terminationReason == .uncaughtSignal, "\(spoolFiles(spool))")
    #expect((try? String(contentsOfFile: "\(spool)/\(marker)", encoding: .utf8)) == "1")

    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.endpoint
    let last = try BuiltTool.run("SpoolChild", ["flush", "shutdown:60", "status"], environment: environment)
    #expect(
      last.exited && last.status == 0 && last.stdout.contains("pending=0"), "\(last.stdout)\(last.stderr)")
    #expect(!last.stderr.contains("set aside"), "\(last.stderr)")
    // At least once: what the killed recoverer had copied into its own stream may come twice.
    let spans = receiver.spans()
    #expect(Set(spans.map(\.spanID)).count == 40_001 && spans.count >= 40_001)
    #expect(spoolFiles(spool).isEmpty, "\(spoolFiles(spool))")
  }

  /// A process that is alive holds its stream: another sink on the directory leaves it alone.
  @Test func aLiveProcessIsNeverRecovered() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = ["OTEL_BSP_SCHEDULE_DELAY": "600000"]
    configuration.spoolDirectory = spool
    let alive = OpenTelemetrySink(
      enabled: true, endpoint: receiver.endpoint, metricsEnabled: false, configuration: configuration)
    playRuns(alive, runs: 1, steps: 2)
    let deadline = ContinuousClock.now + .seconds(10)
    while alive.status().spoolSpans < 3, ContinuousClock.now < deadline { usleep(5_000) }
    #expect(alive.status().spoolSpans == 3)

    let other = try BuiltTool.run(
      "SpoolChild", ["flush", "shutdown:5", "status"], environment: Self.environment(receiver, spool: spool))
    #expect(other.stdout.contains("recovered=0"), "\(other.stdout)")
    #expect(receiver.spans().isEmpty)
    #expect(alive.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 3)
  }
}
