import Foundation
import ObservabilitySinks
import TestSupport
import Testing

/// Runs SpoolChild through `/bin/sh -c PREFIX`, in a mount namespace of its own when `isolated`
/// (`unshare -rm`: a tmpfs mounted there is the child's alone), with exactly `environment`.
private func runChild(
  shell prefix: String, _ arguments: [String], environment: [String: String], isolated: Bool = false
) throws -> BuiltTool.Run {
  let child = BuiltTool.url("SpoolChild").path
  let command = "\(prefix) exec '\(child)' \(arguments.joined(separator: " "))"
  let shell = isolated ? ["unshare", "-rm", "/bin/sh", "-c", command] : ["/bin/sh", "-c", command]
  return try BuiltTool.run("/usr/bin/env", shell, environment: environment)
}

/// Counters a SpoolChild `status` line printed.
private func counters(_ output: String) -> [String: Int] {
  guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("status ") }) else { return [:] }
  var values: [String: Int] = [:]
  for pair in line.dropFirst("status ".count).split(separator: " ") {
    let parts = pair.split(separator: "=")
    if parts.count == 2 { values[String(parts[0])] = Int(parts[1]) }
  }
  return values
}

@Suite(
  "Spool faults: a full disk, a read-only directory, a file-size limit, corrupt and bounded segments",
  .serialized)
struct SpoolFaultTests {
  static func deadEndpoint() throws -> String {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    return receiver.endpoint
  }

  static func environment(endpoint: String, spool: String) -> [String: String] {
    [
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
      "DSPY_RLM_OTEL_SPOOL_DIR": spool,
      "DSPY_RLM_OTEL_METRICS_ENABLED": "false", "OTEL_EXPORTER_OTLP_TIMEOUT": "500", "PATH": "/usr/bin:/bin",
      "SWIFT_BACKTRACE": "enable=no",
    ]
  }

  /// Steps enough to fill `bytes` of spool many times over (each span is a few hundred bytes).
  static func manySteps(_ count: Int) -> [String] {
    ["start:R", "steps:R:\(count)", "end:R"]
  }

  @Test func aFullDiskSendsWhatCannotBeWrittenFromMemorySaidOnceAndNothingCrashes() throws {
    let mount = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: mount) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let run = try runChild(
      shell: "mount -t tmpfs -o size=128k tmpfs '\(mount)' &&",
      Self.manySteps(3000) + ["shutdown:30", "status"],
      environment: Self.environment(endpoint: receiver.endpoint, spool: mount + "/spool"),
      isolated: true)
    #expect(run.exited && run.status == 0, "\(run.stdout)\(run.stderr)")
    let lines = run.stderr.split(separator: "\n").filter { $0.contains("a write failed") }
    #expect(!run.stderr.contains("span queue full"), "\(run.stderr)")
    #expect(lines.count == 1, "\(run.stderr)")
    #expect(lines.first?.contains("No space left on device (ENOSPC)") == true)
    #expect(lines.first?.contains("spans go on in memory, sent without the spool") == true, "\(lines)")
    let status = counters(run.stdout)
    // Nothing lost: what the disk took was sent from the spool, the rest from memory, each once.
    #expect(status["recorded"] == 3001 && status["exported"] == 3001, "\(run.stdout)")
    #expect(status["discarded"] == 0 && status["failed"] == 0 && status["pending"] == 0, "\(run.stdout)")
    let spans = receiver.spans()
    #expect(spans.count == 3001 && Set(spans.map(\.spanID)).count == 3001, "\(spans.count) spans received")
  }

  @Test func aFullDiskWithTheCollectorDownCountsWhatItCannotKeep() throws {
    let mount = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: mount) }
    let run = try runChild(
      shell: "mount -t tmpfs -o size=128k tmpfs '\(mount)' &&",
      Self.manySteps(3000) + ["shutdown:5", "status"],
      environment: Self.environment(endpoint: try Self.deadEndpoint(), spool: mount + "/spool"),
      isolated: true)
    #expect(run.exited && run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stderr.contains("span export from memory (spans the spool could not write)"), "\(run.stderr)")
    let status = counters(run.stdout)
    #expect((status["failed"] ?? 0) > 0 && (status["spool"] ?? 0) > 0, "\(run.stdout)")
    // Every span is accounted for: on disk for the next process, or sent from memory and failed.
    #expect(
      status["recorded"] == 3001
        && (status["failed"] ?? 0) + (status["discarded"] ?? 0) + (status["pending"] ?? 0) == 3001,
      "\(run.stdout)")
  }

  @Test func aReadOnlyDirectoryLeavesTheSinkInMemoryWithOneWarning() throws {
    let mount = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: mount) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let run = try runChild(
      shell: "mount -t tmpfs -o ro tmpfs '\(mount)' &&", Self.manySteps(3) + ["shutdown:5", "status"],
      environment: Self.environment(endpoint: receiver.endpoint, spool: mount + "/spool"), isolated: true)
    #expect(run.exited && run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stderr.contains("Read-only file system (EROFS); spans stay in memory"), "\(run.stderr)")
    #expect(counters(run.stdout)["exported"] == 4)
    #expect(receiver.spans().count == 4)
  }

  @Test func aFileSizeLimitKeepsSegmentsBelowItOrTurnsTheSpoolOff() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let environment = Self.environment(endpoint: try Self.deadEndpoint(), spool: spool)
    // 6 MiB (ulimit -f counts 512-byte blocks in sh): segments of under 2 MiB; 12 MiB written
    // through rotation, and no SIGXFSZ. The shutdown gives the writer time for all of it (the
    // collector is down, so it returns as soon as everything is on disk), also under sanitizers.
    let limited = try runChild(
      shell: "ulimit -f 12288 &&", Self.manySteps(40_000) + ["shutdown:60", "status"],
      environment: environment
    )
    #expect(limited.exited && limited.status == 0, "\(limited.stdout)\(limited.stderr)")
    #expect(counters(limited.stdout)["pending"] == 40_001, "\(limited.stdout)")
    let sizes = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".seg") }.map
    {
      (try FileManager.default.attributesOfItem(atPath: "\(spool)/\($0)")[.size] as? Int) ?? 0
    }
    #expect(sizes.count > 2 && sizes.allSatisfy { $0 < 6 << 20 }, "\(sizes)")
    // 1 MiB: too small for a segment and the largest record; the spool is off, said once.
    let tiny = try runChild(
      shell: "ulimit -f 2048 &&", Self.manySteps(2) + ["status"], environment: environment)
    #expect(tiny.exited && tiny.status == 0, "\(tiny.stdout)\(tiny.stderr)")
    #expect(tiny.stderr.contains("RLIMIT_FSIZE"), "\(tiny.stderr)")
  }

  @Test func aCorruptSegmentIsReadUpToTheDamageAndSaid() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let dead = try Self.deadEndpoint()
    let left = try runChild(
      shell: "", Self.manySteps(20) + ["shutdown:1", "status"],
      environment: Self.environment(endpoint: dead, spool: spool))
    #expect(counters(left.stdout)["pending"] == 21, "\(left.stdout)")
    let segment = try #require(spoolSegments(spool).first)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(spool)/\(segment)"))
    bytes[bytes.count / 2] ^= 0xFF
    try bytes.write(to: URL(fileURLWithPath: "\(spool)/\(segment)"))

    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let next = try runChild(
      shell: "", ["flush", "shutdown:5", "status"],
      environment: Self.environment(endpoint: receiver.endpoint, spool: spool))
    #expect(next.exited && next.status == 0, "\(next.stdout)\(next.stderr)")
    #expect(
      next.stderr.contains("corrupt at byte") && next.stderr.contains("the rest of that segment is skipped"),
      "\(next.stderr)")
    let recovered = counters(next.stdout)["recovered"] ?? -1
    #expect(recovered > 0 && recovered < 21, "\(next.stdout)")
    #expect(receiver.spans().count == recovered)
  }

  @Test func aStreamOfANewerFormatIsLeftAsItIsAndAnUnreadableSegmentSetAside() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    // A dead stream written by a later version (format 2), and one whose segment is a directory.
    #expect(FileManager.default.createFile(atPath: "\(spool)/s-1-1-newer.lock", contents: Data()))
    var newer = Data("RLMOTSPL".utf8) + Data([2, 0, 0, 0, 64, 0, 0, 0])
    newer += Data(count: 48)
    try newer.write(to: URL(fileURLWithPath: "\(spool)/s-1-1-newer.000001.seg"))
    #expect(FileManager.default.createFile(atPath: "\(spool)/s-2-2-broken.lock", contents: Data()))
    try FileManager.default.createDirectory(
      atPath: "\(spool)/s-2-2-broken.000001.seg", withIntermediateDirectories: false)
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let run = try runChild(
      shell: "", ["flush", "shutdown:5", "status"],
      environment: Self.environment(endpoint: receiver.endpoint, spool: spool))
    #expect(run.exited && run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(
      run.stderr.contains("format version 2, newer than this one reads; left as it is"), "\(run.stderr)")
    #expect(run.stderr.contains("not a regular file; set aside as"), "\(run.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: spool)
    #expect(left.contains("s-1-1-newer.000001.seg") && left.contains("s-1-1-newer.lock"))
    #expect(left.contains("s-2-2-broken.000001.seg.unreadable"))
  }

  @Test func aFullSpoolDiscardsTheOldestUnsentSpansCountedAndSaid() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    var environment = Self.environment(endpoint: try Self.deadEndpoint(), spool: spool)
    environment["DSPY_RLM_OTEL_SPOOL_MAX_BYTES"] = String(256 << 10)
    let run = try runChild(
      shell: "", Self.manySteps(5000) + ["shutdown:2", "status"], environment: environment)
    #expect(run.exited && run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(
      run.stderr.contains("is full (262144 bytes, DSPY_RLM_OTEL_SPOOL_MAX_BYTES): the oldest"),
      "\(run.stderr)")
    let status = counters(run.stdout)
    #expect((status["discarded"] ?? 0) > 0 && status["dropped"] == 0)
    #expect((status["discarded"] ?? 0) + (status["pending"] ?? 0) == 5001, "\(run.stdout)")
    let bytes = try FileManager.default.contentsOfDirectory(atPath: spool).reduce(0) {
      $0 + ((try FileManager.default.attributesOfItem(atPath: "\(spool)/\($1)")[.size] as? Int) ?? 0)
    }
    #expect(bytes <= (256 << 10) + (64 << 10), "\(bytes) bytes on disk")
  }
}
