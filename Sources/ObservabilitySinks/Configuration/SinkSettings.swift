import Logging
import OTLPExporter
import TelemetryModel

/// A sink's settings with every source applied: code, then the environment, then the defaults.
package struct SinkSettings {
  package var sdkDisabled: Bool
  var tracesExporter: ExporterKind
  var metricsExporter: ExporterKind
  package var traces: OTLPExporterOptions
  package var metrics: OTLPExporterOptions
  var metricsTemporality: AggregationTemporality
  var pipeline: PipelineSettings
  package var resourceAttributes: [Attribute]
  var environment: [String: String]

  package init(configuration: OpenTelemetrySinkConfiguration, endpoint: String?) {
    self.environment = configuration.environment ?? ProcessEnvironment.current()
    let environment = EnvironmentReader(values: self.environment, logger: configuration.logger)
    sdkDisabled = environment.bool("OTEL_SDK_DISABLED") ?? false
    tracesExporter = configuration.tracesExporter ?? environment.exporterKind("OTEL_TRACES_EXPORTER") ?? .otlp
    metricsExporter =
      configuration.metricsExporter ?? environment.exporterKind("OTEL_METRICS_EXPORTER") ?? .otlp

    let shared = Self.otlpOptions(environment, prefix: "OTEL_EXPORTER_OTLP_")
    traces = Self.signalOptions(
      configuration.traces, signal: Self.otlpOptions(environment, prefix: "OTEL_EXPORTER_OTLP_TRACES_"),
      shared: shared, endpoint: endpoint, endpointIsFromEnvironment: configuration.endpointIsFromEnvironment)
    metrics = Self.signalOptions(
      configuration.metrics, signal: Self.otlpOptions(environment, prefix: "OTEL_EXPORTER_OTLP_METRICS_"),
      shared: shared, endpoint: endpoint, endpointIsFromEnvironment: configuration.endpointIsFromEnvironment)
    metricsTemporality =
      configuration.metricsTemporality
      ?? environment.choice(
        "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
        // Our four instruments are synchronous counters and histograms: low-memory means delta.
        ["cumulative": AggregationTemporality.cumulative, "delta": .delta, "lowmemory": .delta])
      ?? .cumulative

    var maxQueueSize =
      configuration.maxQueueSize ?? environment.positiveInt("OTEL_BSP_MAX_QUEUE_SIZE") ?? 2048
    var maxBatch =
      configuration.maxExportBatchSize ?? environment.positiveInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") ?? 512
    maxQueueSize = max(1, maxQueueSize)
    if maxBatch > maxQueueSize || maxBatch < 1 {
      configuration.logger.warning(
        "the export batch size (\(maxBatch)) must be between 1 and the queue size (\(maxQueueSize)); using \(min(max(1, maxBatch), maxQueueSize))"
      )
      maxBatch = min(max(1, maxBatch), maxQueueSize)
    }
    let logger = configuration.logger
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
          ?? environment.milliseconds("OTEL_BSP_SCHEDULE_DELAY", allowZero: true) ?? .seconds(5)),
      exportTimeout: Self.limit(
        fromCode(configuration.exportTimeout, "exportTimeout")
          ?? environment.milliseconds("OTEL_BSP_EXPORT_TIMEOUT", allowZero: true) ?? .seconds(30)),
      metricExportInterval: metricInterval == .zero
        ? Self.warnedDefault(logger, "metricExportInterval")
        : metricInterval
          ?? environment.milliseconds("OTEL_METRIC_EXPORT_INTERVAL", allowZero: false) ?? .seconds(60),
      metricExportTimeout: Self.limit(
        fromCode(configuration.metricExportTimeout, "metricExportTimeout")
          ?? environment.milliseconds("OTEL_METRIC_EXPORT_TIMEOUT", allowZero: true) ?? .seconds(30)))
    for (name, timeout) in [("traces.timeout", traces.timeout), ("metrics.timeout", metrics.timeout)] {
      if let timeout, timeout < .zero {
        logger.warning("\(name) (\(timeout)) is negative; using the default")
      }
    }
    if let timeout = traces.timeout, timeout < .zero { traces.timeout = nil }
    if let timeout = metrics.timeout, timeout < .zero { metrics.timeout = nil }

    for name in [
      "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
      "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
    ] {
      if let protocolName = environment.text(name), protocolName.lowercased() != "grpc" {
        logger.warning("\(name)='\(protocolName)' is not supported: this exporter speaks OTLP over gRPC only")
      }
    }
    if let traceparent = environment.text("TRACEPARENT"), TraceParent.fromEnvironment(self.environment) == nil
    {
      logger.warning("TRACEPARENT='\(traceparent)' is not a valid W3C traceparent; runs start new traces")
    }
    let fromEnvironment = (environment.pairs("OTEL_RESOURCE_ATTRIBUTES") ?? []).map {
      Attribute($0.key, .string($0.value))
    }
    resourceAttributes = fromEnvironment + configuration.resourceAttributes
  }

  /// A zero timeout means "no limit".
  private static func limit(_ timeout: Duration) -> Duration {
    timeout == .zero ? OTLPExporterOptions.noLimit : timeout
  }

  private static func warnedDefault(_ logger: Logger, _ name: String) -> Duration {
    logger.warning("\(name) must be above zero; using the default (60 s)")
    return .seconds(60)
  }

  private static func otlpOptions(_ environment: EnvironmentReader, prefix: String) -> OTLPExporterOptions {
    OTLPExporterOptions(
      endpoint: environment.text(prefix + "ENDPOINT"),
      headers: environment.pairs(prefix + "HEADERS").map { $0.map { OTLPHeader($0.key, $0.value) } },
      timeout: environment.milliseconds(prefix + "TIMEOUT", allowZero: true).map(limit),
      compression: environment.choice(prefix + "COMPRESSION", ["gzip": OTLPCompression.gzip, "none": .none]),
      insecure: environment.bool(prefix + "INSECURE"),
      certificateFile: environment.text(prefix + "CERTIFICATE"),
      clientKeyFile: environment.text(prefix + "CLIENT_KEY"),
      clientCertificateFile: environment.text(prefix + "CLIENT_CERTIFICATE"))
  }

  /// Code wins, then the per-signal variables, then the shared ones. The endpoint argument is
  /// code (it wins over all the variables, as in the reference) unless it came from
  /// `OTEL_EXPORTER_OTLP_ENDPOINT`, where the per-signal variable wins over it.
  private static func signalOptions(
    _ code: OTLPExporterOptions, signal: OTLPExporterOptions, shared: OTLPExporterOptions, endpoint: String?,
    endpointIsFromEnvironment: Bool
  ) -> OTLPExporterOptions {
    var options = code.merged(over: signal.merged(over: shared))
    if code.endpoint == nil, let endpoint, !endpoint.isEmpty {
      options.endpoint = endpointIsFromEnvironment ? (signal.endpoint ?? endpoint) : endpoint
    }
    return options
  }
}
