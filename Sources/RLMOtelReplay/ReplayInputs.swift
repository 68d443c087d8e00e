import ObservabilitySinks
import SinkReplay
import SinkSupport

/// The scripts the command line names, all read and checked before anything is sent.
struct ReplayInputs {
  /// One script per input file, in command-line order.
  private(set) var scripts: [HookScript] = []
  /// The run-log lines skipped, each naming its file and line.
  private(set) var skippedLines: [HookScriptError] = []
  /// Files that held nothing to replay (an empty run log).
  private(set) var emptyFiles: [String] = []
  /// The runs the scripts start (their `on_run_start` calls).
  private(set) var runs = 0

  /// A run log is loaded whole; this bounds what a wrong argument (a disk image) can cost.
  private static let largestFile = 1 << 30

  /// Reads every input; `afterEachFile` is told how many files were read and how many runs they
  /// start, for the progress line of a long read.
  init(options: ReplayOptions, afterEachFile: (_ filesRead: Int, _ runs: Int) -> Void = { _, _ in })
    throws(InputError)
  {
    for (index, path) in options.inputs.enumerated() {
      let bytes: [UInt8]
      do {
        bytes = try TextFile.bytes(path, limit: Self.largestFile)
      } catch {
        throw InputError("\(path): cannot read: \(error)")
      }
      if options.runLogs || options.trajectories {
        try readLog(bytes, path: path, trajectory: options.trajectories)
      } else {
        scripts.append(try Self.script(bytes, path: path))
      }
      runs += scripts.last?.runStarts ?? 0
      afterEachFile(index + 1, runs)
    }
    // The logs of one recursive run (a file per run, or one file with every run) play as one
    // timeline, so that child runs join their parent's trace.
    if options.runLogs || options.trajectories {
      scripts = [HookScript.mergedByTime(scripts)]
    }
  }

  private mutating func readLog(_ bytes: [UInt8], path: String, trajectory: Bool) throws(InputError) {
    var badLines: [HookScriptError] = []
    let script =
      trajectory
      ? HookScript(trajectory: bytes, file: path, badLines: &badLines)
      : HookScript(runLog: bytes, runPath: path, badLines: &badLines)
    if script.calls.isEmpty, let first = badLines.first {
      // Nothing usable at all: a wrong file (binary, a hook script), not a damaged log.
      throw InputError(
        "\(path): not a run log: none of its \(badLines.count) non-blank lines is an event (\(first))")
    }
    if script.calls.isEmpty { emptyFiles.append(path) }
    skippedLines += badLines
    scripts.append(script)
  }

  private static func script(_ bytes: [UInt8], path: String) throws(InputError) -> HookScript {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    guard let text = String(validating: body, as: UTF8.self) else {
      throw InputError("\(path): not UTF-8 text, not a hook script")
    }
    do {
      return try HookScript(json: text)
    } catch let error as JSONParseError {
      let (line, column) = position(of: error.offset, in: body)
      throw InputError("\(path):\(line):\(column): not JSON: \(error.reason)")
    } catch {
      throw InputError("\(path): \(error)")
    }
  }

  /// The 1-based line and byte column of `offset`.
  private static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    let before = bytes.prefix(offset)
    let line = before.count { $0 == 0x0A } + 1
    let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    return (line, offset - lineStart + 1)
  }
}

extension HookScript {
  /// How many runs the script starts.
  var runStarts: Int {
    calls.count {
      if case .runStart = $0 { true } else { false }
    }
  }

  /// The calls in `range`, with their times (a script may give fewer times than calls).
  func slice(_ range: Range<Int>) -> HookScript {
    HookScript(calls: Array(calls[range]), times: Array(times[range.clamped(to: times.indices)]))
  }
}

/// An input the tool cannot replay, in words that name the file.
struct InputError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
