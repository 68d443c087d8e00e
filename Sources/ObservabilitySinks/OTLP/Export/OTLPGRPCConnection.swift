import Dispatch
import GRPCCoreClient
import SinkSupport
import Synchronization

/// One OTLP/gRPC connection: the gRPC client, the request metadata, and sending with retries.
///
/// Retries are scheduled on the client's completion-queue thread (it waits out the backoff inside
/// `grpc_completion_queue_next`, so the channel keeps reconnecting meanwhile); the export thread
/// only waits for the final answer.
final class OTLPGRPCConnection: OTLPConnection {
  static let traceMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
  static let metricsMethod = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"

  let endpoint: OTLPEndpoint
  private let client: GRPCClient
  private let metadata: [(String, String)]
  private let retry: RetryPolicy
  private let retriesScheduled = RetryCount()

  var destination: String { endpoint.description }

  /// Attempts beyond the first so far, counted as each is scheduled (so a status read while an
  /// export waits out its backoff already shows it).
  var retries: Int { retriesScheduled.value.load(ordering: .relaxed) }

  init(options: OTLPExporterOptions, retry: RetryPolicy) throws {
    guard let text = options.endpoint else { throw OTLPConfigurationError.invalidEndpoint("", "it is empty") }
    endpoint = try OTLPEndpoint(text)
    let useTLS = endpoint.schemeWantsTLS ?? !(options.insecure ?? false)
    let security: ChannelSecurity
    if useTLS {
      security = .tls(
        rootCertificatesPEM: try options.certificateFile.map(Self.readPEM),
        clientCertificateChainPEM: try options.clientCertificateFile.map(Self.readPEM),
        clientPrivateKeyPEM: try options.clientKeyFile.map(Self.readPEM))
    } else {
      security = .insecure
    }
    client = try GRPCClient(
      target: endpoint.target, security: security,
      options: ChannelOptions(
        gzip: options.compression == .gzip, initialReconnectBackoff: .milliseconds(250),
        minReconnectBackoff: .milliseconds(250), maxReconnectBackoff: .seconds(5),
        userAgent: OTLPUserAgent.value, loadBalancing: endpoint.loadBalancingPolicy(options.loadBalancing)))
    metadata = (options.headers ?? []).map { ($0.key, $0.value) }
    self.retry = retry
  }

  /// Starts sending `request` with retries and returns at once; ``OTLPPendingCall/wait()`` gives
  /// the final outcome.
  func start(_ route: OTLPRoute, request: [UInt8], timeout: Duration) -> OTLPPendingCall {
    let method = route == .traces ? Self.traceMethod : Self.metricsMethod
    let deadline = Deadline(after: timeout)
    let pending = OTLPPendingCall(timeout: timeout)
    let client = self.client
    let metadata = self.metadata
    let retry = self.retry
    let retriesScheduled = self.retriesScheduled
    @Sendable func attempt(_ number: Int) {
      let remaining = deadline.remaining
      client.startUnary(
        method: method, request: request, metadata: metadata, timeout: max(remaining, .milliseconds(1)),
        waitForReady: false
      ) { result in
        let serverDelay = result.retryDelay
        if result.status != .ok, RetryPolicy.isRetryable(result.status, hasRetryInfo: serverDelay != nil),
          number < retry.maxAttempts
        {
          let delay = retry.delay(afterAttempt: number, serverDelay: serverDelay)
          // A client already shut down runs no timer: then this result is final.
          if delay < deadline.remaining, client.schedule(after: delay, { attempt(number + 1) }) {
            retriesScheduled.value.wrappingAdd(1, ordering: .relaxed)
            return
          }
        }
        pending.complete(Self.outcome(of: result, attempts: number))
      }
    }
    attempt(1)
    return pending
  }

  private static func outcome(of result: UnaryResult, attempts: Int) -> OTLPOutcome {
    guard result.status == .ok else {
      return .failed(
        "\(result.status.name): \(ServerText.forLog(result.message))",
        serviceMissing: result.status == .unimplemented, attempts: attempts)
    }
    return .delivered(result.response ?? [], attempts: attempts)
  }

  /// Cancels what is in flight and releases the connection.
  func shutdown() {
    client.shutdown()
  }

  private static func readPEM(_ path: String) throws -> String {
    do {
      return try TextFile.read(path)
    } catch {
      throw OTLPConfigurationError.unreadableCertificate(path: path, reason: error.description)
    }
  }
}

/// A retry counter the retry closures share with the transport.
private final class RetryCount: Sendable {
  let value = Atomic<Int>(0)
}
