import Foundation
import TestSupport
import Testing

@Suite("OTLP test receiver: TLS and mTLS")
struct ReceiverTLSTests {
  @Test func tlsAcceptsClientsTrustingTheCAOnly() async throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    #expect(certificates.server.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
    #expect(certificates.ca.certificatePEM != certificates.otherCA.certificatePEM)
    var options = OTLPReceiverOptions()
    options.tls = .init(
      certificatePath: certificates.server.certificatePath, keyPath: certificates.server.keyPath)
    let receiver = try OTLPTestReceiver(options: options)
    #expect(receiver.endpoint.hasPrefix("https://127.0.0.1:"))

    let ca = certificates.ca.certificatePath
    #expect(try sendSample(port: receiver.port, ["--tls-ca", ca]).code == "OK")  // SAN IP 127.0.0.1
    // SAN DNS:localhost
    #expect(try sendSample(port: receiver.port, ["--tls-ca", ca, "--host", "localhost"]).code == "OK")
    let wrongCA = ["--tls-ca", certificates.otherCA.certificatePath, "--timeout", "3"]
    #expect(try sendSample(port: receiver.port, wrongCA).code == "UNAVAILABLE")
    #expect(try sendSample(port: receiver.port, ["--timeout", "3"]).code == "UNAVAILABLE")  // plaintext
    #expect(try await receiver.waitForSpans(count: 2).count == 2)
  }

  @Test func mutualTLSRequiresAClientCertificateFromTheCA() async throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    var options = OTLPReceiverOptions()
    options.tls = .mutual(certificates)
    let receiver = try OTLPTestReceiver(options: options)

    let ca = ["--tls-ca", certificates.ca.certificatePath, "--timeout", "3"]
    let client = clientCertificateArguments(certificates.client)
    let otherClient = clientCertificateArguments(certificates.otherClient)
    #expect(try sendSample(port: receiver.port, ca + client).code == "OK")
    #expect(try sendSample(port: receiver.port, ca).code == "UNAVAILABLE")
    #expect(try sendSample(port: receiver.port, ca + otherClient).code == "UNAVAILABLE")
    #expect(try await receiver.waitForSpans(count: 1).count == 1)
    #expect(receiver.calls().count == 1)  // refused handshakes never reach the handler
  }
}
