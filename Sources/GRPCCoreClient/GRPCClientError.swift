/// Why a ``GRPCClient`` could not be created.
package enum GRPCClientError: Error, Sendable, Hashable {
  /// The target is not `host:port` or a gRPC name such as `dns:///host:port` (e.g. it starts with `http://`).
  case invalidTarget(String)
  /// TLS client identity needs both the certificate chain and the private key.
  case incompleteClientIdentity
  /// The operating system refused to start the completion-queue thread (`pthread_create` result).
  case threadStartFailed(Int32)
}
