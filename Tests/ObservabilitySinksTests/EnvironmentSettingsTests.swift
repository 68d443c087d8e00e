import Logging
import OTLPExporter
import Synchronization
import TelemetryModel
import Testing

@testable import ObservabilitySinks

/// A log handler that keeps every message, to check warnings.
final class CapturedLogs: Sendable {
  let messages = Mutex<[String]>([])

  var logger: Logger {
    Logger(label: "test") { _ in CapturedLogHandler(logs: self) }
  }
}

struct CapturedLogHandler: LogHandler {
  let logs: CapturedLogs
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace
  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }
  func log(event: LogEvent) {
    logs.messages.withLock { $0.append("\(event.level): \(event.message)") }
  }
}

@Suite("Standard OTEL_* variables, spec-exact")
struct EnvironmentSettingsTests {
  private func settings(
    _ environment: [String: String], endpoint: String? = nil, fromEnvironment: Bool = false,
    configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
  ) -> (SinkSettings, [String]) {
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = environment
    configuration.logger = logs.logger
    configuration.endpointIsFromEnvironment = fromEnvironment
    configure(&configuration)
    let settings = SinkSettings(configuration: configuration, endpoint: endpoint)
    return (settings, logs.messages.withLock { $0 })
  }

  @Test func defaultsFollowTheSpecification() {
    let (settings, warnings) = settings([:])
    #expect(warnings.isEmpty)
    #expect(settings.pipeline.maxQueueSize == 2048 && settings.pipeline.maxExportBatchSize == 512)
    #expect(settings.pipeline.scheduleDelay == .seconds(5) && settings.pipeline.exportTimeout == .seconds(30))
    #expect(
      settings.pipeline.metricExportInterval == .seconds(60)
        && settings.pipeline.metricExportTimeout == .seconds(30))
    #expect(settings.metricsTemporality == .cumulative && !settings.sdkDisabled)
    #expect(settings.tracesExporter == .otlp && settings.metricsExporter == .otlp)
    #expect(settings.traces == OTLPExporterOptions() && settings.metrics == OTLPExporterOptions())
  }

  @Test func everyVariableIsRead() {
    let (settings, warnings) = settings([
      "OTEL_BSP_SCHEDULE_DELAY": "250", "OTEL_BSP_EXPORT_TIMEOUT": "1500", "OTEL_BSP_MAX_QUEUE_SIZE": "100",
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "10", "OTEL_METRIC_EXPORT_INTERVAL": "1000",
      "OTEL_METRIC_EXPORT_TIMEOUT": "700",
      "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "Delta",
      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://shared:4317",
      "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20abc,x-tenant = a=b ",
      "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
      "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip", "OTEL_EXPORTER_OTLP_INSECURE": "TRUE",
      "OTEL_EXPORTER_OTLP_CERTIFICATE": "/ca.pem", "OTEL_EXPORTER_OTLP_CLIENT_KEY": "/key.pem",
      "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": "/cert.pem", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "0",
      "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "none",
      "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,team=ml%2Cai",
      "OTEL_TRACES_EXPORTER": "console", "OTEL_METRICS_EXPORTER": "none",
    ])
    #expect(warnings.isEmpty, "\(warnings)")
    #expect(
      settings.pipeline.scheduleDelay == .milliseconds(250)
        && settings.pipeline.exportTimeout == .milliseconds(1500))
    #expect(settings.pipeline.maxQueueSize == 100 && settings.pipeline.maxExportBatchSize == 10)
    #expect(
      settings.pipeline.metricExportInterval == .seconds(1)
        && settings.pipeline.metricExportTimeout == .milliseconds(700))
    #expect(settings.metricsTemporality == .delta)
    #expect(settings.tracesExporter == .console && settings.metricsExporter == ExporterKind.none)
    #expect(
      settings.traces.endpoint == "http://shared:4317" && settings.metrics.endpoint == "http://shared:4317")
    #expect(
      settings.traces.headers == [OTLPHeader("authorization", "Bearer abc"), OTLPHeader("x-tenant", "a=b")])
    #expect(settings.traces.timeout == .milliseconds(2500))
    #expect(settings.metrics.timeout.map { $0 > .seconds(3600) } == true)  // 0 = no limit
    #expect(settings.traces.compression == OTLPCompression.none && settings.metrics.compression == .gzip)
    #expect(settings.traces.insecure == true)
    #expect(settings.traces.certificateFile == "/ca.pem" && settings.traces.clientKeyFile == "/key.pem")
    #expect(settings.traces.clientCertificateFile == "/cert.pem")
    #expect(
      settings.resourceAttributes == [
        Attribute("deployment.environment", .string("prod")), Attribute("team", .string("ml,ai")),
      ])
  }

  @Test func perSignalVariablesWinOverSharedOnesAndCodeWinsOverBoth() {
    let environment = [
      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://shared:4317",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces:4317",
      "OTEL_EXPORTER_OTLP_TIMEOUT": "1000", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2000",
    ]
    let (fromEnv, _) = settings(environment, endpoint: "http://shared:4317", fromEnvironment: true)
    #expect(
      fromEnv.traces.endpoint == "http://traces:4317" && fromEnv.metrics.endpoint == "http://shared:4317")
    #expect(fromEnv.traces.timeout == .seconds(2) && fromEnv.metrics.timeout == .seconds(1))
    let (fromCode, _) = settings(environment, endpoint: "http://code:4317") {
      $0.traces.timeout = .seconds(9)
    }
    #expect(fromCode.traces.endpoint == "http://code:4317" && fromCode.metrics.endpoint == "http://code:4317")
    #expect(fromCode.traces.timeout == .seconds(9))
    let (perSignalCode, _) = settings(environment, endpoint: "http://code:4317") {
      $0.metrics.endpoint = "http://m:1"
    }
    #expect(perSignalCode.metrics.endpoint == "http://m:1")
  }

  @Test func codeWinsOverTheEnvironmentForProcessorSettings() {
    let (settings, _) = settings(["OTEL_BSP_MAX_QUEUE_SIZE": "10", "OTEL_BSP_SCHEDULE_DELAY": "10"]) {
      $0.maxQueueSize = 4096
      $0.scheduleDelay = .seconds(1)
    }
    #expect(settings.pipeline.maxQueueSize == 4096 && settings.pipeline.scheduleDelay == .seconds(1))
  }

  @Test(arguments: [
    ("OTEL_BSP_SCHEDULE_DELAY", "soon"), ("OTEL_BSP_MAX_QUEUE_SIZE", "-5"),
    ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "0"),
    ("OTEL_METRIC_EXPORT_INTERVAL", "0"), ("OTEL_EXPORTER_OTLP_TIMEOUT", "10s"),
    ("OTEL_EXPORTER_OTLP_COMPRESSION", "brotli"),
    ("OTEL_EXPORTER_OTLP_INSECURE", "yes"),
    ("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "sometimes"),
    ("OTEL_TRACES_EXPORTER", "zipkin"), ("OTEL_SDK_DISABLED", "1"),
  ])
  func anInvalidValueWarnsOnceAndKeepsTheDefault(name: String, value: String) {
    let (settings, warnings) = settings([name: value])
    #expect(warnings.count == 1, "\(warnings)")
    #expect(warnings.first?.contains(name) == true)
    #expect(settings.pipeline.maxQueueSize == 2048 && settings.pipeline.scheduleDelay == .seconds(5))
    #expect(
      settings.pipeline.metricExportInterval == .seconds(60) && settings.metricsTemporality == .cumulative)
    #expect(settings.traces.compression == nil && settings.traces.timeout == nil)
    #expect(settings.traces.insecure != true && !settings.sdkDisabled && settings.tracesExporter == .otlp)
  }

  @Test func malformedHeaderPairsAreSkippedWithOneWarningThatHidesValues() {
    let (settings, warnings) = settings([
      "OTEL_EXPORTER_OTLP_HEADERS": "good=1,broken,=nokey,secret-token,also=ok%20yes"
    ])
    #expect(settings.traces.headers == [OTLPHeader("good", "1"), OTLPHeader("also", "ok yes")])
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("secret-token") == false)
    #expect(OTLPHeader("authorization", "Bearer s3cret").description == "authorization=<redacted>")
  }

  @Test func batchLargerThanTheQueueIsClampedWithAWarning() {
    let (settings, warnings) = settings([
      "OTEL_BSP_MAX_QUEUE_SIZE": "100", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "512",
    ])
    #expect(settings.pipeline.maxExportBatchSize == 100)
    #expect(warnings.count == 1)
  }

  @Test func lowMemoryMeansDeltaForTheseInstruments() {
    #expect(
      settings(["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "LowMemory"]).0.metricsTemporality
        == .delta)
  }

  @Test func sdkDisabledTurnsTheSinkOff() {
    let sink = OpenTelemetrySink.fromEnvironment(["DSPY_RLM_OTEL_ENABLED": "true", "OTEL_SDK_DISABLED": "true"])
    #expect(sink.status().available == false)
    #expect(sink.status().detail == "disabled by OTEL_SDK_DISABLED")
    sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    #expect(sink.traceID(forRun: "r") == nil)
  }

  @Test func resourceAttributesFromTheEnvironmentNeverOverrideTheServiceName() {
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_SERVICE_NAME": "svc",
      "OTEL_RESOURCE_ATTRIBUTES": "service.name=other,k=v",
    ])
    #expect(sink.resource.attributes["service.name"] == .string("svc"))
    #expect(sink.resource.attributes["k"] == .string("v"))
  }
}

@Suite("Settings that would make the export thread spin or never export")
struct DegenerateSettingsTests {
  @Test func zeroIntervalsAreRaisedNegativeDurationsRefused() {
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = ["OTEL_BSP_SCHEDULE_DELAY": "0"]
    configuration.logger = logs.logger
    configuration.metricExportInterval = .zero
    configuration.exportTimeout = .seconds(-1)
    configuration.traces.timeout = .seconds(-5)
    let settings = SinkSettings(configuration: configuration, endpoint: nil)
    #expect(settings.pipeline.scheduleDelay == .milliseconds(1))
    #expect(settings.pipeline.metricExportInterval == .seconds(60))
    #expect(settings.pipeline.exportTimeout == .seconds(30))
    #expect(settings.traces.timeout == nil)
    #expect(logs.messages.withLock { $0 }.count == 3)
  }
}
