import Foundation
import TestSupport
import Testing

/// The receiver's OTLP/HTTP endpoint, driven by `send_http.py` (the standard library's http.client).
@Suite("OTLP test receiver: OTLP/HTTP")
struct ReceiverHTTPTests {
  private static func receiver(_ configure: (inout OTLPReceiverOptions) -> Void = { _ in }) throws
    -> OTLPTestReceiver
  {
    var options = OTLPReceiverOptions()
    configure(&options)
    return try OTLPTestReceiver(options: options)
  }

  @Test func storesRequestsLikeGRPCWithTheirHeaders() async throws {
    let receiver = try Self.receiver()
    #expect(receiver.httpEndpoint == "http://127.0.0.1:\(receiver.httpPort)")
    #expect(receiver.httpURL(.traces) == "http://127.0.0.1:\(receiver.httpPort)/v1/traces")
    #expect(receiver.httpPort != receiver.port)

    let result = try sendHTTP(
      port: receiver.httpPort,
      [
        "--spans", "3", "--span-name", "probe", "--service-name", "svc-h", "--header", "X-Team=obs",
        "--user-agent", "probe-agent/2.0",
      ])
    #expect(result.error == nil)
    #expect(result.statuses == [200])
    #expect(result.last?.headers["content-type"] == "application/x-protobuf")
    #expect(result.last?.headers["content-length"] == "0")  // full success: an empty response message
    #expect(result.last?.partialSuccess?.isEmpty == true)

    let spans = try await receiver.waitForSpans(count: 3)
    #expect(spans.map(\.name) == ["probe-0", "probe-1", "probe-2"])
    #expect(spans.allSatisfy { $0.resourceAttributes["service.name"] == .string("svc-h") })
    #expect(receiver.traceRequests().count == 1)

    let call = try #require(receiver.calls().first)
    #expect(call.transport == .http)
    #expect(call.service == .traces)
    #expect(call.httpStatus == 200)
    #expect(call.answered == "OK")
    #expect(call.itemCount == 3)
    #expect(call.compressed == false)
    #expect(call.bodyBytes == call.bytes)
    #expect(call.connection == 1)
    #expect(call.message == nil)
    #expect(call.metadata["x-team"] == "obs")  // names lowercased, like gRPC metadata
    #expect(call.metadata["user-agent"] == "probe-agent/2.0")
    #expect(call.metadata["content-type"] == "application/x-protobuf")

    let metrics = ["--signal", "metrics", "--points", "4", "--metric-name", "h.count"]
    #expect(try sendHTTP(port: receiver.httpPort, metrics).statuses == [200])
    let points = try await receiver.waitForMetricPoints(named: "h.count", count: 4)
    #expect(points.map(\.intValue) == [1, 2, 3, 4])
    #expect(receiver.calls().map(\.service) == [.traces, .metrics])
  }

  @Test func bothTransportsFeedTheSameReaders() async throws {
    let receiver = try Self.receiver()
    #expect(try sendSample(port: receiver.port, ["--spans", "2"]).code == "OK")
    #expect(try sendHTTP(port: receiver.httpPort, ["--spans", "3"]).statuses == [200])
    #expect(try await receiver.waitForSpans(count: 5).count == 5)
    #expect(receiver.calls().map(\.transport) == [.grpc, .http])
    #expect(receiver.calls().map(\.sequence) == [1, 2])
    #expect(receiver.calls().first?.httpStatus == nil)
    #expect(receiver.calls().first?.connection == nil)
  }

  @Test func acceptsGzipAndChunkedBodies() async throws {
    let receiver = try Self.receiver()
    #expect(try sendHTTP(port: receiver.httpPort, ["--gzip", "--spans", "40"]).statuses == [200])
    #expect(try sendHTTP(port: receiver.httpPort, ["--gzip", "--chunked", "--spans", "2"]).statuses == [200])
    #expect(try await receiver.waitForSpans(count: 42).count == 42)
    let calls = receiver.calls()
    #expect(calls.map(\.compressed) == [true, true])
    #expect(calls.map { $0.metadata["content-encoding"] } == ["gzip", "gzip"])
    #expect(calls[1].metadata["transfer-encoding"] == "chunked")
    #expect((calls[0].bodyBytes ?? .max) < calls[0].bytes)  // compressed on the wire
  }

  @Test func refusesOtherContentTypesAndEncodingsWith415() async throws {
    let receiver = try Self.receiver()
    let json = try sendHTTP(port: receiver.httpPort, ["--content-type", "application/json"])
    #expect(json.statuses == [415])
    #expect(json.last?.headers["content-type"] == "application/x-protobuf")
    #expect(json.last?.statusMessage?.contains("Content-Type") == true)
    #expect(json.last?.statusCode == 3)  // INVALID_ARGUMENT
    let brotli = try sendHTTP(port: receiver.httpPort, ["--header", "Content-Encoding=br"])
    #expect(brotli.statuses == [415])
    // A media type parameter is fine.
    let withCharset = ["--content-type", "application/x-protobuf; charset=binary"]
    #expect(try sendHTTP(port: receiver.httpPort, withCharset).statuses == [200])
    #expect(receiver.calls().map(\.httpStatus) == [415, 415, 200])
    #expect(receiver.calls().map(\.answered) == ["INVALID_ARGUMENT", "INVALID_ARGUMENT", "OK"])
    #expect(try await receiver.waitForSpans(count: 1).count == 1)  // refused requests are not stored
  }

  @Test func rejectCompressionRefusesGzipWith415() throws {
    let receiver = try Self.receiver { $0.rejectCompression = true }
    #expect(try sendHTTP(port: receiver.httpPort, ["--gzip"]).statuses == [415])
    #expect(try sendHTTP(port: receiver.httpPort).statuses == [200])
  }

  @Test func badBodiesGet400AndOversizedOnes413() throws {
    let receiver = try Self.receiver { $0.maxMessageBytes = 2_000 }
    #expect(try sendHTTP(port: receiver.httpPort, ["--raw-body", "not protobuf"]).statuses == [400])
    let notGzip = ["--raw-body", "not gzip", "--header", "Content-Encoding=gzip"]
    #expect(try sendHTTP(port: receiver.httpPort, notGzip).statuses == [400])
    #expect(try sendHTTP(port: receiver.httpPort, ["--spans", "200"]).statuses == [413])
    // The limit applies after decompression.
    #expect(try sendHTTP(port: receiver.httpPort, ["--spans", "200", "--gzip"]).statuses == [413])
    #expect(try sendHTTP(port: receiver.httpPort, ["--spans", "1"]).statuses == [200])
    #expect(receiver.calls().map(\.answered).suffix(3) == ["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED", "OK"])
    #expect(receiver.spans().count == 1)
  }

  @Test func failFirstAnswers503WithRetryAfterThenAccepts() async throws {
    let receiver = try Self.receiver {
      $0.failFirst = 2
      $0.failHTTPStatus = 503
      $0.retryAfter = "3"
    }
    let result = try sendHTTP(port: receiver.httpPort, ["--repeat", "3", "--spans", "2"])
    #expect(result.statuses == [503, 503, 200])
    #expect(result.responses.map { $0.headers["retry-after"] } == ["3", "3", nil])
    let refused = try #require(result.responses.first)
    #expect(refused.headers["content-type"] == "application/x-protobuf")
    #expect(refused.statusCode == 14)  // UNAVAILABLE, the gRPC code of the injected failure
    #expect(refused.statusMessage == "injected failure (UNAVAILABLE)")
    #expect(refused.retryDelayMilliseconds == nil)
    #expect(result.connections == 1)  // an error answer keeps the connection usable
    #expect(receiver.calls().map(\.answered) == ["UNAVAILABLE", "UNAVAILABLE", "OK"])
    #expect(receiver.calls().map(\.httpStatus) == [503, 503, 200])
    #expect(receiver.calls().map(\.itemCount) == [2, 2, 2])
    #expect(try await receiver.waitForSpans(count: 2).count == 2)  // refused requests are not stored
  }

  @Test func retryAfterAnHTTPDateIsSentVerbatim() throws {
    let date = "Wed, 21 Oct 2026 07:28:00 GMT"
    let receiver = try Self.receiver {
      $0.failAlways = .resourceExhausted
      $0.failHTTPStatus = 429
      $0.retryAfter = date
      $0.retryInfoDelay = .milliseconds(1500)
    }
    let result = try sendHTTP(port: receiver.httpPort)
    #expect(result.statuses == [429])
    #expect(result.last?.headers["retry-after"] == date)
    #expect(result.last?.retryDelayMilliseconds == 1500)  // RetryInfo in Status.details too
  }

  @Test func injectedFailuresDefaultToTheHTTPEquivalentOfTheCode() throws {
    let receiver = try Self.receiver {
      $0.failFirst = 2
      $0.failCode = .resourceExhausted
    }
    #expect(try sendHTTP(port: receiver.httpPort, ["--repeat", "3"]).statuses == [429, 429, 200])
    let unavailable = try Self.receiver { $0.failFirst = 1 }
    let result = try sendHTTP(port: unavailable.httpPort, ["--repeat", "2"])
    #expect(result.statuses == [503, 200])
    #expect(result.responses.first?.headers["retry-after"] == nil)  // only with retryAfter
  }

  @Test func metricsUnimplementedAnswers404OnTheMetricsPath() async throws {
    let receiver = try Self.receiver { $0.metricsUnimplemented = true }
    let metrics = try sendHTTP(port: receiver.httpPort, ["--signal", "metrics"])
    #expect(metrics.statuses == [404])
    #expect(metrics.last?.headers["content-type"] == "application/x-protobuf")
    #expect(metrics.last?.statusCode == 12)  // UNIMPLEMENTED
    #expect(try sendHTTP(port: receiver.httpPort).statuses == [200])
    #expect(receiver.metricPoints().isEmpty)
    #expect(receiver.calls().map(\.service) == [.metrics, .traces])
    #expect(receiver.calls().map(\.answered) == ["UNIMPLEMENTED", "OK"])
    #expect(receiver.calls().map(\.httpStatus) == [404, 200])
    #expect(try await receiver.waitForSpans(count: 1).count == 1)
  }

  @Test func unknownPathsAndMethodsAreNotCalls() throws {
    let receiver = try Self.receiver()
    let logs = try sendHTTP(port: receiver.httpPort, ["--path", "/v1/logs"])
    #expect(logs.statuses == [404])
    #expect(logs.last?.statusMessage?.contains("/v1/logs") == true)
    let get = try sendHTTP(port: receiver.httpPort, ["--method", "GET"])
    #expect(get.statuses == [405])
    #expect(get.last?.headers["allow"] == "POST")
    #expect(receiver.calls().isEmpty)
  }

  @Test func requiredHeaderAnswers401WithAStatusBody() throws {
    let receiver = try Self.receiver { $0.requiredHeader = (name: "Authorization", value: "Bearer s3cret") }
    let missing = try sendHTTP(port: receiver.httpPort)
    #expect(missing.statuses == [401])
    #expect(missing.last?.statusCode == 16)  // UNAUTHENTICATED
    #expect(missing.last?.statusMessage?.contains("authorization") == true)
    #expect(
      try sendHTTP(port: receiver.httpPort, ["--header", "Authorization=Bearer wrong"]).statuses == [401])
    #expect(
      try sendHTTP(port: receiver.httpPort, ["--header", "authorization=Bearer s3cret"]).statuses == [200])
    #expect(receiver.calls().map(\.answered) == ["UNAUTHENTICATED", "UNAUTHENTICATED", "OK"])
    #expect(receiver.spans().count == 1)
  }

  @Test func partialRejectAnswers200WithPartialSuccess() throws {
    let receiver = try Self.receiver { $0.partialReject = 2 }
    let spans = try sendHTTP(port: receiver.httpPort, ["--spans", "5"])
    #expect(spans.statuses == [200])
    #expect(spans.last?.partialSuccess?["rejected_spans"] as? String == "2")
    #expect((spans.last?.partialSuccess?["error_message"] as? String)?.isEmpty == false)
    let points = try sendHTTP(port: receiver.httpPort, ["--signal", "metrics", "--points", "3"])
    #expect(points.last?.partialSuccess?["rejected_data_points"] as? String == "2")
    #expect(receiver.calls().map(\.rejected) == [2, 2])
    #expect(receiver.spans().count == 5)
  }

  @Test func delayHoldsTheAnswer() throws {
    let receiver = try Self.receiver { $0.delay = .milliseconds(400) }
    let result = try sendHTTP(port: receiver.httpPort)
    #expect(result.statuses == [200])
    #expect(result.elapsedSeconds >= 0.4)
  }

  @Test func keepAliveReusesOneConnection() throws {
    let receiver = try Self.receiver()
    let reused = try sendHTTP(port: receiver.httpPort, ["--repeat", "5"])
    #expect(reused.statuses == [200, 200, 200, 200, 200])
    #expect(reused.connections == 1)
    #expect(receiver.httpConnectionCount() == 1)
    #expect(receiver.calls().count == 5)
    #expect(receiver.calls().map(\.connection) == [1, 1, 1, 1, 1])

    let fresh = try sendHTTP(port: receiver.httpPort, ["--repeat", "3", "--new-connection"])
    #expect(fresh.connections == 3)
    #expect(receiver.httpConnectionCount() == 4)
    #expect(receiver.calls().suffix(3).map(\.connection) == [2, 3, 4])
    let connections = receiver.httpConnections()
    #expect(connections.map(\.sequence) == [1, 2, 3, 4])
    #expect(connections.allSatisfy { !$0.tls && $0.tlsError == nil && $0.peer.hasPrefix("ipv4:127.0.0.1:") })
  }

  @Test func idleTimeoutClosesKeepAliveConnections() throws {
    let receiver = try Self.receiver { $0.httpIdleTimeout = .milliseconds(200) }
    let result = try sendHTTP(port: receiver.httpPort, ["--repeat", "2", "--pause-ms", "700"])
    #expect(result.statuses == [200, 200])
    #expect(result.connections == 2)
    #expect(receiver.httpConnectionCount() == 2)
  }

  @Test func countOnlyModeCountsHTTPToo() throws {
    let stats = FileManager.default.temporaryDirectory.appendingPathComponent(
      "stats-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: stats) }
    let receiver = try PythonProcess(
      script: "Tests/Receiver/otlp_receiver.py", arguments: ["--count-only", "--stats", stats.path])
    let httpPort = try #require(receiver.namedPorts["http"])
    #expect(try sendHTTP(port: httpPort, ["--spans", "250", "--repeat", "4", "--gzip"]).statuses.count == 4)
    #expect(try sendHTTP(port: httpPort, ["--signal", "metrics", "--points", "7"]).statuses == [200])
    receiver.stop()
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: stats)) as? [String: Any]
    #expect(object?["spans"] as? Int == 1000)
    #expect(object?["points"] as? Int == 7)
    #expect(object?["http_calls"] as? Int == 5)
    #expect(object?["http_connections"] as? Int == 2)
  }
}

@Suite("OTLP test receiver: OTLP/HTTP over TLS and mTLS")
struct ReceiverHTTPTLSTests {
  @Test func httpsWithTheReceiversCertificate() async throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    var options = OTLPReceiverOptions()
    options.tls = .init(
      certificatePath: certificates.server.certificatePath, keyPath: certificates.server.keyPath)
    let receiver = try OTLPTestReceiver(options: options)
    #expect(receiver.httpEndpoint == "https://127.0.0.1:\(receiver.httpPort)")

    let ca = ["--tls-ca", certificates.ca.certificatePath]
    #expect(try sendHTTP(port: receiver.httpPort, ca + ["--repeat", "2"]).statuses == [200, 200])
    #expect(try sendHTTP(port: receiver.httpPort, ca + ["--host", "localhost"]).statuses == [200])
    let wrongCA = try sendHTTP(port: receiver.httpPort, ["--tls-ca", certificates.otherCA.certificatePath])
    #expect(wrongCA.error != nil && wrongCA.responses.isEmpty)
    let plaintext = try sendHTTP(port: receiver.httpPort, ["--timeout", "3"])
    #expect(plaintext.responses.isEmpty || plaintext.statuses.allSatisfy { $0 >= 400 })
    #expect(try await receiver.waitForSpans(count: 3).count == 3)
    let connections = receiver.httpConnections()
    #expect(connections.count == 4)
    #expect(connections.allSatisfy { $0.tls })
    #expect(connections.prefix(2).allSatisfy { $0.tlsError == nil })
    #expect(connections.suffix(2).allSatisfy { $0.tlsError != nil })
    #expect(receiver.calls().map(\.connection) == [1, 1, 2])
  }

  @Test func mutualTLSRequiresAClientCertificateFromTheCA() async throws {
    let certificates = try TestCertificates()
    defer { certificates.remove() }
    var options = OTLPReceiverOptions()
    options.tls = .mutual(certificates)
    let receiver = try OTLPTestReceiver(options: options)

    let ca = ["--tls-ca", certificates.ca.certificatePath, "--timeout", "3"]
    let client = clientCertificateArguments(certificates.client)
    let otherClient = clientCertificateArguments(certificates.otherClient)
    #expect(try sendHTTP(port: receiver.httpPort, ca + client).statuses == [200])
    #expect(try sendHTTP(port: receiver.httpPort, ca).error != nil)
    #expect(try sendHTTP(port: receiver.httpPort, ca + otherClient).error != nil)
    #expect(try await receiver.waitForSpans(count: 1).count == 1)
    #expect(receiver.calls().count == 1)  // refused handshakes never reach the handler
    #expect(receiver.httpConnections().map { $0.tlsError == nil } == [true, false, false])
  }
}
