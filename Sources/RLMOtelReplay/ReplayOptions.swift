/// The command line of `rlm-otel-replay`.
struct ReplayOptions {
  static let usage = """
    usage: rlm-otel-replay SCRIPT.json [--driver-out FILE] [--sleep-scale X] [--exit-without-shutdown]
           rlm-otel-replay --jsonl RUN.jsonl [RUN.jsonl ...]
    --exit-without-shutdown leaves delivery to the exit-time flush (to check it).
    """

  var inputs: [String] = []
  var runLogs = false
  var driverOut: String?
  var sleepScale = 1.0
  var exitWithoutShutdown = false

  init(arguments: [String]) throws(UsageError) {
    var index = 0
    func value(of option: String) throws(UsageError) -> String {
      guard index + 1 < arguments.count else { throw UsageError("\(option) needs a value") }
      index += 1
      return arguments[index]
    }
    while index < arguments.count {
      let argument = arguments[index]
      switch argument {
      case "--driver-out": driverOut = try value(of: argument)
      case "--sleep-scale":
        guard let scale = Double(try value(of: argument)), scale >= 0, scale.isFinite else {
          throw UsageError("--sleep-scale needs a number >= 0")
        }
        sleepScale = scale
      case "--jsonl": runLogs = true
      case "--exit-without-shutdown": exitWithoutShutdown = true
      case "-h", "--help": throw UsageError(Self.usage)
      default:
        guard !argument.hasPrefix("--") else { throw UsageError("unknown option \(argument)\n\(Self.usage)") }
        inputs.append(argument)
      }
      index += 1
    }
    guard !inputs.isEmpty, runLogs || inputs.count == 1 else { throw UsageError(Self.usage) }
  }
}

/// A command line the tool does not understand.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
