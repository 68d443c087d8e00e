import Foundation
import ObservabilitySinks
import TestSupport
import Testing

@Suite("TLS and mTLS with certificates made by openssl", .serialized)
struct TLSExportTests {
  private func sink(_ endpoint: String, configure: (inout OpenTelemetrySinkConfiguration) -> Void)
    -> OpenTelemetrySink
  {
    otlpSink(endpoint) {
      $0.traces.timeout = .seconds(3)
      configure(&$0)
    }
  }

  @Test func tlsWithTheRightCAWorksAndAWrongCAFailsClearly() throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    var options = OTLPReceiverOptions()
    options.tls = .init(
      certificatePath: certificates.server.certificatePath, keyPath: certificates.server.keyPath)
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }
    #expect(receiver.endpoint.hasPrefix("https://"))

    let good = sink(receiver.endpoint) { $0.traces.certificateFile = certificates.ca.certificatePath }
    playRuns(good, runs: 1, steps: 1)
    #expect(good.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 2)

    let wrong = sink(receiver.endpoint) { $0.traces.certificateFile = certificates.otherCA.certificatePath }
    playRuns(wrong, runs: 1, steps: 1)
    #expect(!wrong.syncShutdown(timeout: .seconds(10)))
    #expect(wrong.status().lastError?.contains("UNAVAILABLE") == true)
    #expect(receiver.spans().count == 2)

    let plaintext = sink("http://127.0.0.1:\(receiver.port)") { _ in }
    playRuns(plaintext, runs: 1, steps: 1)
    #expect(!plaintext.syncShutdown(timeout: .seconds(10)))
    #expect(plaintext.status().spansFailed == 2)
  }

  @Test func mutualTLSIsRequiredAndWorksWithTheClientPair() throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    var options = OTLPReceiverOptions()
    options.tls = .mutual(certificates)
    let receiver = try OTLPTestReceiver(options: options)
    defer { receiver.stop() }

    let anonymous = sink(receiver.endpoint) { $0.traces.certificateFile = certificates.ca.certificatePath }
    playRuns(anonymous, runs: 1, steps: 1)
    #expect(!anonymous.syncShutdown(timeout: .seconds(10)))

    let environment = [
      "DSPY_RLM_OTEL_ENABLED": "true", "DSPY_RLM_OTEL_METRICS_ENABLED": "false",
      "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
      "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca.certificatePath,
      "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": certificates.client.certificatePath,
      "OTEL_EXPORTER_OTLP_CLIENT_KEY": certificates.client.keyPath,
    ]
    let mutual = OpenTelemetrySink.fromEnvironment(environment)
    playRuns(mutual, runs: 1, steps: 1)
    #expect(mutual.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 2)
  }

  @Test func anUnreadableCertificateIsASetupFailure() {
    let sink = sink("https://127.0.0.1:1") { $0.traces.certificateFile = "/nonexistent/ca.pem" }
    #expect(!sink.status().available)
    #expect(sink.status().detail.contains("/nonexistent/ca.pem"))
  }
}
