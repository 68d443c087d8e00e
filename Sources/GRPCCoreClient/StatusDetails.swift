import COTLPProto

/// Reads the `google.rpc.Status` carried by the `grpc-status-details-bin` trailer.
extension UnaryResult {
  /// The trailer naming the rich status (already base64-decoded by the core).
  package static let statusDetailsKey = "grpc-status-details-bin"

  /// The server's `google.rpc.RetryInfo.retry_delay`, if the status details carry one
  /// (OTLP servers send it with `RESOURCE_EXHAUSTED`/`UNAVAILABLE` to throttle clients).
  package var retryDelay: Duration? {
    guard let details = trailer(Self.statusDetailsKey) else { return nil }
    return StatusDetails.retryDelay(in: details)
  }
}

/// protobuf-c decoding of `google.rpc.Status` and `google.rpc.RetryInfo`.
enum StatusDetails {
  static let retryInfoTypeURL = "type.googleapis.com/google.rpc.RetryInfo"

  static func retryDelay(in statusBytes: [UInt8]) -> Duration? {
    statusBytes.withUnsafeBufferPointer { buffer -> Duration? in
      guard let status = google__rpc__status__unpack(nil, buffer.count, buffer.baseAddress) else {
        return nil
      }
      defer { google__rpc__status__free_unpacked(status, nil) }
      for index in 0..<status.pointee.n_details {
        guard let any = status.pointee.details[index]?.pointee,
          bytes(any.type_url) == Array(retryInfoTypeURL.utf8)
        else { continue }
        guard let info = google__rpc__retry_info__unpack(nil, any.value.len, any.value.data) else {
          return nil
        }
        defer { google__rpc__retry_info__free_unpacked(info, nil) }
        guard let delay = info.pointee.retry_delay?.pointee else { return nil }
        // A negative delay is not a delay: treat the hint as absent rather than trust it.
        guard delay.seconds >= 0, delay.nanos >= 0 else { return nil }
        return .seconds(delay.seconds) + .nanoseconds(Int64(delay.nanos))
      }
      return nil
    }
  }

  private static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard data.len > 0, let start = data.data else { return [] }
    return Array(UnsafeBufferPointer(start: start, count: data.len))
  }
}
