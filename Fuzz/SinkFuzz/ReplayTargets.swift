import ObservabilitySinks
import SinkReplay

/// The run-log and hook-script readers, and playing what they read.
enum ReplayTargets {
  /// Bad lines are reported once each, in order, within the file; the strict reader fails
  /// exactly when the lenient one skips; CRLF line ends read as LF ones do.
  static func runLog(_ bytes: [UInt8]) {
    var badLines: [HookScriptError] = []
    let script = HookScript(runLog: bytes, runPath: "fuzz.jsonl", badLines: &badLines)
    invariant(script.times.count == script.calls.count, "one time per call")
    let lineCount = bytes.count { $0 == 0x0A } + 1
    let numbers = badLines.compactMap(\.line)
    invariant(numbers.count == badLines.count, "every bad line has a number")
    invariant(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "bad lines in order, once each")
    invariant(numbers.allSatisfy { (1...lineCount).contains($0) }, "bad line numbers within the file")
    if let text = String(validating: bytes, as: UTF8.self) {
      do {
        let strict = try HookScript(runLog: text, runPath: "fuzz.jsonl")
        invariant(
          badLines.isEmpty && strict.calls.count == script.calls.count, "strict reader accepted a bad log")
      } catch {
        invariant(
          (error as? HookScriptError) == badLines.first, "strict reader's error is the first bad line")
      }
    }
    if !bytes.contains(0x0D) {
      var crlf: [UInt8] = []
      for byte in bytes {
        if byte == 0x0A { crlf.append(0x0D) }
        crlf.append(byte)
      }
      var crlfBadLines: [HookScriptError] = []
      let crlfScript = HookScript(runLog: crlf, runPath: "fuzz.jsonl", badLines: &crlfBadLines)
      invariant(crlfScript.calls.count == script.calls.count, "CRLF changes the calls")
      invariant(crlfBadLines.compactMap(\.line) == numbers, "CRLF changes the bad lines")
    }
    invariant(play(script).status().activeRuns == 0, "a run log left a run open")
    let merged = HookScript.mergedByTime([script, script])
    invariant(merged.calls.count == 2 * script.calls.count, "merging lost or made calls")
    invariant(play(merged).status().activeRuns == 0, "a merged run log left a run open")
  }

  /// A trajectory log: one time per call, bad lines in order, every run it starts ended, every
  /// span's parent exported (no child under a step that never was).
  static func trajectory(_ bytes: [UInt8]) {
    var badLines: [HookScriptError] = []
    let script = HookScript.mergedByTime([HookScript(trajectory: bytes, file: "t.jsonl", badLines: &badLines)]
    )
    invariant(script.times.count == script.calls.count, "one time per call")
    let numbers = badLines.compactMap(\.line)
    invariant(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "bad lines in order, once each")
    let sink = play(script)
    invariant(sink.status().activeRuns == 0, "a trajectory left a run open")
    invariant(sink.status().spansDropped == 0, "spans dropped")
  }

  /// A script that parses has one call per element, and plays without trapping.
  static func hookScript(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let script = try? HookScript(json: text) else { return }
    if case .array(let elements)? = try? JSONValue(parsing: text) {
      invariant(elements.count == script.calls.count, "one call per element")
    }
    _ = play(script)
  }

  /// Plays `script` (without its sleeps) on a new sink; a run log ends every run it starts.
  private static func play(_ script: HookScript) -> OpenTelemetrySink {
    let sink = FuzzSink.make()
    _ = HookScriptPlayer(sleepScale: 0).play(script, on: sink)
    return sink
  }
}
