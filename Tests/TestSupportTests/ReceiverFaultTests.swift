import Foundation
import TestSupport
import Testing

@Suite("OTLP test receiver: fault injection")
struct ReceiverFaultTests {
  @Test func failFirstRefusesThenAccepts() async throws {
    var options = OTLPReceiverOptions()
    options.failFirst = 2
    options.failCode = .resourceExhausted
    let receiver = try OTLPTestReceiver(options: options)
    let codes = try (0..<3).map { _ in try sendSample(port: receiver.port, ["--spans", "2"]).code }
    #expect(codes == ["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED", "OK"])
    #expect(receiver.calls().map(\.answered) == ["RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED", "OK"])
    #expect(receiver.calls().map(\.itemCount) == [2, 2, 2])
    #expect(receiver.spans().count == 2)  // refused requests are not stored
  }

  @Test func retryInfoTrailerCarriesTheDelay() throws {
    var options = OTLPReceiverOptions()
    options.failFirst = 1
    options.retryInfoDelay = .milliseconds(1500)
    let receiver = try OTLPTestReceiver(options: options)
    let refused = try sendSample(port: receiver.port)
    #expect(refused.code == "UNAVAILABLE")
    #expect(refused.trailers["grpc-status-details-bin"] != nil)
    #expect(refused.retryDelayMilliseconds == 1500)
    let accepted = try sendSample(port: receiver.port)
    #expect(accepted.code == "OK")
    #expect(accepted.retryDelayMilliseconds == nil)
  }

  @Test func failAlwaysLimitedToMetrics() throws {
    var options = OTLPReceiverOptions()
    options.failAlways = .unavailable
    options.failOnly = .metrics
    let receiver = try OTLPTestReceiver(options: options)
    #expect(try sendSample(port: receiver.port, ["--signal", "metrics"]).code == "UNAVAILABLE")
    #expect(try sendSample(port: receiver.port, ["--signal", "metrics"]).code == "UNAVAILABLE")
    #expect(try sendSample(port: receiver.port).code == "OK")
  }

  @Test func partialRejectReportsRejectedItems() throws {
    var options = OTLPReceiverOptions()
    options.partialReject = 2
    let receiver = try OTLPTestReceiver(options: options)
    let spans = try sendSample(port: receiver.port, ["--spans", "5"])
    #expect(spans.code == "OK")
    #expect(spans.partialSuccess["rejected_spans"] as? String == "2")
    #expect((spans.partialSuccess["error_message"] as? String)?.isEmpty == false)
    let points = try sendSample(port: receiver.port, ["--signal", "metrics", "--points", "3"])
    #expect(points.partialSuccess["rejected_data_points"] as? String == "2")
    #expect(receiver.calls().map(\.rejected) == [2, 2])
    #expect(receiver.spans().count == 5)
  }

  @Test func requireHeaderAnswersUnauthenticatedWithoutIt() throws {
    var options = OTLPReceiverOptions()
    options.requiredHeader = (name: "authorization", value: "Bearer s3cret")
    let receiver = try OTLPTestReceiver(options: options)
    #expect(try sendSample(port: receiver.port).code == "UNAUTHENTICATED")
    #expect(
      try sendSample(port: receiver.port, ["--header", "authorization=Bearer wrong"]).code
        == "UNAUTHENTICATED")
    #expect(try sendSample(port: receiver.port, ["--header", "authorization=Bearer s3cret"]).code == "OK")
    #expect(receiver.calls().map(\.answered) == ["UNAUTHENTICATED", "UNAUTHENTICATED", "OK"])
    #expect(receiver.spans().count == 1)
  }

  @Test func metricsUnimplementedLikePhoenix() throws {
    var options = OTLPReceiverOptions()
    options.metricsUnimplemented = true
    let receiver = try OTLPTestReceiver(options: options)
    #expect(try sendSample(port: receiver.port, ["--signal", "metrics"]).code == "UNIMPLEMENTED")
    #expect(try sendSample(port: receiver.port).code == "OK")
    #expect(receiver.metricPoints().isEmpty)
    #expect(receiver.calls().map(\.service) == [.metrics, .traces])
  }

  @Test func delayHoldsTheAnswer() throws {
    var options = OTLPReceiverOptions()
    options.delay = .milliseconds(400)
    let receiver = try OTLPTestReceiver(options: options)
    let result = try sendSample(port: receiver.port)
    #expect(result.code == "OK")
    #expect(result.elapsedSeconds >= 0.4)
  }

  @Test func maxMessageBytesRefusesLargeRequests() throws {
    var options = OTLPReceiverOptions()
    options.maxMessageBytes = 2_000
    let receiver = try OTLPTestReceiver(options: options)
    #expect(try sendSample(port: receiver.port, ["--spans", "1"]).code == "OK")
    #expect(try sendSample(port: receiver.port, ["--spans", "200"]).code == "RESOURCE_EXHAUSTED")
  }
}
