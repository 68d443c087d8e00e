import CGRPCCore

/// One `grpc_init` reference: taken on creation, given back (`grpc_shutdown`) on deinit.
///
/// The core's lifetime is refcounted; every gRPC object the client owns must be gone before the last
/// `grpc_shutdown`, so the client releases this token last.
final class GRPCRuntime: Sendable {
  init() { grpc_init() }
  deinit { grpc_shutdown() }
}
