/// The batching and scheduling settings of the export thread.
struct PipelineSettings: Sendable {
  var maxQueueSize: Int
  var maxExportBatchSize: Int
  var scheduleDelay: Duration
  var exportTimeout: Duration
  var metricExportInterval: Duration
  var metricExportTimeout: Duration
}
