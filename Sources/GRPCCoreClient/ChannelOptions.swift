/// Channel-wide settings, turned into gRPC channel arguments.
package struct ChannelOptions: Sendable, Hashable {
  /// Compress every request with gzip (`grpc.default_compression_algorithm`).
  package var gzip: Bool
  /// Largest request the channel sends; `nil` keeps the core's default (unlimited).
  package var maxSendMessageBytes: Int?
  /// Delay before the first reconnection attempt; `nil` keeps the core's default.
  package var initialReconnectBackoff: Duration?
  /// Lower bound of the reconnection delay; `nil` keeps the core's default.
  package var minReconnectBackoff: Duration?
  /// Upper bound of the reconnection delay; `nil` keeps the core's default (120 s).
  package var maxReconnectBackoff: Duration?
  /// Prepended to the core's `user-agent`; `nil` sends the core's alone.
  package var userAgent: String?

  /// Options with every setting explicit; the defaults keep the core's behaviour.
  package init(
    gzip: Bool = false,
    maxSendMessageBytes: Int? = nil,
    initialReconnectBackoff: Duration? = nil,
    minReconnectBackoff: Duration? = nil,
    maxReconnectBackoff: Duration? = nil,
    userAgent: String? = nil
  ) {
    self.gzip = gzip
    self.maxSendMessageBytes = maxSendMessageBytes
    self.initialReconnectBackoff = initialReconnectBackoff
    self.minReconnectBackoff = minReconnectBackoff
    self.maxReconnectBackoff = maxReconnectBackoff
    self.userAgent = userAgent
  }
}
