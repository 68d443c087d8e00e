import Foundation
import TestSupport

/// What `Tests/Receiver/send_sample.py` reported about its last Export call.
struct SampleResult {
  let code: String
  let details: String
  let partialSuccess: [String: Any]
  let trailers: [String: Any]
  let retryDelayMilliseconds: Int?
  let elapsedSeconds: Double
}

/// Runs the independent Python grpcio client against a receiver port.
func sendSample(port: Int, _ arguments: [String] = []) throws -> SampleResult {
  let object = try runPythonClient("Tests/Receiver/send_sample.py", ["--port", String(port)] + arguments)
  return SampleResult(
    code: object["code"] as? String ?? "", details: object["details"] as? String ?? "",
    partialSuccess: object["partial_success"] as? [String: Any] ?? [:],
    trailers: object["trailers"] as? [String: Any] ?? [:],
    retryDelayMilliseconds: object["retry_delay_ms"] as? Int,
    elapsedSeconds: object["elapsed_s"] as? Double ?? 0)
}

struct SampleClientError: Error {
  let output: String
  let status: Int32
}

/// The client-certificate arguments of the Python clients for one test identity.
func clientCertificateArguments(_ identity: TestCertificates.Identity) -> [String] {
  ["--client-cert", identity.certificatePath, "--client-key", identity.keyPath]
}
