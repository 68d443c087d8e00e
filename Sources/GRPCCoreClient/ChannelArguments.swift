import CGRPCCore
import Glibc

/// The `grpc_channel_args` for a set of ``ChannelOptions``; owns the C strings they point to.
///
/// The core copies the arguments in `grpc_channel_create`, so this only lives through that call.
final class ChannelArguments {
  private var arguments: [grpc_arg] = []
  /// `strdup`ed keys and string values, freed on deinit.
  private var ownedStrings: [UnsafeMutablePointer<CChar>] = []

  init(_ options: ChannelOptions) {
    if options.gzip {
      add(key: cgrpc_arg_default_compression_algorithm(), integer: Int32(GRPC_COMPRESS_GZIP.rawValue))
    }
    if let bytes = options.maxSendMessageBytes {
      add(key: cgrpc_arg_max_send_message_length(), integer: Int32(clamping: bytes))
    }
    if let backoff = options.initialReconnectBackoff {
      add(key: cgrpc_arg_initial_reconnect_backoff_ms(), integer: Timespec.milliseconds(backoff))
    }
    if let backoff = options.minReconnectBackoff {
      add(key: cgrpc_arg_min_reconnect_backoff_ms(), integer: Timespec.milliseconds(backoff))
    }
    if let backoff = options.maxReconnectBackoff {
      add(key: cgrpc_arg_max_reconnect_backoff_ms(), integer: Timespec.milliseconds(backoff))
    }
    if let userAgent = options.userAgent {
      add(key: cgrpc_arg_primary_user_agent(), string: userAgent)
    }
    if let policy = options.loadBalancing {
      // The service config, not the older `grpc.lb_policy_name`: the form gRPC documents today.
      add(key: cgrpc_arg_service_config(), string: policy.serviceConfigJSON)
    }
  }

  deinit {
    for string in ownedStrings { free(string) }
  }

  /// Calls `body` with C arguments valid only during the call.
  func withUnsafeChannelArgs<Result>(_ body: (UnsafePointer<grpc_channel_args>) -> Result) -> Result {
    arguments.withUnsafeMutableBufferPointer { buffer in
      var channelArgs = grpc_channel_args(num_args: buffer.count, args: buffer.baseAddress)
      return withUnsafePointer(to: &channelArgs, body)
    }
  }

  private func add(key: UnsafePointer<CChar>, integer: Int32) {
    var argument = grpc_arg()
    argument.type = GRPC_ARG_INTEGER
    argument.key = own(strdup(key))
    argument.value.integer = integer
    arguments.append(argument)
  }

  private func add(key: UnsafePointer<CChar>, string: String) {
    var argument = grpc_arg()
    argument.type = GRPC_ARG_STRING
    argument.key = own(strdup(key))
    argument.value.string = own(strdup(string))
    arguments.append(argument)
  }

  private func own(_ string: UnsafeMutablePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    if let string { ownedStrings.append(string) }
    return string
  }
}
