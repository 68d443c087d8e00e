/// A resource and an instrumentation scope, each an encoded OTLP message.
struct EncodedSource: Hashable, Sendable {
  var resource: [UInt8]
  var scope: [UInt8]
}

/// An `ExportTraceServiceRequest` put together from spans that are already encoded (the spool's):
/// a repeated message field is a run of length-delimited entries, so the request is the spans'
/// bytes behind three small headers, with nothing decoded or encoded again.
enum EncodedTraceRequest {
  /// `request { resource_spans { resource; scope_spans { scope; spans… } } }`.
  static func assemble(source: EncodedSource, spans: ArraySlice<[UInt8]>) -> [UInt8] {
    var scopeSpans: [UInt8] = []
    scopeSpans.reserveCapacity(spans.reduce(source.scope.count + 8) { $0 + $1.count + 6 })
    appendField(1, source.scope, to: &scopeSpans)
    for span in spans { appendField(2, span, to: &scopeSpans) }
    var resourceSpans: [UInt8] = []
    resourceSpans.reserveCapacity(source.resource.count + scopeSpans.count + 12)
    appendField(1, source.resource, to: &resourceSpans)
    appendField(2, scopeSpans, to: &resourceSpans)
    var request: [UInt8] = []
    request.reserveCapacity(resourceSpans.count + 6)
    appendField(1, resourceSpans, to: &request)
    return request
  }

  /// The request size for `spans`, without building it (to split batches over 4 MiB).
  static func size(source: EncodedSource, spans: ArraySlice<[UInt8]>) -> Int {
    let scopeSpans = spans.reduce(fieldSize(source.scope.count)) { $0 + fieldSize($1.count) }
    return fieldSize(fieldSize(source.resource.count) + fieldSize(scopeSpans))
  }

  /// `span` with its `end_time_unix_nano` (field 8, fixed64) set to `endTime`: a field that appears
  /// again replaces the earlier value when a message is parsed, so appending it is enough.
  static func settingEndTime(of span: [UInt8], to endTime: UInt64) -> [UInt8] {
    var bytes = span
    bytes.append(8 << 3 | 1)
    bytes.appendFixed64(endTime)
    return bytes
  }

  private static func appendField(_ number: UInt8, _ payload: [UInt8], to bytes: inout [UInt8]) {
    bytes.append(number << 3 | 2)
    bytes.appendVarint(UInt64(payload.count))
    bytes += payload
  }

  private static func fieldSize(_ payloadCount: Int) -> Int {
    1 + varintSize(UInt64(payloadCount)) + payloadCount
  }

  private static func varintSize(_ value: UInt64) -> Int {
    var size = 1
    var rest = value >> 7
    while rest != 0 {
      size += 1
      rest >>= 7
    }
    return size
  }
}

extension Array where Element == UInt8 {
  fileprivate mutating func appendVarint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    append(UInt8(rest))
  }

  fileprivate mutating func appendFixed64(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }
}
