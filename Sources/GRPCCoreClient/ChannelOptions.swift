/// Channel-wide settings, turned into gRPC channel arguments.
public struct ChannelOptions: Sendable, Hashable {
  /// Compress every request with gzip (`grpc.default_compression_algorithm`).
  public var gzip: Bool
  /// Largest request the channel sends; `nil` keeps the core's default (unlimited).
  public var maxSendMessageBytes: Int?
  /// Delay before the first reconnection attempt; `nil` keeps the core's default.
  public var initialReconnectBackoff: Duration?
  /// Lower bound of the reconnection delay; `nil` keeps the core's default.
  public var minReconnectBackoff: Duration?
  /// Upper bound of the reconnection delay; `nil` keeps the core's default (120 s).
  public var maxReconnectBackoff: Duration?
  /// Prepended to the core's `user-agent`; `nil` sends the core's alone.
  public var userAgent: String?

  /// Options with every setting explicit; the defaults keep the core's behaviour.
  public init(
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
