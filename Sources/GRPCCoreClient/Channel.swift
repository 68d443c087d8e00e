import CGRPCCore

/// Owns one `grpc_channel` (destroyed on deinit, which cancels nothing: calls must be finished first).
///
/// `@unchecked Sendable`: the core's channel functions are thread-safe and the pointer never changes.
final class Channel: @unchecked Sendable {
  private let pointer: OpaquePointer

  init(target: String, security: ChannelSecurity, options: ChannelOptions) throws(GRPCClientError) {
    let credentials = try Self.makeCredentials(security)
    defer { grpc_channel_credentials_release(credentials) }
    let arguments = ChannelArguments(options)
    pointer = arguments.withUnsafeChannelArgs { grpc_channel_create(target, credentials, $0) }
  }

  deinit {
    grpc_channel_destroy(pointer)
  }

  /// A new call on `queue` (the caller owns it: `grpc_call_unref`), or `nil` if the core refused.
  func makeCall(method: String, queue: CompletionQueue, deadline: gpr_timespec) -> OpaquePointer? {
    let methodSlice = Slices.copy(Array(method.utf8))
    defer { grpc_slice_unref(methodSlice) }  // needed only during the call
    return grpc_channel_create_call(
      pointer, nil, cgrpc_propagate_defaults(), queue.pointer, methodSlice, nil, deadline, nil)
  }

  /// Posts `tag` to `queue` at `deadline`, or earlier if the connectivity state changes or the channel
  /// is destroyed: the queue thread uses it to wake up for a timer while it waits in `next`.
  func notify(queue: CompletionQueue, deadline: gpr_timespec, tag: CompletionTag) {
    let state = grpc_channel_check_connectivity_state(pointer, 0)
    grpc_channel_watch_connectivity_state(pointer, state, deadline, queue.pointer, tag.retainedPointer())
  }

  private static func makeCredentials(_ security: ChannelSecurity) throws(GRPCClientError) -> OpaquePointer {
    switch security {
    case .insecure:
      return grpc_insecure_credentials_create()
    case .tls(let roots, let chain, let key):
      if (chain == nil) != (key == nil) { throw .incompleteClientIdentity }
      return withOptionalCString(roots) { rootsPointer in
        withOptionalCString(chain) { chainPointer in
          withOptionalCString(key) { keyPointer in
            guard let chainPointer, let keyPointer else {
              return grpc_ssl_credentials_create(rootsPointer, nil, nil, nil)
            }
            var pair = grpc_ssl_pem_key_cert_pair(private_key: keyPointer, cert_chain: chainPointer)
            return grpc_ssl_credentials_create(rootsPointer, &pair, nil, nil)
          }
        }
      }
    }
  }
}

/// Calls `body` with a C string valid during the call, or `nil`.
private func withOptionalCString<Result>(
  _ string: String?, _ body: (UnsafePointer<CChar>?) -> Result
) -> Result {
  guard let string else { return body(nil) }
  return string.withCString { body($0) }
}
