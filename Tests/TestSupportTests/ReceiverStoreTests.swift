import Foundation
import TestSupport
import Testing

@Suite("OTLP test receiver: store mode")
struct ReceiverStoreTests {
  @Test func storesDecodedSpansWithResourceScopeAndHeaders() async throws {
    let receiver = try OTLPTestReceiver()
    let result = try sendSample(
      port: receiver.port,
      ["--spans", "3", "--span-name", "probe", "--service-name", "svc-a", "--header", "x-team=obs"])
    #expect(result.code == "OK")

    let spans = try await receiver.waitForSpans(count: 3)
    #expect(spans.map(\.name) == ["probe-0", "probe-1", "probe-2"])
    #expect(spans.allSatisfy { $0.resourceAttributes["service.name"] == .string("svc-a") })
    #expect(spans.allSatisfy { $0.scopeName == "send_sample" && $0.scopeVersion == "1.0" })
    #expect(spans.map { $0.attributes["sample.index"] } == [.int(0), .int(1), .int(2)])
    #expect(spans.allSatisfy { $0.traceID.count == 32 && $0.spanID.count == 16 && $0.parentSpanID == nil })
    #expect(Set(spans.map(\.traceID)).count == 1)
    #expect(spans.allSatisfy { $0.kind == "SPAN_KIND_INTERNAL" && $0.endTimeUnixNano > $0.startTimeUnixNano })

    let calls = receiver.calls()
    #expect(calls.count == 1)
    #expect(calls.first?.service == .traces)
    #expect(calls.first?.itemCount == 3)
    #expect(calls.first?.answered == "OK")
    #expect(calls.first?.metadata["x-team"] == "obs")
    #expect(calls.first?.transport == .grpc)
    #expect(calls.first?.httpStatus == nil)
    #expect(receiver.endpoint == "http://127.0.0.1:\(receiver.port)")
  }

  @Test func storesMetricPoints() async throws {
    let receiver = try OTLPTestReceiver()
    let result = try sendSample(
      port: receiver.port, ["--signal", "metrics", "--points", "4", "--metric-name", "test.counter"])
    #expect(result.code == "OK")

    let points = try await receiver.waitForMetricPoints(named: "test.counter", count: 4)
    #expect(points.map(\.intValue) == [1, 2, 3, 4])
    #expect(points.allSatisfy { $0.kind == "sum" && $0.isMonotonic })
    #expect(points.first?.aggregationTemporality == "AGGREGATION_TEMPORALITY_CUMULATIVE")
    #expect(points.map { $0.attributes["point"] } == [.int(0), .int(1), .int(2), .int(3)])
    #expect(receiver.metricPoints(named: "other").isEmpty)
    #expect(receiver.spans().isEmpty)
    #expect(receiver.calls().map(\.service) == [.metrics])
  }

  @Test func acceptsGzipCompressedCalls() async throws {
    let receiver = try OTLPTestReceiver()
    #expect(try sendSample(port: receiver.port, ["--gzip", "--spans", "2"]).code == "OK")
    #expect(try await receiver.waitForSpans(count: 2).count == 2)
  }

  @Test func rejectCompressionRefusesGzipButAcceptsPlain() async throws {
    var options = OTLPReceiverOptions()
    options.rejectCompression = true
    let receiver = try OTLPTestReceiver(options: options)
    #expect(try sendSample(port: receiver.port, ["--gzip"]).code == "UNIMPLEMENTED")
    #expect(try sendSample(port: receiver.port).code == "OK")
    #expect(try await receiver.waitForSpans(count: 1).count == 1)
  }

  @Test func stopFlushesAndReadersStillWork() async throws {
    let receiver = try OTLPTestReceiver()
    _ = try sendSample(port: receiver.port, ["--spans", "5"])
    receiver.stop()
    receiver.stop()  // idempotent
    #expect(receiver.spans().count == 5)
    #expect(try sendSample(port: receiver.port, ["--timeout", "2"]).code == "UNAVAILABLE")
  }
}
