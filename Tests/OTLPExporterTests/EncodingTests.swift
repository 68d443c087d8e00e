import Foundation
import GRPCCoreClient
import Testing

@_spi(Benchmarks) @testable import ObservabilitySinks

@Suite("protobuf-c encoding, decoded by the official opentelemetry-proto classes")
struct EncodingTests {
  static let source = TelemetrySource(
    resource: Resource(attributes: [
      Attribute("service.name", .string("rlm-code")), Attribute("telemetry.sdk.language", .string("swift")),
    ]),
    scope: InstrumentationScope(name: "ObservabilitySinks", version: "0.1.0"))

  static let step = SpanData(
    traceID: SpanData.TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
    spanID: SpanData.SpanID(0x00f0_67aa_0ba9_02b7),
    parentSpanID: SpanData.SpanID(0x1122_3344_5566_7788), name: "rlm.step",
    startTimeUnixNano: 1_736_935_200_000_000_000,
    endTimeUnixNano: 1_736_935_200_150_000_000,
    attributes: [
      Attribute("rlm.run_id", .string("abc12345")), Attribute("rlm.step", .int(1)),
      Attribute("rlm.reward", .double(0.5)), Attribute("rlm.success", .bool(true)),
      Attribute("rlm.big", .int(Int64.min)),
    ],
    events: [
      SpanData.Event(
        name: "code_execution", timeUnixNano: 1_736_935_200_150_000_000,
        attributes: [Attribute("code", .string("print('é😀')\u{0}tail"))])
    ],
    status: .error(message: "Traceback: boom"), flags: 0x300, traceState: "vendor=abc")

  @Test func everySpanFieldSurvivesTheOfficialDecoder() throws {
    let root = SpanData(
      traceID: Self.step.traceID, spanID: SpanData.SpanID(0x1122_3344_5566_7788), parentSpanID: nil,
      name: "rlm.run",
      startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: [], events: [], status: .ok)
    let bytes = TraceRequestEncoder.encode([Self.step, root], from: Self.source)
    let request = try PythonCodec.decode("traces", bytes)
    let resource = try #require(
      request[path: "resource_spans", "0", "resource", "attributes"] as? [[String: Any]])
    #expect(resource.count == 2)
    #expect(
      request[path: "resource_spans", "0", "scope_spans", "0", "scope", "name"] as? String
        == "ObservabilitySinks")
    #expect(
      request[path: "resource_spans", "0", "scope_spans", "0", "scope", "version"] as? String == "0.1.0")
    let spans = try #require(
      request[path: "resource_spans", "0", "scope_spans", "0", "spans"] as? [[String: Any]])
    #expect(spans.count == 2)
    let step = spans[0]
    #expect(step["trace_id"] as? String == Data(Self.step.traceID.bytes).base64EncodedString())
    #expect(step["span_id"] as? String == Data(Self.step.spanID.bytes).base64EncodedString())
    #expect(
      step["parent_span_id"] as? String
        == Data(SpanData.SpanID(0x1122_3344_5566_7788).bytes).base64EncodedString())
    #expect(step["trace_state"] as? String == "vendor=abc")
    #expect(step["flags"] as? Int == 0x300)
    #expect(step["name"] as? String == "rlm.step")
    #expect(step["kind"] as? String == "SPAN_KIND_INTERNAL")
    #expect(step["start_time_unix_nano"] as? String == "1736935200000000000")
    #expect(step["end_time_unix_nano"] as? String == "1736935200150000000")
    let attributes = try #require(step["attributes"] as? [[String: Any]])
    #expect(
      attributes.map { $0["key"] as? String } == [
        "rlm.run_id", "rlm.step", "rlm.reward", "rlm.success", "rlm.big",
      ])
    #expect((attributes[0]["value"] as? [String: Any])?["string_value"] as? String == "abc12345")
    #expect((attributes[1]["value"] as? [String: Any])?["int_value"] as? String == "1")
    #expect((attributes[2]["value"] as? [String: Any])?["double_value"] as? Double == 0.5)
    #expect((attributes[3]["value"] as? [String: Any])?["bool_value"] as? Bool == true)
    #expect((attributes[4]["value"] as? [String: Any])?["int_value"] as? String == String(Int64.min))
    let event = try #require((step["events"] as? [[String: Any]])?.first)
    #expect(event["name"] as? String == "code_execution")
    #expect(event["time_unix_nano"] as? String == "1736935200150000000")
    let code =
      ((event["attributes"] as? [[String: Any]])?.first?["value"] as? [String: Any])?["string_value"]
      as? String
    #expect(code == "print('é😀')\u{0}tail")
    #expect(step[path: "status", "code"] as? String == "STATUS_CODE_ERROR")
    #expect(step[path: "status", "message"] as? String == "Traceback: boom")
    let rootSpan = spans[1]
    #expect(rootSpan["parent_span_id"] == nil && rootSpan["trace_state"] == nil)
    #expect(rootSpan[path: "status", "code"] as? String == "STATUS_CODE_OK")
    #expect(rootSpan["flags"] as? Int == 0x100)
  }

  @Test func sumsAndHistogramsSurviveTheOfficialDecoder() throws {
    let metrics = [
      MetricData(
        name: "rlm.steps", description: "Number of RLM steps", unit: "1",
        points: .sum(
          [
            SumDataPoint(
              attributes: [Attribute("run_id", .string("r1"))], startTimeUnixNano: 10, timeUnixNano: 20,
              value: 3)
          ],
          temporality: .cumulative, isMonotonic: true)),
      MetricData(
        name: "rlm.reward", description: "Reward distribution", unit: "1",
        points: .histogram(
          [
            HistogramDataPoint(
              attributes: [Attribute("run_id", .string("r1"))], startTimeUnixNano: 10, timeUnixNano: 20,
              count: 2, sum: 0.0,
              min: 0.0, max: 0.0, explicitBounds: [0, 5], bucketCounts: [2, 0, 0]),
            HistogramDataPoint(
              attributes: [Attribute("otel.metric.overflow", .bool(true))], startTimeUnixNano: 10,
              timeUnixNano: 20, count: 0,
              sum: 0, min: nil, max: nil, explicitBounds: [0, 5], bucketCounts: [0, 0, 0]),
          ], temporality: .delta)),
    ]
    let request = try PythonCodec.decode("metrics", MetricsRequestEncoder.encode(metrics, from: Self.source))
    let decoded = try #require(
      request[path: "resource_metrics", "0", "scope_metrics", "0", "metrics"] as? [[String: Any]])
    #expect(decoded.count == 2)
    let steps = decoded[0]
    #expect(
      steps["name"] as? String == "rlm.steps" && steps["description"] as? String == "Number of RLM steps")
    #expect(steps["unit"] as? String == "1")
    #expect(steps[path: "sum", "aggregation_temporality"] as? String == "AGGREGATION_TEMPORALITY_CUMULATIVE")
    #expect(steps[path: "sum", "is_monotonic"] as? Bool == true)
    #expect(steps[path: "sum", "data_points", "0", "as_int"] as? String == "3")
    #expect(steps[path: "sum", "data_points", "0", "start_time_unix_nano"] as? String == "10")
    let reward = decoded[1]
    #expect(
      reward[path: "histogram", "aggregation_temporality"] as? String == "AGGREGATION_TEMPORALITY_DELTA")
    let point = try #require(reward[path: "histogram", "data_points", "0"] as? [String: Any])
    #expect(point["count"] as? String == "2")
    // A present sum/min/max of 0.0 is still sent (proto3 optional), as the reference does.
    #expect(point["sum"] as? Double == 0 && point["min"] as? Double == 0 && point["max"] as? Double == 0)
    #expect(point["explicit_bounds"] as? [Double] == [0, 5])
    #expect(point["bucket_counts"] as? [String] == ["2", "0", "0"])
    let empty = try #require(reward[path: "histogram", "data_points", "1"] as? [String: Any])
    #expect(empty["min"] == nil && empty["max"] == nil)
  }

  @Test func partialSuccessAndRetryInfoAreReadFromOfficialBytes() throws {
    let trace = ResponseDecoder.tracePartialSuccess(
      try PythonCodec.produce(["trace-response", "3", "bad spans"]))
    #expect(trace == PartialSuccess(rejected: 3, message: "bad spans"))
    let metrics = ResponseDecoder.metricsPartialSuccess(
      try PythonCodec.produce(["metrics-response", "2", "bad points"]))
    #expect(metrics == PartialSuccess(rejected: 2, message: "bad points"))
    #expect(ResponseDecoder.tracePartialSuccess([]) == nil)
    let trailer = try PythonCodec.produce(["retry-status", "1500"])
    let throttled = UnaryResult(
      status: .resourceExhausted, message: "slow down",
      trailingMetadata: [GRPCMetadataEntry(key: UnaryResult.statusDetailsKey, value: trailer)])
    #expect(throttled.retryDelay == .milliseconds(1500))
    let garbled = UnaryResult(
      status: .unavailable, message: "",
      trailingMetadata: [GRPCMetadataEntry(key: UnaryResult.statusDetailsKey, value: [0xFF])])
    #expect(garbled.retryDelay == nil)
  }

  @Test func aNegativeRejectedCountFromTheServerCountsNothing() throws {
    let negative = ResponseDecoder.tracePartialSuccess(try PythonCodec.produce(["trace-response", "-5", ""]))
    #expect(negative == nil)
    let withMessage = ResponseDecoder.metricsPartialSuccess(
      try PythonCodec.produce(["metrics-response", "-1", "odd"]))
    #expect(withMessage == PartialSuccess(rejected: 0, message: "odd"))
  }

  @Test func anEmptyBatchIsAValidRequest() throws {
    let request = try PythonCodec.decode("traces", TraceRequestEncoder.encode([], from: Self.source))
    #expect(request[path: "resource_spans", "0", "scope_spans", "0", "spans"] == nil)
  }
}
