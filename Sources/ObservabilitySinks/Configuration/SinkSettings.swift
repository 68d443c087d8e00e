import Logging
import SinkSpool
import SinkSupport

/// A sink's settings with every source applied: code, then the environment, then the defaults.
package struct SinkSettings {
  package var sdkDisabled: Bool
  var tracesExporter: ExporterKind
  var metricsExporter: ExporterKind
  package var traces: OTLPExporterOptions
  package var metrics: OTLPExporterOptions
  var metricsTemporality: AggregationTemporality
  var pipeline: PipelineSettings
  /// Runs active at once at most; see ``OpenTelemetrySinkConfiguration/maxActiveRuns``.
  var maxActiveRuns: Int
  package var resourceAttributes: [Attribute]
  var environment: [String: String]
  var conventions: LLMConventions
  var captureMessageContent: Bool
  /// Which traces are recorded; see ``OpenTelemetrySinkConfiguration/sampler``.
  var sampler: TraceSampler
  /// Where spans wait on disk; see ``OpenTelemetrySinkConfiguration/spoolDirectory``.
  var spool: SpoolSettings?

  package init(configuration: OpenTelemetrySinkConfiguration, endpoint: String?) {
    self.environment = configuration.environment ?? ProcessEnvironment.current()
    let environment = EnvironmentReader(values: self.environment, logger: configuration.logger)
    sdkDisabled = environment[SettingsTable.sdkDisabled] ?? false
    tracesExporter = configuration.tracesExporter ?? environment[SettingsTable.tracesExporter] ?? .otlp
    metricsExporter = configuration.metricsExporter ?? environment[SettingsTable.metricsExporter] ?? .otlp

    let shared = Self.otlpOptions(environment, signal: nil)
    var codeTraces = configuration.traces
    codeTraces.headers = Self.acceptedHeaders(
      codeTraces.headers, source: "traces.headers", logger: configuration.logger)
    var codeMetrics = configuration.metrics
    codeMetrics.headers = Self.acceptedHeaders(
      codeMetrics.headers, source: "metrics.headers", logger: configuration.logger)
    traces = Self.signalOptions(
      codeTraces, signal: Self.otlpOptions(environment, signal: .traces),
      shared: shared, endpoint: endpoint, endpointIsFromEnvironment: configuration.endpointIsFromEnvironment)
    metrics = Self.signalOptions(
      codeMetrics, signal: Self.otlpOptions(environment, signal: .metrics),
      shared: shared, endpoint: endpoint, endpointIsFromEnvironment: configuration.endpointIsFromEnvironment)
    metricsTemporality =
      configuration.metricsTemporality ?? environment[SettingsTable.temporality] ?? .cumulative

    var maxQueueSize =
      configuration.maxQueueSize ?? environment[SettingsTable.maxQueueSize] ?? 2048
    let batchGiven = configuration.maxExportBatchSize ?? environment[SettingsTable.maxExportBatchSize]
    var maxBatch = batchGiven ?? 512
    maxQueueSize = max(1, maxQueueSize)
    if maxQueueSize > PipelineSettings.largestQueueSize {
      configuration.logger.warning(
        "the span queue size (\(maxQueueSize), from maxQueueSize or OTEL_BSP_MAX_QUEUE_SIZE) is above the largest this sink keeps; using \(PipelineSettings.largestQueueSize)"
      )
      maxQueueSize = PipelineSettings.largestQueueSize
    }
    if batchGiven == nil {
      // Only the queue size was given: the default batch follows it, nobody to warn.
      maxBatch = min(maxBatch, maxQueueSize)
    } else if maxBatch > maxQueueSize || maxBatch < 1 {
      configuration.logger.warning(
        "the export batch size (\(maxBatch)) must be between 1 and the queue size (\(maxQueueSize)); using \(min(max(1, maxBatch), maxQueueSize))"
      )
      maxBatch = min(max(1, maxBatch), maxQueueSize)
    }
    let logger = configuration.logger
    maxActiveRuns = Self.maxActiveRuns(configuration.maxActiveRuns, environment, logger)
    /// A duration set in code must not be negative; zero keeps its meaning ("no limit" for timeouts).
    func fromCode(_ value: Duration?, _ name: String) -> Duration? {
      guard let value, value < .zero else { return value }
      logger.warning("\(name) (\(value)) is negative; using the default")
      return nil
    }
    let metricInterval = fromCode(configuration.metricExportInterval, "metricExportInterval")
    pipeline = PipelineSettings(
      maxQueueSize: maxQueueSize, maxExportBatchSize: maxBatch,
      // A zero delay means "as soon as possible": a millisecond keeps the thread from spinning.
      scheduleDelay: max(
        .milliseconds(1),
        fromCode(configuration.scheduleDelay, "scheduleDelay")
          ?? environment[SettingsTable.scheduleDelay] ?? .seconds(5)),
      exportTimeout: Self.limit(
        fromCode(configuration.exportTimeout, "exportTimeout")
          ?? environment[SettingsTable.exportTimeout] ?? .seconds(30)),
      metricExportInterval: metricInterval == .zero
        ? Self.warnedDefault(logger, "metricExportInterval")
        : metricInterval
          ?? environment[SettingsTable.metricExportInterval] ?? .seconds(60),
      metricExportTimeout: Self.limit(
        fromCode(configuration.metricExportTimeout, "metricExportTimeout")
          ?? environment[SettingsTable.metricExportTimeout] ?? .seconds(30)))
    if configuration.problemLogInterval > .zero {
      pipeline.problemLogInterval = configuration.problemLogInterval
    } else {
      logger.warning(
        "problemLogInterval (\(configuration.problemLogInterval)) must be above zero; using 30 s")
    }
    for (name, timeout) in [("traces.timeout", traces.timeout), ("metrics.timeout", metrics.timeout)] {
      if let timeout, timeout < .zero {
        logger.warning("\(name) (\(timeout)) is negative; using the default")
      }
    }
    if let timeout = traces.timeout, timeout < .zero { traces.timeout = nil }
    if let timeout = metrics.timeout, timeout < .zero { metrics.timeout = nil }

    if let traceparent = environment[SettingsTable.traceparent],
      TraceParent.fromEnvironment(self.environment) == nil
    {
      logger.warning("TRACEPARENT='\(traceparent)' is not a valid W3C traceparent; runs start new traces")
    }
    let fromEnvironment = (environment[SettingsTable.resourceAttributes] ?? []).map {
      Attribute($0.key, .string($0.value))
    }
    resourceAttributes = fromEnvironment + configuration.resourceAttributes
    var conventions = configuration.conventions ?? environment[SettingsTable.conventions] ?? []
    if configuration.conventions == nil, environment[SettingsTable.semconvOptIn] == true {
      conventions.insert(.genAI)
    }
    self.conventions = conventions
    pipeline.conventions = conventions
    captureMessageContent =
      configuration.captureMessageContent ?? environment[SettingsTable.captureMessageContent] ?? false
    sampler = Self.sampler(configuration.sampler, environment)
    pipeline.spanLimits = Self.spanLimits(configuration.spanLimits, environment)
    let spoolDirectory =
      configuration.spoolDirectory.map { $0.trimmingWhitespace() }
      ?? environment[SettingsTable.spoolDirectory]
    spool = spoolDirectory.flatMap { directory in
      guard !directory.isEmpty else { return nil }
      var spool = SpoolSettings(
        directory: directory,
        maxBytes: configuration.spoolMaxBytes ?? environment[SettingsTable.spoolMaxBytes],
        fileSizeLimit: SpoolDirectory.fileSizeLimit())
      spool.problemLogInterval = pipeline.problemLogInterval
      var sync =
        configuration.spoolSyncInterval ?? environment[SettingsTable.spoolSyncInterval] ?? .seconds(1)
      if sync < .zero || sync > .seconds(60) {
        logger.warning(
          "spoolSyncInterval / DSPY_RLM_OTEL_SPOOL_SYNC_INTERVAL (\(sync)) must be from 0 to 60 s; using \(sync < .zero ? "0" : "60 s")"
        )
        sync = sync < .zero ? .zero : .seconds(60)
      }
      spool.syncInterval = sync
      var rescan =
        configuration.spoolRescanInterval ?? environment[SettingsTable.spoolRescanInterval] ?? .seconds(60)
      if rescan < .zero || rescan > .seconds(86_400) {
        logger.warning(
          "spoolRescanInterval / DSPY_RLM_OTEL_SPOOL_RESCAN_INTERVAL (\(rescan)) must be from 0 to 24 h; using \(rescan < .zero ? "60 s" : "24 h")"
        )
        rescan = rescan < .zero ? .seconds(60) : .seconds(86_400)
      }
      spool.rescanInterval = rescan
      if let refusal = spool.refusal {
        logger.warning("spool \(directory): \(refusal)")
        return nil
      }
      return spool
    }
  }

  /// The sampler: code (a ratio outside 0...1 warns and is 1), else the variables, else the default.
  private static func sampler(_ code: TraceSampler?, _ environment: EnvironmentReader) -> TraceSampler {
    guard let code else { return SamplerSetting.read(environment) }
    return SamplerSetting.checked(code, logger: environment.logger)
  }

  /// The span limits: each one set in code (a negative one warns and is unset), else its variable.
  private static func spanLimits(_ code: SpanLimits, _ environment: EnvironmentReader) -> ResolvedSpanLimits {
    func checked(_ value: Int?, _ name: String) -> Int? {
      guard let value, value < 0 else { return value }
      environment.logger.warning("spanLimits.\(name) (\(value)) is negative; the limit is not set")
      return nil
    }
    let fromCode = SpanLimits(
      attributeCount: checked(code.attributeCount, "attributeCount"),
      attributeValueLength: checked(code.attributeValueLength, "attributeValueLength"),
      spanAttributeCount: checked(code.spanAttributeCount, "spanAttributeCount"),
      spanAttributeValueLength: checked(code.spanAttributeValueLength, "spanAttributeValueLength"),
      eventCount: checked(code.eventCount, "eventCount"), linkCount: checked(code.linkCount, "linkCount"),
      eventAttributeCount: checked(code.eventAttributeCount, "eventAttributeCount"),
      linkAttributeCount: checked(code.linkAttributeCount, "linkAttributeCount"))
    let fromEnvironment = SpanLimits(
      attributeCount: environment[SettingsTable.attributeCountLimit],
      attributeValueLength: environment[SettingsTable.attributeValueLengthLimit],
      spanAttributeCount: environment[SettingsTable.spanAttributeCountLimit],
      spanAttributeValueLength: environment[SettingsTable.spanAttributeValueLengthLimit],
      eventCount: environment[SettingsTable.spanEventCountLimit],
      linkCount: environment[SettingsTable.spanLinkCountLimit],
      eventAttributeCount: environment[SettingsTable.eventAttributeCountLimit],
      linkAttributeCount: environment[SettingsTable.linkAttributeCountLimit])
    return fromCode.merged(over: fromEnvironment).resolved
  }

  /// Enough for any plausible number of runs in flight in one process (runs are LLM-driven loops of
  /// seconds to hours; even a large evaluation sweep has hundreds at once), and small enough that
  /// runs that never end hold at most a few megabytes (≈ 0.3 KB each plus their texts).
  static let defaultMaxActiveRuns = 10_000

  /// The active-run bound: code (above zero), else `DSPY_RLM_OTEL_MAX_ACTIVE_RUNS`, else the default.
  private static func maxActiveRuns(_ code: Int?, _ environment: EnvironmentReader, _ logger: Logger) -> Int {
    if let code, code > 0 { return code }
    if let code {
      logger.warning(
        "maxActiveRuns (\(code)) must be above 0; using DSPY_RLM_OTEL_MAX_ACTIVE_RUNS or the default (\(defaultMaxActiveRuns))"
      )
    }
    return environment[SettingsTable.maxActiveRuns] ?? defaultMaxActiveRuns
  }

  /// A zero timeout means "no limit".
  private static func limit(_ timeout: Duration) -> Duration {
    timeout == .zero ? OTLPExporterOptions.noLimit : timeout
  }

  private static func warnedDefault(_ logger: Logger, _ name: String) -> Duration {
    logger.warning("\(name) must be above zero; using the default (60 s)")
    return .seconds(60)
  }

  /// The headers gRPC accepts; each one it would refuse is skipped with a warning naming `source`
  /// and the key (never the value), so that one bad entry does not fail every export.
  private static func acceptedHeaders(_ headers: [OTLPHeader]?, source: String, logger: Logger)
    -> [OTLPHeader]?
  {
    headers?.filter { header in
      guard let problem = header.problem else { return true }
      logger.warning("\(source): skipped a header: \(problem); the other headers are sent")
      return false
    }
  }

  /// The OTLP options of `signal`'s variables (`nil`: the shared ones).
  private static func otlpOptions(_ environment: EnvironmentReader, signal: OTLPSignal?)
    -> OTLPExporterOptions
  {
    OTLPExporterOptions(
      endpoint: environment[SettingsTable.endpoint, signal: signal],
      headers: acceptedHeaders(
        environment[SettingsTable.headers, signal: signal].map { $0.map { OTLPHeader($0.key, $0.value) } },
        source: SettingsTable.headers.name(for: signal), logger: environment.logger),
      timeout: environment[SettingsTable.timeout, signal: signal].map(limit),
      compression: environment[SettingsTable.compression, signal: signal],
      insecure: environment[SettingsTable.insecure, signal: signal],
      certificateFile: environment[SettingsTable.certificate, signal: signal],
      clientKeyFile: environment[SettingsTable.clientKey, signal: signal],
      clientCertificateFile: environment[SettingsTable.clientCertificate, signal: signal],
      protocol: environment[SettingsTable.protocol, signal: signal],
      // One variable for both signals: read with the shared ones only, so it warns once.
      loadBalancing: signal == nil ? environment[SettingsTable.loadBalancing] : nil)
  }

  /// Code wins, then the per-signal variables, then the shared ones. The endpoint argument is
  /// code (it wins over all the variables, as in the reference) unless it came from
  /// `OTEL_EXPORTER_OTLP_ENDPOINT`, where the per-signal variable wins over it. A per-signal
  /// endpoint is used as it is; the shared one and the argument are bases (OTLP/HTTP appends the
  /// signal's path to them).
  private static func signalOptions(
    _ code: OTLPExporterOptions, signal: OTLPExporterOptions, shared: OTLPExporterOptions, endpoint: String?,
    endpointIsFromEnvironment: Bool
  ) -> OTLPExporterOptions {
    var options = code.merged(over: signal.merged(over: shared))
    options.endpointIsBase = options.endpoint != nil && code.endpoint == nil && signal.endpoint == nil
    if code.endpoint == nil, let endpoint, !endpoint.isEmpty {
      let signalWins = endpointIsFromEnvironment && signal.endpoint != nil
      options.endpoint = signalWins ? signal.endpoint : endpoint
      options.endpointIsBase = !signalWins
    }
    return options
  }
}
