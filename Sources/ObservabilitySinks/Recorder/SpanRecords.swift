/// A finished span as the hot path records it: typed fields, no attribute arrays, texts kept
/// whole (a retain). The export thread turns it into ``SpanData``, truncating texts there.
enum SpanRecord: Sendable {
  case step(StepSpanRecord)
  case run(RunSpanRecord)
  case llmCall(LLMCallSpanRecord)
  /// A run that has just started, as its span would end if the process died now: journaled by a
  /// spool (never exported as it is) so that a later process can end the run (`.processEnded`).
  case runStarted(RunStart)
  /// A step whose span id a child run or a model call took before the step ended, as it would
  /// end if the process died now: journaled by a spool like ``runStarted(_:)``.
  case stepStarted(StepSpanRecord)
}

/// What every span of a run carries when the OpenInference conventions are on: the session and
/// user the caller gave in ``RunParams``.
struct RunLabels: Sendable {
  var sessionID: String?
  var userID: String?

  /// The labels of `params`, `nil` when there are none (so that records stay small).
  init?(_ params: RunParams) {
    guard params.sessionID != nil || params.userID != nil else { return nil }
    sessionID = params.sessionID
    userID = params.userID
  }
}

/// The identity of a span: ids, parent, flags and trace state.
struct SpanIdentity: Sendable {
  var traceID: SpanData.TraceID
  var spanID: SpanData.SpanID
  var parentSpanID: SpanData.SpanID?
  var flags: UInt32
  var traceState: String
}

/// A finished `rlm.step` span. What it shares with its run (trace, parent, run id, labels) is
/// reached through the run's ``RunStart``: one retain on the hook's thread, a small record.
struct StepSpanRecord: Sendable {
  var run: RunStart
  var spanID: SpanData.SpanID
  var startTime: UInt64
  var endTime: UInt64
  var event: StepEvent
  var cumulativeReward: Double
  /// For steps replayed from JSON: the attributes whose JSON type the reference passes through.
  var types: StepAttributeTypes?

  /// A child of its run's span.
  var identity: SpanIdentity {
    SpanIdentity(
      traceID: run.identity.traceID, spanID: spanID, parentSpanID: run.identity.spanID,
      flags: SpanData.localParentFlags, traceState: run.identity.traceState)
  }
  var runID: String { run.runID }
  var labels: RunLabels? { run.labels }
}

/// A finished `chat {model}` span: one model call of a run, a child of the step in progress.
struct LLMCallSpanRecord: Sendable {
  var run: RunStart
  var spanID: SpanData.SpanID
  var stepSpanID: SpanData.SpanID
  var startTime: UInt64
  var endTime: UInt64
  /// The call, with its prompt and response already removed unless content capture is on.
  var call: LLMCall

  var identity: SpanIdentity {
    SpanIdentity(
      traceID: run.identity.traceID, spanID: spanID, parentSpanID: stepSpanID,
      flags: SpanData.localParentFlags, traceState: run.identity.traceState)
  }
  var runID: String { run.runID }
  var labels: RunLabels? { run.labels }
}

/// A finished `rlm.run` span: what the run started with (shared, not copied) and how it ended.
struct RunSpanRecord: Sendable {
  var start: RunStart
  var endTime: UInt64
  var ending: RunEnding

  var identity: SpanIdentity { start.identity }
  var startTime: UInt64 { start.startTime }
  var runID: String { start.runID }
  var task: String { start.task }
  var environment: String { start.environment }
  var params: RunParams { start.params }
  var paramTypes: RunAttributeTypes? { start.paramTypes }
  var parentRunSpan: RecentRun? { start.parentRunSpan }
}

/// How a run span ended.
enum RunEnding: Sendable {
  /// `onRunEnd` reported the result.
  case finished(RunResult, runPath: String)
  /// A second `onRunStart` with the same run id replaced the run.
  case superseded
  /// More than `limit` runs were active and this was the oldest: it was ended to make room.
  case evicted(limit: Int)
  /// The process ended first: the run as a spool's journal keeps it, for a later process to end.
  case processEnded
}
