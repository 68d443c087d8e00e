/// The batching and scheduling settings of the export thread.
struct PipelineSettings: Sendable {
  var maxQueueSize: Int
  var maxExportBatchSize: Int
  var scheduleDelay: Duration
  var exportTimeout: Duration
  var metricExportInterval: Duration
  var metricExportTimeout: Duration
  /// How often, at most, a repeating problem (failed exports, dropped spans) is logged again.
  var problemLogInterval: Duration = .seconds(30)
  /// The LLM-observability conventions applied as records become spans.
  var conventions: LLMConventions = []
  /// The span limits applied as records become spans.
  var spanLimits = ResolvedSpanLimits.defaults

  /// The largest span queue a sink keeps (2²⁰ spans, a few hundred MB when full); larger settings
  /// are clamped with a warning. A bound, not an allocation: the queue grows only as spans wait.
  static let largestQueueSize = 1 << 20
}
