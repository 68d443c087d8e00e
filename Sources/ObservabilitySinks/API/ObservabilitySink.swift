/// A destination for the events of RLM runs: the contract every sink of the reference shares.
///
/// Hooks are called on the runtime's own thread; a sink must record what it needs and return
/// quickly, never waiting on the network. A hook may throw: the ``RLMObservability``
/// coordinator catches it so that it reaches neither the caller nor the other sinks.
public protocol ObservabilitySink: AnyObject, Sendable {
  /// The status report this sink returns.
  associatedtype Status: SinkStatusReport

  /// The sink's name, unique among the sinks of a coordinator (`"opentelemetry"`).
  var name: String { get }

  /// What the sink is doing now.
  func status() -> Status

  /// A run has started.
  func onRunStart(runID: String, task: String, environment: String, params: RunParams) throws

  /// A step of a run has finished.
  func onStep(runID: String, event: StepEvent, cumulativeReward: Double) throws

  /// A run has ended.
  func onRunEnd(runID: String, result: RunResult, runPath: String) throws

  /// A language model call of a run has returned (beyond the reference: Swift runtimes report
  /// their sub-LM calls here). Sinks that do not record calls ignore it: the default does nothing.
  func onLLMCall(runID: String, call: LLMCall) throws
}

extension ObservabilitySink {
  /// Ignores the call: the reference's sinks know no model calls.
  public func onLLMCall(runID: String, call: LLMCall) throws {}
}

/// A sink's status, with a dictionary form equal to the reference's `status()` dict.
public protocol SinkStatusReport: Sendable {
  /// The sink's name.
  var name: String { get }
  /// The status as the reference's `status()` returns it.
  var dictionary: [String: StatusValue] { get }
}

/// A value in a status dictionary.
public enum StatusValue: Hashable, Sendable, CustomStringConvertible {
  /// A text.
  case string(String)
  /// A flag.
  case bool(Bool)
  /// A count.
  case int(Int)

  /// The value as Python would print it inside a dict.
  public var description: String {
    switch self {
    case .string(let value): return PythonFloat.quote(value)
    case .bool(let value): return value ? "True" : "False"
    case .int(let value): return String(value)
    }
  }
}
