import COTLPProto
import Foundation
import GRPCCoreClient
import Testing

/// Keeps the memory a protobuf-c message tree points into alive until it is packed.
private final class Arena {
  private var allocations: [UnsafeMutableRawPointer] = []
  deinit {
    for allocation in allocations { allocation.deallocate() }
  }

  func bytes(_ value: [UInt8]) -> ProtobufCBinaryData {
    let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, value.count))
    memory.initialize(from: value, count: value.count)
    allocations.append(UnsafeMutableRawPointer(memory))
    return ProtobufCBinaryData(len: value.count, data: memory)
  }

  func text(_ value: String) -> ProtobufCBinaryData { bytes(Array(value.utf8)) }

  func box<T>(_ value: T) -> UnsafeMutablePointer<T> {
    let memory = UnsafeMutablePointer<T>.allocate(capacity: 1)
    memory.initialize(to: value)
    allocations.append(UnsafeMutableRawPointer(memory))
    return memory
  }

  func values<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let memory = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
    memory.initialize(from: values, count: values.count)
    allocations.append(UnsafeMutableRawPointer(memory))
    return memory
  }

  func array<T>(_ values: [UnsafeMutablePointer<T>?]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
    let memory = UnsafeMutablePointer<UnsafeMutablePointer<T>?>.allocate(capacity: max(1, values.count))
    memory.initialize(from: values, count: values.count)
    allocations.append(UnsafeMutableRawPointer(memory))
    return memory
  }

  func stringAttribute(_ key: String, _ value: String) -> UnsafeMutablePointer<
    Opentelemetry__Proto__Common__V1__KeyValue
  > {
    var any = Opentelemetry__Proto__Common__V1__AnyValue()
    opentelemetry__proto__common__v1__any_value__init(&any)
    any.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE
    any.string_value = text(value)
    var pair = Opentelemetry__Proto__Common__V1__KeyValue()
    opentelemetry__proto__common__v1__key_value__init(&pair)
    pair.key = text(key)
    pair.value = box(any)
    return box(pair)
  }

  func intAttribute(_ key: String, _ value: Int64) -> UnsafeMutablePointer<
    Opentelemetry__Proto__Common__V1__KeyValue
  > {
    var any = Opentelemetry__Proto__Common__V1__AnyValue()
    opentelemetry__proto__common__v1__any_value__init(&any)
    any.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE
    any.int_value = value
    var pair = Opentelemetry__Proto__Common__V1__KeyValue()
    opentelemetry__proto__common__v1__key_value__init(&pair)
    pair.key = text(key)
    pair.value = box(any)
    return box(pair)
  }
}

@Suite("protobuf-c OTLP encoding, decoded by Python opentelemetry-proto")
struct OTLPProtoEncodingTests {
  private func encodeTraceRequest() -> [UInt8] {
    let arena = Arena()
    var resource = Opentelemetry__Proto__Resource__V1__Resource()
    opentelemetry__proto__resource__v1__resource__init(&resource)
    resource.n_attributes = 1
    resource.attributes = arena.array([arena.stringAttribute("service.name", "sinks-test")])

    var scope = Opentelemetry__Proto__Common__V1__InstrumentationScope()
    opentelemetry__proto__common__v1__instrumentation_scope__init(&scope)
    scope.name = arena.text("rlm")
    scope.version = arena.text("0.1")

    var event = Opentelemetry__Proto__Trace__V1__Span__Event()
    opentelemetry__proto__trace__v1__span__event__init(&event)
    event.time_unix_nano = 1_700_000_000_500_000_000
    event.name = arena.text("step")
    event.n_attributes = 1
    event.attributes = arena.array([arena.intAttribute("rlm.step.index", 3)])

    var status = Opentelemetry__Proto__Trace__V1__Status()
    opentelemetry__proto__trace__v1__status__init(&status)
    status.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_ERROR
    status.message = arena.text("boom")

    var span = Opentelemetry__Proto__Trace__V1__Span()
    opentelemetry__proto__trace__v1__span__init(&span)
    span.trace_id = arena.bytes(Array(1...16))
    span.span_id = arena.bytes(Array(1...8))
    span.trace_state = arena.text("k=v")
    span.flags = 0x301
    span.name = arena.text("rlm.run\u{0}tail")  // an embedded NUL survives as bytes
    span.kind = OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_SERVER
    span.start_time_unix_nano = 1_700_000_000_000_000_000
    span.end_time_unix_nano = 1_700_000_001_000_000_000
    span.dropped_attributes_count = 2
    span.dropped_events_count = 3
    span.dropped_links_count = 4
    span.n_events = 1
    span.events = arena.array([arena.box(event)])
    span.status = arena.box(status)

    var scopeSpans = Opentelemetry__Proto__Trace__V1__ScopeSpans()
    opentelemetry__proto__trace__v1__scope_spans__init(&scopeSpans)
    scopeSpans.scope = arena.box(scope)
    scopeSpans.n_spans = 1
    scopeSpans.spans = arena.array([arena.box(span)])

    var resourceSpans = Opentelemetry__Proto__Trace__V1__ResourceSpans()
    opentelemetry__proto__trace__v1__resource_spans__init(&resourceSpans)
    resourceSpans.resource = arena.box(resource)
    resourceSpans.n_scope_spans = 1
    resourceSpans.scope_spans = arena.array([arena.box(scopeSpans)])

    var request = Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest()
    opentelemetry__proto__collector__trace__v1__export_trace_service_request__init(&request)
    request.n_resource_spans = 1
    request.resource_spans = arena.array([arena.box(resourceSpans)])

    let size = opentelemetry__proto__collector__trace__v1__export_trace_service_request__get_packed_size(
      &request)
    var out = [UInt8](repeating: 0, count: size)
    let written = out.withUnsafeMutableBufferPointer {
      opentelemetry__proto__collector__trace__v1__export_trace_service_request__pack(&request, $0.baseAddress)
    }
    return Array(out.prefix(written))
  }

  private func encodeHistogramRequest(withSum: Bool) -> [UInt8] {
    let arena = Arena()
    var point = Opentelemetry__Proto__Metrics__V1__HistogramDataPoint()
    opentelemetry__proto__metrics__v1__histogram_data_point__init(&point)
    point.time_unix_nano = 1_700_000_000_000_000_000
    point.count = 3
    if withSum {
      point._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM
      point.sum = 0  // present although zero
    }
    point._max_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX
    point.max = 9.5
    let bounds: [Double] = [1, 5]
    let counts: [UInt64] = [1, 1, 1]
    point.n_explicit_bounds = bounds.count
    point.explicit_bounds = arena.values(bounds)
    point.n_bucket_counts = counts.count
    point.bucket_counts = arena.values(counts)

    var histogram = Opentelemetry__Proto__Metrics__V1__Histogram()
    opentelemetry__proto__metrics__v1__histogram__init(&histogram)
    histogram.aggregation_temporality =
      OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_DELTA
    histogram.n_data_points = 1
    histogram.data_points = arena.array([arena.box(point)])

    var metric = Opentelemetry__Proto__Metrics__V1__Metric()
    opentelemetry__proto__metrics__v1__metric__init(&metric)
    metric.name = arena.text("rlm.step.duration")
    metric.unit = arena.text("s")
    metric.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM
    metric.histogram = arena.box(histogram)

    var scopeMetrics = Opentelemetry__Proto__Metrics__V1__ScopeMetrics()
    opentelemetry__proto__metrics__v1__scope_metrics__init(&scopeMetrics)
    scopeMetrics.n_metrics = 1
    scopeMetrics.metrics = arena.array([arena.box(metric)])
    var resourceMetrics = Opentelemetry__Proto__Metrics__V1__ResourceMetrics()
    opentelemetry__proto__metrics__v1__resource_metrics__init(&resourceMetrics)
    resourceMetrics.n_scope_metrics = 1
    resourceMetrics.scope_metrics = arena.array([arena.box(scopeMetrics)])
    var request = Opentelemetry__Proto__Collector__Metrics__V1__ExportMetricsServiceRequest()
    opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__init(&request)
    request.n_resource_metrics = 1
    request.resource_metrics = arena.array([arena.box(resourceMetrics)])

    let size = opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__get_packed_size(
      &request)
    var out = [UInt8](repeating: 0, count: size)
    let written = out.withUnsafeMutableBufferPointer {
      opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__pack(
        &request, $0.baseAddress)
    }
    return Array(out.prefix(written))
  }

  @Test func traceRequestDecodesInPythonWithEveryField() throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let result = client.unary(
      method: EchoServer.decodeTrace, request: encodeTraceRequest(), timeout: .seconds(20))
    #expect(result.status == .ok, "\(result.message)")
    let json = String(decoding: result.response ?? [], as: UTF8.self)
    let root = try jsonObject(result.response)
    let resourceSpans = try #require((root["resource_spans"] as? [[String: Any]])?.first)
    let scopeSpans = try #require((resourceSpans["scope_spans"] as? [[String: Any]])?.first)
    let span = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
    #expect(span["trace_id"] as? String == Data(Array(1...16)).base64EncodedString())
    #expect(span["span_id"] as? String == Data(Array(1...8)).base64EncodedString())
    #expect(span["name"] as? String == "rlm.run\u{0}tail")
    #expect(span["flags"] as? Int == 0x301)
    #expect(span["kind"] as? String == "SPAN_KIND_SERVER")
    #expect(span["trace_state"] as? String == "k=v")
    #expect(span["start_time_unix_nano"] as? String == "1700000000000000000")
    #expect(span["dropped_links_count"] as? Int == 4)
    #expect((span["status"] as? [String: Any])?["code"] as? String == "STATUS_CODE_ERROR")
    #expect(json.contains("\"rlm.step.index\""), "\(json)")
    #expect(json.contains("\"service.name\""))
    #expect((scopeSpans["scope"] as? [String: Any])?["version"] as? String == "0.1")
  }

  @Test(arguments: [true, false])
  func histogramOptionalSumKeepsPresence(withSum: Bool) throws {
    let server = try EchoServer()
    let client = try server.client()
    defer { client.shutdown() }
    let result = client.unary(
      method: EchoServer.decodeMetrics, request: encodeHistogramRequest(withSum: withSum),
      timeout: .seconds(20))
    #expect(result.status == .ok, "\(result.message)")
    let json = String(decoding: result.response ?? [], as: UTF8.self)
    #expect(json.contains("\"sum\": 0.0") == withSum, "\(json)")
    #expect(json.contains("\"max\": 9.5"))
    #expect(!json.contains("\"min\""))
    #expect(json.contains("AGGREGATION_TEMPORALITY_DELTA"))
    #expect(json.contains("\"bucket_counts\""))
  }
}
