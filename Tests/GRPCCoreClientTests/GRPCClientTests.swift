import Foundation
import GRPCCoreClient
import SinkSupport
import Synchronization
import TestSupport
import Testing

@Suite("GRPCClient against a real grpcio server")
struct GRPCClientTests {
  @Test func bytesRoundTripIncludingNULs() throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let request = (0..<4096).map { UInt8(truncatingIfNeeded: $0) }
    let result = client.unary(method: EchoServer.echo, request: request, timeout: .seconds(10))
    #expect(result.status == .ok, "\(result.message)")
    #expect(result.response == request)
  }

  @Test func emptyRequestAndResponse() throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let result = client.unary(method: EchoServer.echo, request: [], timeout: .seconds(10))
    #expect(result.status == .ok, "\(result.message)")
    #expect(result.response == [])
  }

  @Test func serverSeesTextAndBinaryMetadata() throws {
    let server = try EchoServer()
    let client = try server.client(options: ChannelOptions(userAgent: "obs-sinks-test/1"))
    defer { client.shutdown() }
    let result = client.unary(
      method: EchoServer.metadata, request: [],
      metadata: [("x-team", "observability"), ("x-blob-bin", "a\u{0}b")], timeout: .seconds(10))
    #expect(result.status == .ok, "\(result.message)")
    let seen = try jsonObject(result.response)
    #expect(seen["x-team"] as? String == "observability")
    #expect(seen["x-blob-bin"] as? String == "610062")
    #expect((seen["user-agent"] as? String)?.hasPrefix("obs-sinks-test/1") == true)
  }

  @Test func nonOKStatusCarriesMessageAndBinaryTrailers() throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let result = client.unary(
      method: EchoServer.echo, request: [1, 2, 3],
      metadata: [
        ("x-status-code", "8"), ("x-status-message", "slow down, please"), ("x-retry-delay-ms", "1500"),
        ("x-trailer-bin", "\u{0}\u{1}binary"),
      ], timeout: .seconds(10))
    #expect(result.status == .resourceExhausted)
    #expect(result.message == "slow down, please")
    #expect(result.response == nil)
    #expect(result.trailer("x-echo-trailer-bin") == [0, 1] + Array("binary".utf8))
    #expect(result.trailer(UnaryResult.statusDetailsKey) != nil)
    #expect(result.retryDelay == .milliseconds(1500))
  }

  @Test func deadlineExceededWhenTheServerIsSlow() throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let start = ContinuousClock.now
    let result = client.unary(
      method: EchoServer.echo, request: [1], metadata: [("x-delay-ms", "3000")], timeout: .milliseconds(300))
    #expect(result.status == .deadlineExceeded)
    #expect(ContinuousClock.now - start < .seconds(2))
  }

  @Test func nothingListeningFailsFastWithUnavailable() throws {
    let server = try EchoServer()
    let target = server.target
    server.process.stop()
    let client = try GRPCClient(target: target)
    defer { client.shutdown() }
    let start = ContinuousClock.now
    let result = client.unary(method: EchoServer.echo, request: [1], timeout: .seconds(20))
    #expect(result.status == .unavailable, "\(result.status) \(result.message)")
    #expect(ContinuousClock.now - start < .seconds(5))
  }

  @Test(arguments: [
    ("Bad Key", "value"), ("", "value"), ("x-ok", "line\nbreak"), ("grpc-timeout", "1S"), ("x-ünicode", "v"),
  ])
  func invalidMetadataIsRejectedBeforeSending(key: String, value: String) throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let start = ContinuousClock.now
    let onQueueThread = LockedValue(false)
    let done = DispatchSemaphore(value: 0)
    let outcome = LockedValue<UnaryResult?>(nil)
    client.startUnary(method: EchoServer.echo, request: [1], metadata: [(key, value)], timeout: .seconds(10))
    {
      result in
      onQueueThread.withLock { $0 = client.isOnQueueThread }
      outcome.withLock { $0 = result }
      done.signal()
    }
    #expect(done.wait(timeout: .now() + 5) == .success)
    let result = try #require(outcome.withLock { $0 })
    #expect(result.status == .invalidArgument)
    #expect(result.message.contains("metadata"), "\(result.message)")
    #expect(onQueueThread.withLock { $0 })
    #expect(ContinuousClock.now - start < .seconds(1))
  }

  @Test func shutdownWithACallInFlightCancelsItAndEndsTheThread() throws {
    let server = try EchoServer()
    let client = try server.client()
    let done = DispatchSemaphore(value: 0)
    let outcome = LockedValue<UnaryResult?>(nil)
    client.startUnary(method: EchoServer.echo, request: [1], metadata: [("x-delay-ms", "10000")]) { result in
      outcome.withLock { $0 = result }
      done.signal()
    }
    #expect(waitFor { server.process.laterOutputLines.contains("DELAYING 10000") })
    #expect(liveThreadNames().contains(client.queueThreadName))
    let start = ContinuousClock.now
    client.shutdown()
    #expect(ContinuousClock.now - start < .seconds(2))
    #expect(done.wait(timeout: .now() + 1) == .success)
    #expect(outcome.withLock { $0?.status } == .cancelled)
    #expect(!liveThreadNames().contains(client.queueThreadName))
    client.shutdown()  // idempotent
    let late = client.unary(method: EchoServer.echo, request: [1])
    #expect(late.status == .cancelled)
  }

  @Test func timersRunInOrderOnTheQueueThreadAfterTheirDelay() throws {
    let client = try GRPCClient(target: "127.0.0.1:1")
    defer { client.shutdown() }
    let start = ContinuousClock.now
    let fired = LockedValue<[(String, Duration, Bool)]>([])
    let done = DispatchSemaphore(value: 0)
    for (name, delay) in [("late", 300), ("early", 100), ("middle", 200)] {
      client.schedule(after: .milliseconds(delay)) {
        fired.withLock { $0.append((name, ContinuousClock.now - start, client.isOnQueueThread)) }
        done.signal()
      }
    }
    for _ in 0..<3 { #expect(done.wait(timeout: .now() + 5) == .success) }
    let runs = fired.withLock { $0 }
    #expect(runs.map(\.0) == ["early", "middle", "late"])
    #expect(runs.allSatisfy { $0.2 })
    #expect(runs[0].1 >= .milliseconds(100) && runs[0].1 < .milliseconds(900))
    #expect(runs[2].1 >= .milliseconds(300) && runs[2].1 < .milliseconds(1100))
  }

  @Test func shutdownRunsAFarTimerAtOnceSoNothingWaitsForeverAndReturnsPromptly() throws {
    let client = try GRPCClient(target: "127.0.0.1:1")
    let ran = LockedValue(false)
    #expect(client.schedule(after: .seconds(60)) { ran.withLock { $0 = true } })
    let start = ContinuousClock.now
    client.shutdown()
    #expect(ContinuousClock.now - start < .seconds(2))
    #expect(ran.withLock { $0 })
    #expect(!client.schedule(after: .zero) {})
  }

  @Test func manySequentialCallsDoNotLeak() throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    // Warm up the connection so its descriptors are counted in the baseline.
    #expect(client.unary(method: EchoServer.echo, request: [0], timeout: .seconds(10)).status == .ok)
    let descriptorsBefore = openFileDescriptorCount()
    for index in 0..<200 {
      let request = Array("call \(index)".utf8)
      let result = client.unary(
        method: EchoServer.echo, request: request, metadata: [("x-index", "\(index)")], timeout: .seconds(10))
      #expect(result.status == .ok)
      #expect(result.response == request)
    }
    // A leak per call would hold 200 more; the slack is for the other suites running in this
    // process at the same time, whose sockets and pipes come and go.
    #expect(openFileDescriptorCount() <= descriptorsBefore + 40)
  }

  @Test func gzipCompressedRequestsRoundTrip() throws {
    let server = try EchoServer()
    let client = try server.client(options: ChannelOptions(gzip: true, maxSendMessageBytes: 8 << 20))
    defer { client.shutdown() }
    let request = Array(String(repeating: "compress me ", count: 50_000).utf8)
    let result = client.unary(method: EchoServer.echo, request: request, timeout: .seconds(10))
    #expect(result.status == .ok, "\(result.message)")
    #expect(result.response == request)
  }

  /// The core takes each policy's service config (a malformed one would leave the channel unable
  /// to call anything).
  @Test(arguments: LoadBalancingPolicy.allCases)
  func everyLoadBalancingPolicyGivesAWorkingChannel(policy: LoadBalancingPolicy) throws {
    let server = try EchoServer()
    let client = try server.client(options: ChannelOptions(loadBalancing: policy))
    defer { client.shutdown() }
    let result = client.unary(method: EchoServer.echo, request: [1, 2, 3], timeout: .seconds(10))
    #expect(result.status == .ok, "\(result.message)")
    #expect(result.response == [1, 2, 3])
  }

  @Test func maxSendMessageBytesIsEnforced() throws {
    let server = try EchoServer()
    let client = try server.client(options: ChannelOptions(maxSendMessageBytes: 1024))
    defer { client.shutdown() }
    let result = client.unary(
      method: EchoServer.echo, request: [UInt8](repeating: 7, count: 4096), timeout: .seconds(10))
    #expect(result.status == .resourceExhausted, "\(result.status) \(result.message)")
  }

  @Test func urlTargetsAreRejected() {
    #expect(throws: GRPCClientError.invalidTarget("http://localhost:4317")) {
      try GRPCClient(target: "http://localhost:4317")
    }
    #expect(throws: GRPCClientError.incompleteClientIdentity) {
      try GRPCClient(
        target: "localhost:4317",
        security: .tls(rootCertificatesPEM: nil, clientCertificateChainPEM: "x", clientPrivateKeyPEM: nil))
    }
  }

  @Test func tlsChannelToAPlaintextServerFailsCleanly() throws {
    let server = try EchoServer()
    let client = try GRPCClient(
      target: server.target,
      security: .tls(rootCertificatesPEM: nil, clientCertificateChainPEM: nil, clientPrivateKeyPEM: nil))
    defer { client.shutdown() }
    let result = client.unary(method: EchoServer.echo, request: [1], timeout: .seconds(5))
    #expect(result.status == .unavailable, "\(result.status) \(result.message)")
  }
}
