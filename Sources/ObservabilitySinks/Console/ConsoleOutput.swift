/// Where console exporters write: standard output by default, any text sink in tests.
public struct ConsoleOutput: Sendable {
  /// Writes one chunk of text.
  public let write: @Sendable (String) -> Void

  /// Creates an output that hands each chunk to `write`.
  public init(write: @escaping @Sendable (String) -> Void) {
    self.write = write
  }

  /// The process's standard output.
  public static let standardOutput = ConsoleOutput { text in
    StandardOutput.emit(text)
  }
}
