import COTLPProto
import CProtobufC

/// What an OTLP receiver said about the items it could not accept.
public struct PartialSuccess: Hashable, Sendable {
  /// How many spans or data points were rejected.
  public var rejected: Int
  /// Why, in the receiver's words.
  public var message: String

  /// Creates a partial success.
  public init(rejected: Int, message: String) {
    self.rejected = rejected
    self.message = message
  }
}

/// Decodes OTLP export responses and the standard `grpc-status-details-bin` trailer with
/// protobuf-c.
public enum ResponseDecoder {
  /// The partial success of an `ExportTraceServiceResponse`; `nil` when there is none (the
  /// specification's "fully accepted"), or the bytes do not decode.
  public static func tracePartialSuccess(_ bytes: [UInt8]) -> PartialSuccess? {
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
  public static func metricsPartialSuccess(_ bytes: [UInt8]) -> PartialSuccess? {
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

  /// The delay a `google.rpc.RetryInfo` in a `grpc-status-details-bin` trailer (a serialized
  /// `google.rpc.Status`) asks for; `nil` when the trailer carries none.
  public static func retryDelay(statusDetails bytes: [UInt8]) -> Duration? {
    bytes.withUnsafeBufferPointer { buffer -> Duration? in
      guard let status = google__rpc__status__unpack(nil, buffer.count, buffer.baseAddress) else {
        return nil
      }
      defer { google__rpc__status__free_unpacked(status, nil) }
      for index in 0..<status.pointee.n_details {
        guard let detail = status.pointee.details[index],
          string(detail.pointee.type_url).hasSuffix("/google.rpc.RetryInfo")
        else { continue }
        let value = detail.pointee.value
        guard let info = google__rpc__retry_info__unpack(nil, value.len, value.data) else { continue }
        defer { google__rpc__retry_info__free_unpacked(info, nil) }
        guard let delay = info.pointee.retry_delay else { return .zero }
        return .seconds(delay.pointee.seconds) + .nanoseconds(Int64(delay.pointee.nanos))
      }
      return nil
    }
  }

  private static func partialSuccess(rejected: Int64, message: ProtobufCBinaryData) -> PartialSuccess? {
    let text = string(message)
    // An empty partial_success (0 rejected, no message) means full success.
    guard rejected != 0 || !text.isEmpty else { return nil }
    return PartialSuccess(rejected: Int(clamping: rejected), message: text)
  }

  private static func string(_ data: ProtobufCBinaryData) -> String {
    guard data.len > 0, let bytes = data.data else { return "" }
    return String(decoding: UnsafeBufferPointer(start: bytes, count: data.len), as: UTF8.self)
  }
}
