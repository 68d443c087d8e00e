import ObservabilitySinks
import SinkReplay
import Testing

@Suite("rlm-otel-replay as a user runs it: inputs named in every error, an honest exit status")
struct ReplayToolTests {
  /// Sends to the console exporter: a real exporter, no collector needed.
  static let console = [
    "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_TRACES_EXPORTER": "console", "OTEL_METRICS_EXPORTER": "none",
  ]
  static let step =
    #"{"type": "step", "run_id": "r", "task": "Sum", "timestamp": "2025-01-15T10:00:01Z", "step": 1, "reward": NaN}"#
  static let final =
    #"{"type": "final", "run_id": "r", "timestamp": "2025-01-15T10:00:02Z", "completed": true}"#

  @Test func aCRLFRunLogIsSentAndABadLineIsSkippedNamedCountedAndFailsTheRun() throws {
    let log = try TemporaryFile(
      "\u{FEFF}" + [Self.step, "{oops", Self.final].joined(separator: "\r\n") + "\r\n")
    defer { log.remove() }
    let run = try BuiltTool.run("rlm-otel-replay", ["--jsonl", log.path], environment: Self.console)
    #expect(run.exited && run.status == 1, "\(run.stderr)")
    #expect(run.stderr.contains("\(log.path):2: not JSON"), "\(run.stderr)")
    #expect(run.stderr.contains("exported 2") && run.stderr.contains("skipped 1 bad line"), "\(run.stderr)")
    #expect(run.stdout.contains("rlm.run") && run.stdout.contains("task=\"Sum\""), "\(run.stdout)")
  }

  @Test func aCleanRunLogExitsZero() throws {
    let log = try TemporaryFile([Self.step, Self.final].joined(separator: "\r\n"))
    defer { log.remove() }
    let run = try BuiltTool.run("rlm-otel-replay", ["--jsonl", log.path], environment: Self.console)
    #expect(run.exited && run.status == 0, "\(run.stderr)")
    #expect(!run.stderr.contains("skipped"), "\(run.stderr)")
  }

  @Test func aTimestampAfter2554IsASkippedLineNotATrap() throws {
    let far = #"{"type": "final", "run_id": "r", "timestamp": "2600-01-01T00:00:00Z", "completed": true}"#
    let log = try TemporaryFile([Self.step, far].joined(separator: "\n"))
    defer { log.remove() }
    let run = try BuiltTool.run("rlm-otel-replay", ["--jsonl", log.path], environment: Self.console)
    #expect(run.exited && run.status == 1, "\(run.stderr)")
    #expect(run.stderr.contains("\(log.path):2: timestamp 2600-01-01T00:00:00Z is outside"), "\(run.stderr)")
  }

  @Test func unreadableInputsAreRefusedByNameBeforeAnythingIsSent() throws {
    let binary = try TemporaryFile([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0xFF, 0xFE, 0x00, 0x0A, 0xC3, 0x28])
    let directory = try TemporaryFile("", name: "empty.jsonl")
    defer {
      binary.remove()
      directory.remove()
    }
    let folder = String(directory.path.dropLast("/empty.jsonl".count))
    let cases: [([String], String)] = [
      (
        ["--jsonl", "/nonexistent/run.jsonl"],
        "/nonexistent/run.jsonl: cannot read: No such file or directory"
      ),
      (["--jsonl", folder], "\(folder): cannot read: Is a directory"),
      ([folder], "\(folder): cannot read: Is a directory"),
      (["--jsonl", binary.path], "\(binary.path): not a run log: none of its 2 non-blank lines is an event"),
      ([binary.path], "\(binary.path): not UTF-8 text, not a hook script"),
    ]
    for (arguments, message) in cases {
      let run = try BuiltTool.run("rlm-otel-replay", arguments, environment: Self.console)
      #expect(run.exited && run.status == 2, "\(arguments): \(run.stderr)")
      #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
      #expect(!run.stderr.contains("NSCocoaErrorDomain") && run.stdout.isEmpty, "\(arguments)")
    }
  }

  @Test func aHookScriptErrorNamesTheFileLineAndColumn() throws {
    let script = try TemporaryFile(
      "[\n  {\"hook\": \"sleep\", \"ms\": 1},\n  {\"hook\" 1}\n]", name: "script.json")
    defer { script.remove() }
    let run = try BuiltTool.run("rlm-otel-replay", [script.path], environment: Self.console)
    #expect(run.exited && run.status == 2)
    #expect(run.stderr.contains("\(script.path):3:11: not JSON: expected ':'"), "\(run.stderr)")
  }

  @Test(arguments: [
    ([:], "the sink is disabled"),
    (
      ["DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://collector:4317"],
      "invalid OTLP endpoint"
    ),
    (
      [
        "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://h:4317",
        "OTEL_SDK_DISABLED": "true",
      ], "OTEL_SDK_DISABLED"
    ),
    (["DSPY_RLM_OTEL_ENABLED": "true"], "no exporter"),
  ])
  func aSinkThatCannotSendFailsTheReplay(environment: [String: String], reason: String) throws {
    let log = try TemporaryFile([Self.step, Self.final].joined(separator: "\n"))
    defer { log.remove() }
    let run = try BuiltTool.run("rlm-otel-replay", ["--jsonl", log.path], environment: environment)
    #expect(run.exited && run.status == 3, "\(run.stderr)")
    #expect(run.stderr.contains("nothing sent") && run.stderr.contains(reason), "\(run.stderr)")
  }

  @Test func aSleepScaleThatWouldOverflowIsRefused() throws {
    let script = try TemporaryFile(#"[{"hook": "sleep", "ms": 1}]"#, name: "script.json")
    defer { script.remove() }
    let run = try BuiltTool.run(
      "rlm-otel-replay", [script.path, "--sleep-scale", "1e300"], environment: Self.console)
    #expect(run.exited && run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("--sleep-scale needs a number from 0 to 1000"))
  }

  @Test func helpSaysWhatABadLineDoesAndWhatTheExitStatusMeans() throws {
    let run = try BuiltTool.run("rlm-otel-replay", ["--help"])
    #expect(run.exited && run.status == 0)
    #expect(run.stdout.contains("is skipped with a warning naming") && run.stdout.contains("exit status: 0"))
  }
}
