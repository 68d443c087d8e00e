import COTLPProto
import CProtobufC

/// What an OTLP receiver said about the items it could not accept.
package struct PartialSuccess: Hashable, Sendable {
  /// How many spans or data points were rejected; never negative.
  package var rejected: Int
  /// Why, in the receiver's words.
  package var message: String

  /// Creates a partial success.
  package init(rejected: Int, message: String) {
    self.rejected = rejected
    self.message = message
  }
}

/// Decodes OTLP export responses with protobuf-c (the `RetryInfo` of the
/// `grpc-status-details-bin` trailer is `UnaryResult.retryDelay`, in GRPCCoreClient).
package enum ResponseDecoder {
  /// The partial success of an `ExportTraceServiceResponse`; `nil` when there is none (the
  /// specification's "fully accepted"), or the bytes do not decode.
  package static func tracePartialSuccess(_ bytes: [UInt8]) -> PartialSuccess? {
    bytes.withUnsafeBufferPointer { buffer in
      guard
        let response = opentelemetry__proto__collector__trace__v1__export_trace_service_response__unpack(
          nil, buffer.count, buffer.baseAddress)
      else {
        return nil
      }
      defer {
        opentelemetry__proto__collector__trace__v1__export_trace_service_response__free_unpacked(
          response, nil)
      }
      guard let partial = response.pointee.partial_success else { return nil }
      return partialSuccess(rejected: partial.pointee.rejected_spans, message: partial.pointee.error_message)
    }
  }

  /// The partial success of an `ExportMetricsServiceResponse`.
  package static func metricsPartialSuccess(_ bytes: [UInt8]) -> PartialSuccess? {
    bytes.withUnsafeBufferPointer { buffer in
      guard
        let response = opentelemetry__proto__collector__metrics__v1__export_metrics_service_response__unpack(
          nil, buffer.count, buffer.baseAddress)
      else {
        return nil
      }
      defer {
        opentelemetry__proto__collector__metrics__v1__export_metrics_service_response__free_unpacked(
          response, nil)
      }
      guard let partial = response.pointee.partial_success else { return nil }
      return partialSuccess(
        rejected: partial.pointee.rejected_data_points, message: partial.pointee.error_message)
    }
  }

  /// The message of a `google.rpc.Status`, the body of an OTLP/HTTP error response; `nil` when the
  /// bytes are not one.
  package static func statusMessage(_ bytes: [UInt8]) -> String? {
    bytes.withUnsafeBufferPointer { buffer -> String? in
      guard !bytes.isEmpty, let status = google__rpc__status__unpack(nil, buffer.count, buffer.baseAddress)
      else {
        return nil
      }
      defer { google__rpc__status__free_unpacked(status, nil) }
      return string(status.pointee.message)
    }
  }

  private static func partialSuccess(rejected: Int64, message: ProtobufCBinaryData) -> PartialSuccess? {
    let text = string(message)
    // The field is int64: a negative count from a broken or hostile server counts nothing.
    let count = Int(clamping: max(0, rejected))
    // An empty partial_success (0 rejected, no message) means full success.
    guard count != 0 || !text.isEmpty else { return nil }
    return PartialSuccess(rejected: count, message: text)
  }

  private static func string(_ data: ProtobufCBinaryData) -> String {
    guard data.len > 0, let bytes = data.data else { return "" }
    return String(decoding: UnsafeBufferPointer(start: bytes, count: data.len), as: UTF8.self)
  }
}
