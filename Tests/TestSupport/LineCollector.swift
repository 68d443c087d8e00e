import Foundation
import SinkSupport

/// Reads a child's stdout on a dedicated thread, splitting it into lines, until end of file.
///
/// A blocking reader thread (rather than readabilityHandler) keeps the order of lines and makes
/// "wait for the first line, with a timeout" a simple condition wait.
final class LineCollector: Sendable {
  enum FirstLine {
    case line(String)
    case endOfFile
    case timedOut
  }

  private struct State {
    var lines: [String] = []
    var endOfFile = false
  }

  private let state = LockedValue(State())
  private let firstLineOrEnd = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)

  init(reading handle: FileHandle) {
    let thread = Thread { [self] in
      var buffer = Data()
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        buffer.append(chunk)
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
          let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
          buffer.removeSubrange(buffer.startIndex...newline)
          let isFirst = state.withLock { state in
            state.lines.append(line)
            return state.lines.count == 1
          }
          if isFirst { firstLineOrEnd.signal() }
        }
      }
      let hadLines = state.withLock { state in
        state.endOfFile = true
        return !state.lines.isEmpty
      }
      if !hadLines { firstLineOrEnd.signal() }
      finished.signal()
    }
    thread.name = "PythonProcess stdout"
    thread.start()
  }

  /// Waits for the first line, end of file, or the timeout, whichever comes first.
  func firstLine(timeout: Duration) -> FirstLine {
    if firstLineOrEnd.wait(timeout: Deadline(after: timeout).dispatchTime) == .timedOut {
      return .timedOut
    }
    firstLineOrEnd.signal()  // leave it signalled for any later caller
    return state.withLock { state in
      state.lines.first.map(FirstLine.line) ?? .endOfFile
    }
  }

  /// Blocks until end of file on the child's stdout, at most `timeout`. Called once the child has
  /// exited, so everything it printed is already in the pipe; the limit matters because a sibling
  /// process spawned at the same moment can inherit our pipe's write end and delay EOF for its life.
  func waitForEndOfFile(timeout: Duration) {
    if finished.wait(timeout: Deadline(after: timeout).dispatchTime) == .success {
      finished.signal()
    }
  }

  var linesAfterFirst: [String] {
    state.withLock { Array($0.lines.dropFirst()) }
  }
}
