import Foundation
import TestSupport

/// One answer `Tests/Receiver/send_http.py` got.
struct HTTPSampleResponse {
  let status: Int
  /// Response headers, names lowercased.
  let headers: [String: String]
  let bodyBytes: Int
  /// The decoded `partial_success` of a 200 answer (protobuf JSON, proto field names).
  let partialSuccess: [String: Any]?
  /// `google.rpc.Status` code, message and RetryInfo delay of a 4xx/5xx protobuf body.
  let statusCode: Int?
  let statusMessage: String?
  let retryDelayMilliseconds: Int?
}

/// What `send_http.py` reported: every answer, and how many TCP connections it opened.
struct HTTPSampleResult {
  let responses: [HTTPSampleResponse]
  let connections: Int
  /// Set when a request could not be made at all (refused TLS handshake, connection refused…).
  let error: String?
  let elapsedSeconds: Double

  var statuses: [Int] { responses.map(\.status) }
  var last: HTTPSampleResponse? { responses.last }
}

/// Runs the independent stdlib-http.client OTLP/HTTP sender against a receiver's HTTP port.
func sendHTTP(port: Int, _ arguments: [String] = []) throws -> HTTPSampleResult {
  let object = try runPythonClient("Tests/Receiver/send_http.py", ["--port", String(port)] + arguments)
  let responses = ((object["responses"] as? [[String: Any]]) ?? []).map { response in
    HTTPSampleResponse(
      status: response["status"] as? Int ?? 0, headers: response["headers"] as? [String: String] ?? [:],
      bodyBytes: response["body_bytes"] as? Int ?? 0,
      partialSuccess: response["partial_success"] as? [String: Any],
      statusCode: response["status_code"] as? Int, statusMessage: response["status_message"] as? String,
      retryDelayMilliseconds: response["retry_delay_ms"] as? Int)
  }
  return HTTPSampleResult(
    responses: responses, connections: object["connections"] as? Int ?? 0, error: object["error"] as? String,
    elapsedSeconds: object["elapsed_s"] as? Double ?? 0)
}

/// Runs a Python client script of the repository and parses the JSON object of its last stdout line.
func runPythonClient(_ script: String, _ arguments: [String]) throws -> [String: Any] {
  let result = try PythonScriptResult.run(script, arguments)
  let lastLine = result.output.split(separator: "\n").last.map(String.init) ?? ""
  guard result.status == 0,
    let object = try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any]
  else {
    throw SampleClientError(output: lastLine, status: result.status)
  }
  return object
}
