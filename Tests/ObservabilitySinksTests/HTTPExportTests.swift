import Foundation
import ObservabilitySinks
import SinkReplay
import SinkSupport
import TestSupport
import Testing

/// A sink exporting over OTLP/HTTP to `endpoint` (a base URL), configured in code only, retrying fast.
func httpSink(
  _ endpoint: String, metricsEnabled: Bool = false,
  configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
) -> OpenTelemetrySink {
  otlpSink(endpoint, metricsEnabled: metricsEnabled) { configuration in
    configuration.traces.protocol = .httpProtobuf
    configuration.metrics.protocol = .httpProtobuf
    configure(&configuration)
  }
}

@Suite("OTLP/HTTP export against a real receiver (official opentelemetry-proto decoding)")
struct HTTPExportTests {
  @Test(arguments: ["doc3", "failing", "missing"])
  func goldenScenariosMatchTheReferenceOverHTTP(scenario: String) throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let script = try HookScript(json: try fixture("golden/\(scenario)/script.json"))
    let golden = try JSONValue(parsing: try fixture("golden/\(scenario)/normalized.json"))
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.httpEndpoint,
      "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
    ])
    #expect(sink.status().detail == receiver.httpURL(.traces))
    _ = HookScriptPlayer(sleepScale: 0.05).play(script, on: sink)
    #expect(sink.syncShutdown(timeout: .seconds(20)))
    #expect(receiver.calls().allSatisfy { $0.transport == .http })
    let spans = try ReceivedModel.spans(receiver.traceRequests()).spans
    guard case .array(let goldenSpans)? = golden["traces"]?["spans"],
      case .array(let goldenMetrics)? = golden["metrics"]
    else {
      Issue.record("fixture has no spans")
      return
    }
    let spanDiffs = differences(
      .array(goldenSpans.map { $0.removing(["scope"]) }), .array(GoldenNormalizer.spans(spans)), path: "spans"
    )
    #expect(spanDiffs.isEmpty, "\(spanDiffs.joined(separator: "\n"))")
    let metrics = try ReceivedModel.metrics(receiver.metricRequests())
    let lastByName = Dictionary(metrics.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    let metricDiffs = differences(
      .array(goldenMetrics.map { $0.removing(["scope", "scope_version"]) }),
      .array(GoldenNormalizer.metrics(Array(lastByName.values))), path: "metrics")
    #expect(metricDiffs.isEmpty, "\(metricDiffs.joined(separator: "\n"))")
  }

  @Test func batchesShareOneKeptAliveConnectionWithHeadersAndGzip() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = httpSink(receiver.httpEndpoint) {
      $0.traces.headers = [OTLPHeader("x-tenant", "team-a")]
      $0.traces.compression = .gzip
      $0.maxExportBatchSize = 10
    }
    for round in 0..<5 {
      playRuns(sink, runs: 5, steps: 1, prefix: "r\(round)")
      #expect(sink.syncForceFlush(timeout: .seconds(10)))
    }
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    let calls = receiver.calls()
    #expect(calls.count >= 5)
    #expect(receiver.spans().count == 50)
    #expect(receiver.httpConnectionCount() == 1, "one connection for \(calls.count) requests")
    #expect(calls.allSatisfy { $0.metadata["x-tenant"] == "team-a" })
    #expect(calls.allSatisfy { $0.metadata["content-encoding"] == "gzip" && $0.compressed == true })
    #expect(calls.allSatisfy { $0.metadata["content-type"] == "application/x-protobuf" })
    #expect(calls.allSatisfy { $0.metadata["user-agent"]?.hasPrefix("OTel-OTLP-Exporter-Swift") == true })
    #expect(sink.status().spansExported == 50)
  }

  @Test func a503WithRetryAfterIsRetriedAfterTheServersDelay() throws {
    var options = OTLPReceiverOptions()
    options.failFirst = 1
    options.failHTTPStatus = 503
    options.retryAfter = "1"
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = httpSink(receiver.httpEndpoint)
    playRuns(sink, runs: 1, steps: 1)
    let start = ContinuousClock.now
    #expect(sink.syncShutdown(timeout: .seconds(20)))
    // The server's second, not the policy's 100 ms backoff.
    #expect(ContinuousClock.now - start >= .milliseconds(900))
    #expect(receiver.calls().map(\.httpStatus) == [503, 200])
    let status = sink.status()
    #expect(status.spansExported == 2 && status.exportRetries == 1 && status.spansFailed == 0)
  }

  @Test func aShutdownDuringARetryKeepsTheReasonOfTheRetry() throws {
    var options = OTLPReceiverOptions()
    options.failFirst = 1
    options.failHTTPStatus = 503
    options.delay = .seconds(3)  // the retry is still on the wire when the sink shuts down
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = httpSink(receiver.httpEndpoint)
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncForceFlush(timeout: .milliseconds(1)) == false)
    // The retry is counted just before it is sent.
    #expect(waitFor(timeout: .seconds(20)) { sink.status().exportRetries == 1 })
    #expect(!sink.syncShutdown(timeout: .milliseconds(200)))
    let status = sink.status()
    #expect(status.spansFailed == 2, "\(status)")
    // Not just "CANCELLED": the 503 the exporter was retrying after.
    #expect(status.lastError?.contains("CANCELLED") == true, "\(status)")
    #expect(status.lastError?.contains("503") == true, "\(status)")
  }

  @Test(arguments: [429, 502, 504])
  func theOtherRetryableStatusesAreRetried(code: Int) throws {
    var options = OTLPReceiverOptions()
    options.failFirst = 2
    options.failHTTPStatus = code
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = httpSink(receiver.httpEndpoint)
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncShutdown(timeout: .seconds(20)))
    #expect(receiver.calls().map(\.httpStatus) == [code, code, 200])
    #expect(sink.status().exportRetries == 2)
  }

  @Test(arguments: [400, 401, 500])
  func otherFailuresAreFinalCountedAndLoggedWithTheServersReason(code: Int) throws {
    var options = OTLPReceiverOptions()
    options.failAlways = .invalidArgument
    options.failHTTPStatus = code
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let logs = CapturedLogs()
    let sink = httpSink(receiver.httpEndpoint) { $0.logger = logs.logger }
    playRuns(sink, runs: 1, steps: 1)
    #expect(!sink.syncShutdown(timeout: .seconds(20)))
    #expect(receiver.calls().count == 1, "never retried")
    let status = sink.status()
    #expect(status.spansFailed == 2 && status.exportRetries == 0)
    #expect(
      status.lastError?.hasPrefix("span export: failed: HTTP \(code)") == true, "\(status.lastError ?? "")")
    let warnings = logs.messages.withLock { $0 }.filter { $0.contains("span export to") }
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("HTTP \(code)") == true, "\(warnings)")
    #expect(warnings.first?.contains(receiver.httpURL(.traces)) == true, "\(warnings)")
  }

  @Test func aTraceOnlyBackendIsSuccessAndMetricExportStopsWithOneWarning() throws {
    var options = OTLPReceiverOptions()
    options.metricsUnimplemented = true
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let logs = CapturedLogs()
    let sink = httpSink(receiver.httpEndpoint, metricsEnabled: true) { $0.logger = logs.logger }
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncForceFlush(timeout: .seconds(10)))
    playRuns(sink, runs: 1, steps: 1, prefix: "again")
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 4)
    #expect(receiver.calls().filter { $0.service == .metrics }.count == 1)
    #expect(sink.status().metricExportStopped?.contains("HTTP 404") == true)
    #expect(logs.messages.withLock { $0 }.filter { $0.contains("metrics service") }.count == 1)
  }

  @Test func aPerSignalURLIsUsedAsItIsAndTheBaseGetsTheSignalPath() throws {
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.httpURL(.traces),
      "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": receiver.endpoint,
    ])
    playRuns(sink, runs: 1, steps: 1)
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    let calls = receiver.calls()
    #expect(calls.filter { $0.service == .traces }.allSatisfy { $0.transport == .http })
    #expect(calls.filter { $0.service == .metrics }.allSatisfy { $0.transport == .grpc })
    #expect(calls.contains { $0.service == .metrics })
    #expect(receiver.spans().count == 2)
  }

  @Test func aDeadEndpointNeverBlocksTheCallerAndShutdownKeepsItsDeadline() throws {
    let receiver = try OTLPTestReceiver()
    let endpoint = receiver.httpEndpoint
    receiver.stop()
    let logs = CapturedLogs()
    let sink = httpSink(endpoint) {
      $0.logger = logs.logger
      $0.traces.timeout = .seconds(60)
    }
    let started = ContinuousClock.now
    playRuns(sink, runs: 10, steps: 2)
    #expect(ContinuousClock.now - started < .seconds(1), "the hooks never wait on the network")
    #expect(sink.syncForceFlush(timeout: .milliseconds(300)) == false)
    let shutdownStart = ContinuousClock.now
    #expect(!sink.syncShutdown(timeout: .seconds(1)))
    #expect(ContinuousClock.now - shutdownStart < .seconds(3))
    let status = sink.status()
    #expect(status.spansFailed + status.spansDropped == 30 && status.spansPending == 0, "\(status)")
    #expect(
      logs.messages.withLock { $0 }.contains { $0.contains("span export to") && $0.contains("no response") })
  }

  @Test func tlsAndMutualTLSWithTheSameCertificateSettings() throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    var options = OTLPReceiverOptions()
    options.tls = .mutual(certificates)
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    #expect(receiver.httpEndpoint.hasPrefix("https://"))

    let anonymous = httpSink(receiver.httpEndpoint) {
      $0.traces.certificateFile = certificates.ca.certificatePath
    }
    playRuns(anonymous, runs: 1, steps: 1)
    #expect(!anonymous.syncShutdown(timeout: .seconds(5)))

    let wrongCA = httpSink(receiver.httpEndpoint) {
      $0.traces.certificateFile = certificates.otherCA.certificatePath
      $0.traces.clientCertificateFile = certificates.client.certificatePath
      $0.traces.clientKeyFile = certificates.client.keyPath
      // A failed handshake is "no response", which is retried; a retry still in flight at the
      // shutdown below would end CANCELLED and hide the certificate error (seen on a loaded machine).
      $0.retryPolicy = RetryPolicy(maxAttempts: 1)
    }
    playRuns(wrongCA, runs: 1, steps: 1)
    #expect(!wrongCA.syncShutdown(timeout: .seconds(5)))
    #expect(
      wrongCA.status().lastError?.contains("certificate") == true, "\(wrongCA.status().lastError ?? "")")

    let mutual = OpenTelemetrySink.fromEnvironment([
      "DSPY_RLM_OTEL_ENABLED": "true", "DSPY_RLM_OTEL_METRICS_ENABLED": "false",
      "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.httpEndpoint,
      "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca.certificatePath,
      "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": certificates.client.certificatePath,
      "OTEL_EXPORTER_OTLP_CLIENT_KEY": certificates.client.keyPath,
    ])
    playRuns(mutual, runs: 1, steps: 1)
    #expect(mutual.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 2)
  }

  @Test func shutdownDuringARetryAfterWaitEndsAtOnceAndCountsTheSpans() throws {
    var options = OTLPReceiverOptions()
    options.failAlways = .unavailable
    options.failHTTPStatus = 503
    options.retryAfter = "5"
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = httpSink(receiver.httpEndpoint) {
      $0.traces.timeout = .seconds(120)
      $0.exportTimeout = .seconds(60)
    }
    playRuns(sink, runs: 1, steps: 1)
    // A flush starts the export; its first attempt gets 503 and the server's 5 s wait begins.
    let flush = Background { sink.syncForceFlush(timeout: .seconds(30)) }
    #expect(waitFor { receiver.calls().count == 1 })
    let start = ContinuousClock.now
    #expect(!sink.syncShutdown(timeout: .seconds(1)))
    #expect(ContinuousClock.now - start < .seconds(3))
    #expect(!flush.wait())
    #expect(receiver.calls().count == 1, "the retry never happened")
    let status = sink.status()
    #expect(status.spansFailed == 2 && status.spansPending == 0, "\(status)")
  }

  @Test func aServerDelayLongerThanTheTimeLeftFailsAtOnce() throws {
    var options = OTLPReceiverOptions()
    options.failAlways = .unavailable
    options.failHTTPStatus = 503
    options.retryAfter = "600"
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let sink = httpSink(receiver.httpEndpoint)
    playRuns(sink, runs: 1, steps: 1)
    let start = ContinuousClock.now
    #expect(!sink.syncShutdown(timeout: .seconds(20)))
    #expect(ContinuousClock.now - start < .seconds(5), "no 300 s wait with 10 s of export timeout")
    #expect(receiver.calls().count == 1)
    #expect(sink.status().spansFailed == 2)
  }

  @Test(arguments: [
    ("http/json", "is not supported: OTLP/HTTP is sent as binary protobuf"),
    ("thrift", "expected grpc or http/protobuf; using grpc"),
  ])
  func anUnsupportedProtocolWarnsOnce(value: String, warning: String) {
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.logger = logs.logger
    configuration.environment = ["OTEL_EXPORTER_OTLP_PROTOCOL": value]
    let sink = OpenTelemetrySink(
      enabled: true, endpoint: nil, metricsEnabled: false, configuration: configuration)
    let messages = logs.messages.withLock { $0 }.filter { $0.contains("OTEL_EXPORTER_OTLP_PROTOCOL") }
    #expect(messages.count == 1 && messages.first?.contains(warning) == true, "\(messages)")
    #expect(sink.syncShutdown(timeout: .seconds(5)))
  }

  @Test func theReplayToolExitsZeroAgainstATraceOnlyBackendOnBothTransports() throws {
    var options = OTLPReceiverOptions()
    options.metricsUnimplemented = true
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    let script = try Self.fixturePath("rlm-code/recursive_sequential/script.json")
    for (endpoint, transport) in [(receiver.endpoint, "grpc"), (receiver.httpEndpoint, "http/protobuf")] {
      let run = try BuiltTool.run(
        "rlm-otel-replay", [script, "--sleep-scale", "0"],
        environment: [
          "DSPY_RLM_OTEL_ENABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
          "OTEL_EXPORTER_OTLP_PROTOCOL": transport,
        ])
      #expect(run.exited && run.status == 0, "\(transport): \(run.stderr)")
      #expect(run.stderr.contains("accepts traces only"), "\(run.stderr)")
    }
    #expect(receiver.spans().count == 28)
  }

  static func fixturePath(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
      throw FixtureMissing(path: name)
    }
    return url.path
  }
}
