import COTLPProto
import CProtobufC

/// Encodes spans as an OTLP `ExportTraceServiceRequest` with protobuf-c.
///
/// An instance keeps its arena between requests (use one per thread); the static
/// ``encode(_:from:)`` makes a fresh one.
@_spi(Benchmarks) public final class TraceRequestEncoder {
  fileprivate let arena = ProtobufArena(blockSize: 256 * 1024)

  /// An encoder with an empty arena.
  public init() {}

  /// The request bytes for `spans`, all under one resource and one scope, with a fresh encoder.
  public static func encode(_ spans: [SpanData], from source: TelemetrySource) -> [UInt8] {
    TraceRequestEncoder().encode(spans, from: source)
  }

  /// The request bytes for `spans`, all under one resource and one scope.
  public func encode(_ spans: [SpanData], from source: TelemetrySource) -> [UInt8] {
    defer { arena.reset() }
    let request = arena.allocate(Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest.self)
    opentelemetry__proto__collector__trace__v1__export_trace_service_request__init(request)
    let resourceSpans = arena.allocate(Opentelemetry__Proto__Trace__V1__ResourceSpans.self)
    opentelemetry__proto__trace__v1__resource_spans__init(resourceSpans)
    resourceSpans.pointee.resource = arena.resource(source.resource)
    let scopeSpans = arena.allocate(Opentelemetry__Proto__Trace__V1__ScopeSpans.self)
    opentelemetry__proto__trace__v1__scope_spans__init(scopeSpans)
    scopeSpans.pointee.scope = arena.scope(source.scope)

    let pointers = arena.allocate(
      UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__Span>?.self, count: spans.count)
    let messages = arena.allocate(Opentelemetry__Proto__Trace__V1__Span.self, count: spans.count)
    for (index, span) in spans.enumerated() {
      let message = messages + index
      arena.fill(message, with: span)
      pointers[index] = message
    }
    scopeSpans.pointee.n_spans = spans.count
    scopeSpans.pointee.spans = pointers

    let scopeList = arena.allocate(UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__ScopeSpans>?.self)
    scopeList[0] = scopeSpans
    resourceSpans.pointee.n_scope_spans = 1
    resourceSpans.pointee.scope_spans = scopeList
    let resourceList = arena.allocate(
      UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__ResourceSpans>?.self)
    resourceList[0] = resourceSpans
    request.pointee.n_resource_spans = 1
    request.pointee.resource_spans = resourceList
    return arena.pack(request)
  }
}

extension TraceRequestEncoder {
  /// One span as an OTLP `Span` message: how the spool stores it, so that it can be sent later
  /// without being decoded (``EncodedTraceRequest``).
  func encodeSpan(_ span: SpanData) -> [UInt8] {
    defer { arena.reset() }
    let message = arena.allocate(Opentelemetry__Proto__Trace__V1__Span.self)
    arena.fill(message, with: span)
    return arena.pack(message)
  }

  /// The resource and the instrumentation scope as OTLP messages, for ``EncodedTraceRequest``.
  func encodeSource(_ source: TelemetrySource) -> EncodedSource {
    defer { arena.reset() }
    return EncodedSource(
      resource: arena.pack(arena.resource(source.resource)), scope: arena.pack(arena.scope(source.scope)))
  }
}

extension ProtobufArena {
  fileprivate func fill(
    _ message: UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__Span>, with span: SpanData
  ) {
    opentelemetry__proto__trace__v1__span__init(message)
    message.pointee.trace_id = bytes(bigEndian: span.traceID.high, span.traceID.low)
    message.pointee.span_id = bytes(bigEndian: span.spanID.value)
    if let parent = span.parentSpanID { message.pointee.parent_span_id = bytes(bigEndian: parent.value) }
    if !span.traceState.isEmpty { message.pointee.trace_state = bytes(span.traceState) }
    message.pointee.flags = span.flags
    message.pointee.name = bytes(span.name)
    message.pointee.kind = Opentelemetry__Proto__Trace__V1__Span__SpanKind(
      rawValue: UInt32(bitPattern: span.kind.rawValue))
    message.pointee.start_time_unix_nano = span.startTimeUnixNano
    message.pointee.end_time_unix_nano = span.endTimeUnixNano
    (message.pointee.n_attributes, message.pointee.attributes) = keyValues(span.attributes)
    message.pointee.dropped_attributes_count = UInt32(clamping: span.droppedAttributesCount)
    message.pointee.dropped_events_count = UInt32(clamping: span.droppedEventsCount)
    message.pointee.dropped_links_count = UInt32(clamping: span.droppedLinksCount)
    if !span.events.isEmpty {
      let pointers = allocate(
        UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__Span__Event>?.self, count: span.events.count)
      let events = allocate(Opentelemetry__Proto__Trace__V1__Span__Event.self, count: span.events.count)
      for (index, event) in span.events.enumerated() {
        let eventMessage = events + index
        opentelemetry__proto__trace__v1__span__event__init(eventMessage)
        eventMessage.pointee.time_unix_nano = event.timeUnixNano
        eventMessage.pointee.name = bytes(event.name)
        (eventMessage.pointee.n_attributes, eventMessage.pointee.attributes) = keyValues(event.attributes)
        eventMessage.pointee.dropped_attributes_count = UInt32(clamping: event.droppedAttributesCount)
        pointers[index] = eventMessage
      }
      message.pointee.n_events = span.events.count
      message.pointee.events = pointers
    }
    if !span.links.isEmpty {
      let pointers = allocate(
        UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__Span__Link>?.self, count: span.links.count)
      let links = allocate(Opentelemetry__Proto__Trace__V1__Span__Link.self, count: span.links.count)
      for (index, link) in span.links.enumerated() {
        let linkMessage = links + index
        opentelemetry__proto__trace__v1__span__link__init(linkMessage)
        linkMessage.pointee.trace_id = bytes(bigEndian: link.traceID.high, link.traceID.low)
        linkMessage.pointee.span_id = bytes(bigEndian: link.spanID.value)
        (linkMessage.pointee.n_attributes, linkMessage.pointee.attributes) = keyValues(link.attributes)
        linkMessage.pointee.dropped_attributes_count = UInt32(clamping: link.droppedAttributesCount)
        pointers[index] = linkMessage
      }
      message.pointee.n_links = span.links.count
      message.pointee.links = pointers
    }
    let status = allocate(Opentelemetry__Proto__Trace__V1__Status.self)
    opentelemetry__proto__trace__v1__status__init(status)
    switch span.status {
    case .unset:
      break
    case .ok:
      status.pointee.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_OK
    case .error(let text):
      status.pointee.code = OPENTELEMETRY__PROTO__TRACE__V1__STATUS__STATUS_CODE__STATUS_CODE_ERROR
      status.pointee.message = bytes(text)
    }
    message.pointee.status = status
  }
}
