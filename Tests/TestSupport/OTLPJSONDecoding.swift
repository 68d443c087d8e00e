import Foundation

/// Turns the receiver's protobuf-JSON lines (`MessageToDict`, proto field names) into the typed
/// `Received*` values. Protobuf JSON writes 64-bit integers as strings and bytes as base64; ids are
/// converted to hex because that is how OpenTelemetry shows them everywhere else.
enum OTLPJSONDecoding {
  static func jsonLines(_ url: URL) -> [[String: Any]] {
    guard let data = try? Data(contentsOf: url) else { return [] }
    var objects: [[String: Any]] = []
    // Only newline-terminated lines: the last one may still be being written.
    var start = data.startIndex
    while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
      let line = data[start..<newline]
      start = data.index(after: newline)
      if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] {
        objects.append(object)
      }
    }
    return objects
  }

  static func spans(_ requests: [[String: Any]]) -> [ReceivedSpan] {
    var spans: [ReceivedSpan] = []
    for request in requests {
      for resourceSpans in array(request["resource_spans"]) {
        let resource = attributes(dictionary(resourceSpans["resource"])["attributes"])
        for scopeSpans in array(resourceSpans["scope_spans"]) {
          let scope = dictionary(scopeSpans["scope"])
          for span in array(scopeSpans["spans"]) {
            let status = dictionary(span["status"])
            let parent = hex(span["parent_span_id"])
            spans.append(
              ReceivedSpan(
                traceID: hex(span["trace_id"]), spanID: hex(span["span_id"]),
                parentSpanID: parent.isEmpty ? nil : parent, name: string(span["name"]),
                kind: (span["kind"] as? String) ?? "SPAN_KIND_UNSPECIFIED",
                startTimeUnixNano: unsigned(span["start_time_unix_nano"]),
                endTimeUnixNano: unsigned(span["end_time_unix_nano"]),
                attributes: attributes(span["attributes"]),
                statusCode: (status["code"] as? String) ?? "STATUS_CODE_UNSET",
                statusMessage: string(status["message"]),
                events: array(span["events"]).map {
                  ReceivedSpanEvent(
                    name: string($0["name"]), timeUnixNano: unsigned($0["time_unix_nano"]),
                    attributes: attributes($0["attributes"]))
                },
                linkCount: array(span["links"]).count, resourceAttributes: resource,
                scopeName: string(scope["name"]), scopeVersion: string(scope["version"])))
          }
        }
      }
    }
    return spans
  }

  static func metricPoints(_ requests: [[String: Any]]) -> [ReceivedMetricPoint] {
    let kinds = ["gauge", "sum", "histogram", "exponential_histogram", "summary"]
    var points: [ReceivedMetricPoint] = []
    for request in requests {
      for resourceMetrics in array(request["resource_metrics"]) {
        let resource = attributes(dictionary(resourceMetrics["resource"])["attributes"])
        for scopeMetrics in array(resourceMetrics["scope_metrics"]) {
          let scopeName = string(dictionary(scopeMetrics["scope"])["name"])
          for metric in array(scopeMetrics["metrics"]) {
            guard let kind = kinds.first(where: { metric[$0] != nil }) else { continue }
            let data = dictionary(metric[kind])
            for point in array(data["data_points"]) {
              points.append(
                ReceivedMetricPoint(
                  metricName: string(metric["name"]), unit: string(metric["unit"]),
                  description: string(metric["description"]), kind: kind,
                  isMonotonic: (data["is_monotonic"] as? Bool) ?? false,
                  aggregationTemporality: string(data["aggregation_temporality"]),
                  attributes: attributes(point["attributes"]),
                  startTimeUnixNano: unsigned(point["start_time_unix_nano"]),
                  timeUnixNano: unsigned(point["time_unix_nano"]),
                  intValue: point["as_int"].map { signed($0) },
                  doubleValue: point["as_double"].map { double($0) },
                  count: point["count"].map { unsigned($0) }, sum: point["sum"].map { double($0) },
                  bucketCounts: ((point["bucket_counts"] as? [Any]) ?? []).map { unsigned($0) },
                  explicitBounds: ((point["explicit_bounds"] as? [Any]) ?? []).map { double($0) },
                  resourceAttributes: resource, scopeName: scopeName))
            }
          }
        }
      }
    }
    return points
  }

  static func call(_ object: [String: Any]) -> ReceivedCall? {
    guard let service = (object["service"] as? String).flatMap(OTLPSignal.init(rawValue:)) else { return nil }
    return ReceivedCall(
      service: service,
      transport: (object["transport"] as? String).flatMap(OTLPTransport.init(rawValue:)) ?? .grpc,
      sequence: int(object["seq"]),
      itemCount: int(object[service == .traces ? "spans" : "points"]), bytes: int(object["bytes"]),
      metadata: (object["metadata"] as? [String: String]) ?? [:], answered: string(object["answered"]),
      httpStatus: optionalInt(object["http_status"]), rejected: int(object["rejected"]),
      compressed: object["compressed"] as? Bool, bodyBytes: optionalInt(object["body_bytes"]),
      connection: optionalInt(object["connection"]), message: object["message"] as? String,
      time: double(object["time"]))
  }

  static func connection(_ object: [String: Any]) -> ReceivedHTTPConnection? {
    guard let sequence = optionalInt(object["seq"]) else { return nil }
    return ReceivedHTTPConnection(
      sequence: sequence, peer: string(object["peer"]), tls: (object["tls"] as? Bool) ?? false,
      tlsError: object["tls_error"] as? String, time: double(object["time"]))
  }

  static func value(_ any: Any?) -> OTLPValue {
    let object = dictionary(any)
    if let text = object["string_value"] as? String { return .string(text) }
    if let flag = object["bool_value"] as? Bool { return .bool(flag) }
    if let number = object["int_value"] { return .int(signed(number)) }
    if let number = object["double_value"] { return .double(double(number)) }
    if let bytes = object["bytes_value"] as? String { return .bytes(bytes) }
    if let list = object["array_value"] {
      return .array(array(dictionary(list)["values"]).map { value($0) })
    }
    if let list = object["kvlist_value"] { return .keyValueList(attributes(dictionary(list)["values"])) }
    return .empty
  }

  static func attributes(_ any: Any?) -> [String: OTLPValue] {
    var result: [String: OTLPValue] = [:]
    for pair in array(any) {
      result[string(pair["key"])] = value(pair["value"])
    }
    return result
  }

  // MARK: protobuf JSON scalars

  private static func array(_ any: Any?) -> [[String: Any]] { (any as? [[String: Any]]) ?? [] }
  private static func dictionary(_ any: Any?) -> [String: Any] { (any as? [String: Any]) ?? [:] }
  private static func string(_ any: Any?) -> String { (any as? String) ?? "" }

  private static func optionalInt(_ any: Any?) -> Int? {
    (any as? NSNumber)?.intValue ?? (any as? String).flatMap { Int($0) }
  }

  private static func int(_ any: Any?) -> Int {
    if let number = any as? NSNumber { return number.intValue }
    return Int(string(any)) ?? 0
  }

  private static func signed(_ any: Any?) -> Int64 {
    if let text = any as? String { return Int64(text) ?? 0 }
    return (any as? NSNumber)?.int64Value ?? 0
  }

  private static func unsigned(_ any: Any?) -> UInt64 {
    if let text = any as? String { return UInt64(text) ?? 0 }
    return (any as? NSNumber)?.uint64Value ?? 0
  }

  /// Doubles are JSON numbers, except NaN/Infinity which protobuf JSON writes as strings.
  private static func double(_ any: Any?) -> Double {
    if let text = any as? String { return Double(text) ?? .nan }
    return (any as? NSNumber)?.doubleValue ?? 0
  }

  private static func hex(_ any: Any?) -> String {
    guard let base64 = any as? String, let data = Data(base64Encoded: base64) else { return "" }
    return data.map { byte in
      let digits = Array("0123456789abcdef")
      return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }.joined()
  }
}
