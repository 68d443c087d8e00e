/// What `onRunStart` fixed for a run and nothing changes later: shared, not copied, by the run
/// while it is active, by its span record when it ends, and by a spool's journal of its start,
/// so that journaling a run costs one retain on the hook's thread.
final class RunStart: Sendable {
  let runID: String
  let identity: SpanIdentity
  let startTime: UInt64
  let task: String
  let environment: String
  let params: RunParams
  /// For runs replayed from JSON: the attributes whose JSON type the reference passes through.
  let paramTypes: RunAttributeTypes?
  /// The span of the already ended run that started this one (a link).
  let parentRunSpan: RecentRun?
  /// The session and user every span of the run carries (OpenInference), if the caller gave them.
  let labels: RunLabels?

  init(
    runID: String, identity: SpanIdentity, startTime: UInt64, task: String, environment: String,
    params: RunParams, paramTypes: RunAttributeTypes?, parentRunSpan: RecentRun?
  ) {
    self.runID = runID
    self.identity = identity
    self.startTime = startTime
    self.task = task
    self.environment = environment
    self.params = params
    self.paramTypes = paramTypes
    self.parentRunSpan = parentRunSpan
    labels = RunLabels(params)
  }
}
