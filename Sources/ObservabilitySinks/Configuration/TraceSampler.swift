/// Which traces a sink records and exports (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`).
///
/// The decision is taken once per trace, when its top run starts; the run's steps, model calls and
/// recursive child runs follow it, so an exported trace is always whole. Metrics are not sampled:
/// `rlm.runs`, `rlm.steps`, `rlm.reward`, `rlm.run_duration` and `rlm.tokens` count every run.
///
/// Specification: Tracing SDK, *Sampling* (built-in samplers `AlwaysOn`, `AlwaysOff`,
/// `TraceIdRatioBased`, `ParentBased`); SDK environment variables, `OTEL_TRACES_SAMPLER`.
public indirect enum TraceSampler: Hashable, Sendable {
  /// Every trace (`always_on`).
  case alwaysOn
  /// No trace (`always_off`).
  case alwaysOff
  /// A share of traces, from 0 to 1, chosen by the low 64 bits of the trace id exactly as the
  /// OpenTelemetry Python SDK's `TraceIdRatioBased` does (`traceidratio`), so that a trace id gets
  /// the same decision in both.
  case traceIDRatio(Double)
  /// The caller's decision when a run joins a caller's trace (its `traceparent`'s sampled flag,
  /// remote or in-process), else `root`'s (`parentbased_always_on`, the default,
  /// `parentbased_always_off`, `parentbased_traceidratio`).
  case parentBased(root: TraceSampler)

  /// The specification's default: the parent's decision, else every trace.
  ///
  /// Computed, not stored: an indirect case lives in a box whose pointer carries the case in its
  /// spare bits, which LeakSanitizer cannot follow from a global (it reported the box as leaked).
  public static var `default`: TraceSampler { .parentBased(root: .alwaysOn) }

  /// Whether a span of `traceID` whose parent is `parent` (`nil` for a new trace) is recorded.
  func isSampled(traceID: SpanData.TraceID, parent: SpanParent?) -> Bool {
    switch self {
    case .alwaysOn: return true
    case .alwaysOff: return false
    case .traceIDRatio(let ratio): return Self.ratioBound(ratio).admits(traceID)
    case .parentBased(let root):
      guard let parent else { return root.isSampled(traceID: traceID, parent: nil) }
      return parent.isSampled
    }
  }

  /// The Python SDK's bound, `round(rate * 2**64)`: a trace is sampled when its low 64 bits are
  /// below it. `round` is to the nearest even integer on ties, as Python's is.
  static func ratioBound(_ ratio: Double) -> RatioBound {
    let scaled = (ratio * 0x1p64).rounded(.toNearestOrEven)
    guard scaled < 0x1p64 else { return .everything }
    guard scaled > 0 else { return .below(0) }
    return .below(UInt64(scaled))
  }

  /// Which low-64-bit trace ids a ratio admits.
  enum RatioBound: Equatable {
    /// Those below the bound.
    case below(UInt64)
    /// All of them (a ratio of 1, whose bound 2^64 does not fit 64 bits).
    case everything

    func admits(_ traceID: SpanData.TraceID) -> Bool {
      switch self {
      case .everything: return true
      case .below(let bound): return traceID.low < bound
      }
    }
  }
}

extension TraceSampler: CustomStringConvertible {
  /// The sampler's name as `OTEL_TRACES_SAMPLER` spells it, with its argument.
  public var description: String {
    switch self {
    case .alwaysOn: return "always_on"
    case .alwaysOff: return "always_off"
    case .traceIDRatio(let ratio): return "traceidratio(\(ratio))"
    case .parentBased(.alwaysOn): return "parentbased_always_on"
    case .parentBased(.alwaysOff): return "parentbased_always_off"
    case .parentBased(.traceIDRatio(let ratio)): return "parentbased_traceidratio(\(ratio))"
    case .parentBased(let root): return "parentbased(\(root))"
    }
  }
}

/// A sampler flattened for the recorder: whether a run follows its parent's decision, and which
/// trace ids the root decision admits. No boxes to hold on to for a sink's lifetime, and one
/// comparison per top run.
struct SamplingRule: Sendable {
  let followsParent: Bool
  let root: TraceSampler.RatioBound

  init(_ sampler: TraceSampler) {
    switch sampler {
    case .alwaysOn: (followsParent, root) = (false, .everything)
    case .alwaysOff: (followsParent, root) = (false, .below(0))
    case .traceIDRatio(let ratio): (followsParent, root) = (false, TraceSampler.ratioBound(ratio))
    case .parentBased(let inner):
      // Without a parent, a parent-based root decides as itself with no parent.
      followsParent = true
      root = SamplingRule(inner).root
    }
  }

  /// Whether a span of `traceID` whose parent is `parent` (`nil` for a new trace) is recorded;
  /// the same answer as ``TraceSampler/isSampled(traceID:parent:)``.
  func isSampled(traceID: SpanData.TraceID, parent: SpanParent?) -> Bool {
    if followsParent, let parent { return parent.isSampled }
    return root.admits(traceID)
  }
}
