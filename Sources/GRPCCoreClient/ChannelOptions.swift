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
  /// How calls spread over the addresses the target resolves to; `nil` keeps the core's default
  /// (`pick_first`).
  package var loadBalancing: LoadBalancingPolicy?

  /// Options with every setting explicit; the defaults keep the core's behaviour.
  package init(
    gzip: Bool = false,
    maxSendMessageBytes: Int? = nil,
    initialReconnectBackoff: Duration? = nil,
    minReconnectBackoff: Duration? = nil,
    maxReconnectBackoff: Duration? = nil,
    userAgent: String? = nil,
    loadBalancing: LoadBalancingPolicy? = nil
  ) {
    self.gzip = gzip
    self.maxSendMessageBytes = maxSendMessageBytes
    self.initialReconnectBackoff = initialReconnectBackoff
    self.minReconnectBackoff = minReconnectBackoff
    self.maxReconnectBackoff = maxReconnectBackoff
    self.userAgent = userAgent
    self.loadBalancing = loadBalancing
  }
}

/// A gRPC load-balancing policy of the C core, by its registered name.
package enum LoadBalancingPolicy: String, Sendable, Hashable, CaseIterable {
  /// One connection, to the first address that answers; the next only when it fails.
  case pickFirst = "pick_first"
  /// A connection to every address; each call goes to the next ready one, and an address that is
  /// down is skipped until it reconnects.
  case roundRobin = "round_robin"

  /// The channel's default service config choosing this policy (`grpc.service_config`; a service
  /// config from the name resolver would win, but the core looks none up unless asked).
  var serviceConfigJSON: String { #"{"loadBalancingConfig":[{"\#(rawValue)":{}}]}"# }
}
