import SinkSupport

/// One environment variable the sink reads: its name, whether it also exists per signal, how it
/// is parsed (with the warning an invalid value gets), and its default as the docs state it.
struct EnvironmentSetting<Value>: Sendable {
  /// The name; for a per-signal setting, the shared one (`OTEL_EXPORTER_OTLP_TIMEOUT`).
  let name: String
  /// Whether `OTEL_EXPORTER_OTLP_TRACES_…` and `…_METRICS_…` variants exist (and win).
  let isPerSignal: Bool
  /// The default, as docs/configuration.md states it.
  let defaultDescription: String
  let parse: @Sendable (EnvironmentReader, String) -> Value?

  /// The variable's name for `signal` (`nil`: the shared one).
  func name(for signal: OTLPSignal?) -> String {
    guard let signal, isPerSignal else { return name }
    return name.replacingPrefix("OTEL_EXPORTER_OTLP_", with: "OTEL_EXPORTER_OTLP_\(signal.rawValue)_")
  }

  /// Every name the setting is read under.
  var names: [String] { isPerSignal ? [name, name(for: .traces), name(for: .metrics)] : [name] }
}

/// The two OTLP signals with variables of their own.
enum OTLPSignal: String, CaseIterable, Sendable {
  case traces = "TRACES"
  case metrics = "METRICS"
}

extension EnvironmentReader {
  /// The setting's value from this environment (for `signal`'s variable when it has one);
  /// `nil` when unset, or invalid (then warned about).
  subscript<Value>(_ setting: EnvironmentSetting<Value>, signal signal: OTLPSignal? = nil) -> Value? {
    setting.parse(self, setting.name(for: signal))
  }
}

/// Every environment variable the sink reads, in one table: parsing and warnings go through it,
/// and a test checks that docs/configuration.md lists every name.
enum SettingsTable {
  // The reference's own (read by `OpenTelemetrySink.fromEnvironment`).
  static let enabled = EnvironmentSetting<Bool>(
    name: "DSPY_RLM_OTEL_ENABLED", isPerSignal: false, defaultDescription: "false"
  ) { reader, name in reader.values[name].map { EnvironmentValues.bool($0, default: false) } }
  static let metricsEnabled = EnvironmentSetting<Bool>(
    name: "DSPY_RLM_OTEL_METRICS_ENABLED", isPerSignal: false, defaultDescription: "true"
  ) { reader, name in reader.values[name].map { EnvironmentValues.bool($0, default: true) } }
  static let endpoint = EnvironmentSetting<String>(
    name: "OTEL_EXPORTER_OTLP_ENDPOINT", isPerSignal: true, defaultDescription: "none"
  ) { reader, name in reader.text(name) }
  static let serviceName = EnvironmentSetting<String>(
    name: "OTEL_SERVICE_NAME", isPerSignal: false, defaultDescription: "rlm-code"
  ) { reader, name in reader.values[name] }
  static let maxActiveRuns = EnvironmentSetting<Int>(
    name: "DSPY_RLM_OTEL_MAX_ACTIVE_RUNS", isPerSignal: false, defaultDescription: "10000"
  ) { reader, name in reader.positiveInt(name) }

  static let spoolDirectory = EnvironmentSetting<String>(
    name: "DSPY_RLM_OTEL_SPOOL_DIR", isPerSignal: false, defaultDescription: "none (in memory)"
  ) { reader, name in reader.text(name) }

  static let spoolMaxBytes = EnvironmentSetting<Int>(
    name: "DSPY_RLM_OTEL_SPOOL_MAX_BYTES", isPerSignal: false, defaultDescription: "536870912 (512 MiB)"
  ) { reader, name in reader.positiveInt(name) }

  static let spoolSyncInterval = EnvironmentSetting<Duration>(
    name: "DSPY_RLM_OTEL_SPOOL_SYNC_INTERVAL", isPerSignal: false, defaultDescription: "1000"
  ) { reader, name in reader.milliseconds(name, allowZero: true, zeroMeans: "sync after every write") }

  static let spoolRescanInterval = EnvironmentSetting<Duration>(
    name: "DSPY_RLM_OTEL_SPOOL_RESCAN_INTERVAL", isPerSignal: false, defaultDescription: "60000"
  ) { reader, name in reader.milliseconds(name, allowZero: true, zeroMeans: "look at start only") }

  static let loadBalancing = EnvironmentSetting<OTLPLoadBalancing>(
    name: "DSPY_RLM_OTEL_GRPC_LOAD_BALANCING", isPerSignal: false,
    defaultDescription: "round_robin for dns:/// and ipv4:/ipv6: lists, else pick_first"
  ) { reader, name in
    reader.choice(name, ["round_robin": OTLPLoadBalancing.roundRobin, "pick_first": .pickFirst])
  }

  static let conventions = EnvironmentSetting<LLMConventions>(
    name: "DSPY_RLM_OTEL_CONVENTIONS", isPerSignal: false, defaultDescription: "none"
  ) { reader, name in reader.conventions(name) }

  // The semantic conventions' (GenAI).
  static let semconvOptIn = EnvironmentSetting<Bool>(
    name: "OTEL_SEMCONV_STABILITY_OPT_IN", isPerSignal: false, defaultDescription: "none"
  ) { reader, name in
    reader.text(name).map {
      $0.split(separator: ",").contains { $0.trimmingWhitespace() == "gen_ai_latest_experimental" }
    }
  }
  static let captureMessageContent = EnvironmentSetting<Bool>(
    name: "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", isPerSignal: false,
    defaultDescription: "false"
  ) { reader, name in
    reader.choice(
      name,
      [
        "true": true, "false": false, "span_only": true, "span_and_event": true, "event_only": false,
        "no_content": false,
      ])
  }

  // The OTLP exporter's (shared, and per signal).
  static let headers = EnvironmentSetting<[(key: String, value: String)]>(
    name: "OTEL_EXPORTER_OTLP_HEADERS", isPerSignal: true, defaultDescription: "none"
  ) { reader, name in reader.pairs(name) }
  static let timeout = EnvironmentSetting<Duration>(
    name: "OTEL_EXPORTER_OTLP_TIMEOUT", isPerSignal: true, defaultDescription: "10000"
  ) { reader, name in reader.milliseconds(name, allowZero: true) }
  static let compression = EnvironmentSetting<OTLPCompression>(
    name: "OTEL_EXPORTER_OTLP_COMPRESSION", isPerSignal: true, defaultDescription: "none"
  ) { reader, name in reader.choice(name, ["gzip": OTLPCompression.gzip, "none": .none]) }
  static let insecure = EnvironmentSetting<Bool>(
    name: "OTEL_EXPORTER_OTLP_INSECURE", isPerSignal: true, defaultDescription: "false"
  ) { reader, name in reader.bool(name) }
  static let certificate = EnvironmentSetting<String>(
    name: "OTEL_EXPORTER_OTLP_CERTIFICATE", isPerSignal: true, defaultDescription: "system roots"
  ) { reader, name in reader.text(name) }
  static let clientKey = EnvironmentSetting<String>(
    name: "OTEL_EXPORTER_OTLP_CLIENT_KEY", isPerSignal: true, defaultDescription: "none"
  ) { reader, name in reader.text(name) }
  static let clientCertificate = EnvironmentSetting<String>(
    name: "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", isPerSignal: true, defaultDescription: "none"
  ) { reader, name in reader.text(name) }
  static let `protocol` = EnvironmentSetting<OTLPProtocol>(
    name: "OTEL_EXPORTER_OTLP_PROTOCOL", isPerSignal: true, defaultDescription: "grpc"
  ) { reader, name in reader.otlpProtocol(name) }
  static let temporality = EnvironmentSetting<AggregationTemporality>(
    name: "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", isPerSignal: false,
    defaultDescription: "cumulative"
  ) { reader, name in
    // Our four instruments are synchronous counters and histograms: low-memory means delta.
    reader.choice(
      name, ["cumulative": AggregationTemporality.cumulative, "delta": .delta, "lowmemory": .delta])
  }

  // The SDK's.
  static let sdkDisabled = EnvironmentSetting<Bool>(
    name: "OTEL_SDK_DISABLED", isPerSignal: false, defaultDescription: "false"
  ) { reader, name in reader.bool(name) }
  static let tracesExporter = EnvironmentSetting<ExporterKind>(
    name: "OTEL_TRACES_EXPORTER", isPerSignal: false, defaultDescription: "otlp"
  ) { reader, name in reader.exporterKind(name) }
  static let metricsExporter = EnvironmentSetting<ExporterKind>(
    name: "OTEL_METRICS_EXPORTER", isPerSignal: false, defaultDescription: "otlp"
  ) { reader, name in reader.exporterKind(name) }
  static let resourceAttributes = EnvironmentSetting<[(key: String, value: String)]>(
    name: "OTEL_RESOURCE_ATTRIBUTES", isPerSignal: false, defaultDescription: "none"
  ) { reader, name in reader.pairs(name) }
  static let scheduleDelay = EnvironmentSetting<Duration>(
    name: "OTEL_BSP_SCHEDULE_DELAY", isPerSignal: false, defaultDescription: "5000"
  ) { reader, name in reader.milliseconds(name, allowZero: true, zeroMeans: "export as soon as spans end") }
  static let exportTimeout = EnvironmentSetting<Duration>(
    name: "OTEL_BSP_EXPORT_TIMEOUT", isPerSignal: false, defaultDescription: "30000"
  ) { reader, name in reader.milliseconds(name, allowZero: true) }
  static let maxQueueSize = EnvironmentSetting<Int>(
    name: "OTEL_BSP_MAX_QUEUE_SIZE", isPerSignal: false, defaultDescription: "2048"
  ) { reader, name in reader.positiveInt(name) }
  static let maxExportBatchSize = EnvironmentSetting<Int>(
    name: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", isPerSignal: false, defaultDescription: "512"
  ) { reader, name in reader.positiveInt(name) }
  static let metricExportInterval = EnvironmentSetting<Duration>(
    name: "OTEL_METRIC_EXPORT_INTERVAL", isPerSignal: false, defaultDescription: "60000"
  ) { reader, name in reader.milliseconds(name, allowZero: false) }
  static let metricExportTimeout = EnvironmentSetting<Duration>(
    name: "OTEL_METRIC_EXPORT_TIMEOUT", isPerSignal: false, defaultDescription: "30000"
  ) { reader, name in reader.milliseconds(name, allowZero: true) }
  // The name as the SDK reads it: not trimmed (" always_off" is unknown), empty is unknown too.
  static let sampler = EnvironmentSetting<String>(
    name: "OTEL_TRACES_SAMPLER", isPerSignal: false, defaultDescription: "parentbased_always_on"
  ) { reader, name in reader.values[name] }
  static let samplerArgument = EnvironmentSetting<String>(
    name: "OTEL_TRACES_SAMPLER_ARG", isPerSignal: false, defaultDescription: "1.0 for the ratio samplers"
  ) { reader, name in reader.text(name) }
  static let attributeCountLimit = limit("OTEL_ATTRIBUTE_COUNT_LIMIT", "128")
  static let attributeValueLengthLimit = limit("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "no limit")
  static let spanAttributeCountLimit = ownLimit(
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT, else 128")
  static let spanAttributeValueLengthLimit = ownLimit(
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT")
  static let spanEventCountLimit = ownLimit("OTEL_SPAN_EVENT_COUNT_LIMIT", "128")
  static let spanLinkCountLimit = ownLimit("OTEL_SPAN_LINK_COUNT_LIMIT", "128")
  static let eventAttributeCountLimit = ownLimit(
    "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT, else 128")
  static let linkAttributeCountLimit = ownLimit(
    "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT, else 128")

  /// A shared limit: empty is unset.
  private static func limit(_ name: String, _ defaultDescription: String) -> EnvironmentSetting<Int> {
    EnvironmentSetting(name: name, isPerSignal: false, defaultDescription: defaultDescription) {
      reader, name in
      reader.limit(name)
    }
  }

  /// A span's, event's or link's own limit: set but empty, it is no limit (the SDK's rule).
  private static func ownLimit(_ name: String, _ defaultDescription: String) -> EnvironmentSetting<Int> {
    EnvironmentSetting(
      name: name, isPerSignal: false, defaultDescription: defaultDescription + "; empty: no limit"
    ) {
      reader, name in
      reader.limit(name, emptyMeansNoLimit: true)
    }
  }

  static let traceparent = EnvironmentSetting<String>(
    name: "TRACEPARENT", isPerSignal: false, defaultDescription: "none"
  ) { reader, name in reader.text(name) }
  static let tracestate = EnvironmentSetting<String>(
    name: "TRACESTATE", isPerSignal: false, defaultDescription: "none"
  ) { reader, name in reader.text(name) }

  /// Every variable name the sink reads.
  static var allNames: [String] {
    let settings: [[String]] = [
      enabled.names, metricsEnabled.names, endpoint.names, serviceName.names, maxActiveRuns.names,
      headers.names, timeout.names, compression.names, insecure.names, certificate.names,
      clientKey.names, clientCertificate.names, `protocol`.names, temporality.names, sdkDisabled.names,
      tracesExporter.names, metricsExporter.names, resourceAttributes.names, scheduleDelay.names,
      exportTimeout.names, maxQueueSize.names, maxExportBatchSize.names, metricExportInterval.names,
      metricExportTimeout.names, traceparent.names, tracestate.names, conventions.names, semconvOptIn.names,
      captureMessageContent.names, loadBalancing.names, sampler.names, samplerArgument.names,
      attributeCountLimit.names, attributeValueLengthLimit.names, spanAttributeCountLimit.names,
      spanAttributeValueLengthLimit.names, spanEventCountLimit.names, spanLinkCountLimit.names,
      eventAttributeCountLimit.names, linkAttributeCountLimit.names, spoolDirectory.names,
      spoolMaxBytes.names, spoolSyncInterval.names, spoolRescanInterval.names,
    ]
    return settings.flatMap { $0 }
  }
}

extension String {
  fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
  }
}
