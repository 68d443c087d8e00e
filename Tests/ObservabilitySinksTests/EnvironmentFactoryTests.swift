import ObservabilitySinks
import Testing

@Suite("createOtelSinkFromEnv, exact to the reference")
struct EnvironmentFactoryTests {
  @Test(arguments: [
    ("1", true), ("true", true), ("TRUE", true), ("True", true), ("yes", true), ("YES", true), ("on", true),
    ("On", true),
    ("  true  ", true), ("\ttrue\n", true), ("\u{00A0}on\u{2003}", true), ("\u{1C}yes\u{1F}", true),
    ("0", false), ("false", false), ("no", false), ("off", false), ("", false), ("   ", false), ("2", false),
    ("truthy", false), ("t", false), ("y", false), ("enabled", false), ("tru e", false), ("1.0", false),
  ])
  func booleanVariablesAreTrueOnlyForTheFourWords(value: String, expected: Bool) {
    #expect(EnvironmentValues.bool(value, default: !expected) == expected)
  }

  @Test func unsetBooleanTakesTheDefault() {
    #expect(EnvironmentValues.bool(nil, default: true))
    #expect(!EnvironmentValues.bool(nil, default: false))
  }

  @Test func emptyEnvironmentGivesADisabledSinkWithDefaults() {
    let sink = OpenTelemetrySink.fromEnvironment([:])
    #expect(
      sink.status().dictionary == [
        "name": .string("opentelemetry"), "enabled": .bool(false), "available": .bool(false),
        "detail": .string("disabled"), "service_name": .string("rlm-code"), "metrics_enabled": .bool(true),
      ])
  }

  @Test func enabledWithoutEndpointRecordsInMemory() {
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "yes", "OTEL_SERVICE_NAME": "svc", "DSPY_RLM_OTEL_METRICS_ENABLED": "off",
    ])
    let status = sink.status()
    #expect(status.dictionary["enabled"] == .bool(true) && status.dictionary["available"] == .bool(true))
    #expect(status.detail == "in-memory (no exporter)")
    #expect(status.serviceName == "svc" && !status.metricsEnabled)
    sink.onRunStart(runID: "r", task: "t", environment: "e", params: RunParams())
    #expect(sink.traceID(forRun: "r") != nil)
    sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    #expect(sink.status().spansRecorded == 1)
  }

  @Test func emptyEndpointMeansNoEndpointAndEmptyServiceNameIsKept() {
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "1", "OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_SERVICE_NAME": "",
    ])
    #expect(sink.status().detail == "in-memory (no exporter)")
    #expect(sink.endpoint == nil)
    #expect(sink.serviceName == "")
  }

  @Test func consoleTracesExporterIsChosenByEnvironment() {
    let sink = OpenTelemetrySink.fromEnvironment(["DSPY_RLM_OTEL_ENABLED": "true", "OTEL_TRACES_EXPORTER": " Console "])
    #expect(sink.status().detail == "console")
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func unknownExporterNameKeepsTheDefault() {
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_TRACES_EXPORTER": "zipkin",
      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
    ])
    #expect(sink.status().detail == "http://127.0.0.1:1")  // still OTLP, the default
    sink.syncShutdown(timeout: .milliseconds(100))
  }

}
