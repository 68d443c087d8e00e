import GRPCCoreClient
import ObservabilitySinks

/// What a hostile server controls: export response bodies and the `grpc-status-details-bin` trailer.
enum ResponseTargets {
  /// A partial success never has a negative count, and an empty one means full success.
  static func exportResponse(_ bytes: [UInt8]) {
    for partial in [ResponseDecoder.tracePartialSuccess(bytes), ResponseDecoder.metricsPartialSuccess(bytes)]
    {
      guard let partial else { continue }
      invariant(partial.rejected >= 0, "negative rejected count \(partial.rejected)")
      invariant(partial.rejected > 0 || !partial.message.isEmpty, "an empty partial success is full success")
    }
  }

  /// A server's retry delay is never negative, and the policy honours it as given up to the
  /// longest delay it accepts.
  static func statusDetails(_ bytes: [UInt8]) {
    let result = UnaryResult(
      status: .resourceExhausted, message: "",
      trailingMetadata: [GRPCMetadataEntry(key: UnaryResult.statusDetailsKey, value: bytes)])
    guard let delay = result.retryDelay else { return }
    invariant(delay >= .zero, "negative retry delay \(delay)")
    invariant(
      RetryPolicy().delay(afterAttempt: 1, serverDelay: delay) == min(delay, RetryPolicy.longestServerDelay),
      "server delay not honoured")
  }
}
