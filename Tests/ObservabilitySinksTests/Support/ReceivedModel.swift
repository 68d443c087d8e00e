import Foundation

@testable import ObservabilitySinks

/// Turns what the test receiver decoded with the official opentelemetry-proto classes (their JSON
/// form, proto field names) back into the model, so that exports over the wire can be checked
/// with the same normalizer as in-memory ones.
enum ReceivedModel {
  struct Malformed: Error, CustomStringConvertible {
    var description: String
  }

  static func spans(_ requests: [[String: Any]]) throws -> (spans: [SpanData], sources: [TelemetrySource]) {
    var spans: [SpanData] = []
    var sources: [TelemetrySource] = []
    for request in requests {
      for resourceSpans in request["resource_spans"] as? [[String: Any]] ?? [] {
        let resource = Resource(
          attributes: try attributes(
            resourceSpans["resource"].flatMap { ($0 as? [String: Any])?["attributes"] }))
        for scopeSpans in resourceSpans["scope_spans"] as? [[String: Any]] ?? [] {
          let scope = scopeSpans["scope"] as? [String: Any] ?? [:]
          sources.append(
            TelemetrySource(
              resource: resource,
              scope: InstrumentationScope(
                name: scope["name"] as? String ?? "", version: scope["version"] as? String ?? "")))
          for span in scopeSpans["spans"] as? [[String: Any]] ?? [] {
            spans.append(try self.span(span))
          }
        }
      }
    }
    return (spans, sources)
  }

  /// The points of the last request that carries each metric (cumulative: the final state).
  static func metrics(_ requests: [[String: Any]]) throws -> [MetricData] {
    var latest: [String: MetricData] = [:]
    for request in requests {
      for resourceMetrics in request["resource_metrics"] as? [[String: Any]] ?? [] {
        for scopeMetrics in resourceMetrics["scope_metrics"] as? [[String: Any]] ?? [] {
          for metric in scopeMetrics["metrics"] as? [[String: Any]] ?? [] {
            let data = try self.metric(metric)
            latest[data.name] = data
          }
        }
      }
    }
    return latest.values.sorted { $0.name < $1.name }
  }

  private static func span(_ json: [String: Any]) throws -> SpanData {
    guard let traceID = SpanData.TraceID(hex: try hex(json["trace_id"])),
      let spanID = SpanData.SpanID(hex: try hex(json["span_id"]))
    else {
      throw Malformed(description: "span ids: \(json)")
    }
    let parent = try (json["parent_span_id"] as? String).flatMap { SpanData.SpanID(hex: try hex($0)) }
    let status = json["status"] as? [String: Any] ?? [:]
    let spanStatus: SpanData.Status
    switch status["code"] as? String {
    case "STATUS_CODE_OK": spanStatus = .ok
    case "STATUS_CODE_ERROR": spanStatus = .error(message: status["message"] as? String ?? "")
    default: spanStatus = .unset
    }
    let kinds: [String: SpanData.Kind] = [
      "SPAN_KIND_INTERNAL": .internal, "SPAN_KIND_SERVER": .server, "SPAN_KIND_CLIENT": .client,
      "SPAN_KIND_PRODUCER": .producer, "SPAN_KIND_CONSUMER": .consumer,
    ]
    var span = SpanData(
      traceID: traceID, spanID: spanID, parentSpanID: parent, name: json["name"] as? String ?? "",
      kind: kinds[json["kind"] as? String ?? ""] ?? .internal,
      startTimeUnixNano: nanos(json["start_time_unix_nano"]),
      endTimeUnixNano: nanos(json["end_time_unix_nano"]), attributes: try attributes(json["attributes"]),
      events: try (json["events"] as? [[String: Any]] ?? []).map {
        var event = SpanData.Event(
          name: $0["name"] as? String ?? "", timeUnixNano: nanos($0["time_unix_nano"]),
          attributes: try attributes($0["attributes"]))
        event.droppedAttributesCount = $0["dropped_attributes_count"] as? Int ?? 0
        return event
      }, status: spanStatus,
      links: try (json["links"] as? [[String: Any]] ?? []).map { link in
        guard let traceID = SpanData.TraceID(hex: try hex(link["trace_id"])),
          let spanID = SpanData.SpanID(hex: try hex(link["span_id"]))
        else { throw Malformed(description: "link ids: \(link)") }
        var decoded = SpanData.Link(
          traceID: traceID, spanID: spanID, attributes: try attributes(link["attributes"]))
        decoded.droppedAttributesCount = link["dropped_attributes_count"] as? Int ?? 0
        return decoded
      }, flags: UInt32(json["flags"] as? Int ?? 0),
      traceState: json["trace_state"] as? String ?? "")
    span.droppedAttributesCount = json["dropped_attributes_count"] as? Int ?? 0
    span.droppedEventsCount = json["dropped_events_count"] as? Int ?? 0
    span.droppedLinksCount = json["dropped_links_count"] as? Int ?? 0
    return span
  }

  private static func metric(_ json: [String: Any]) throws -> MetricData {
    let name = json["name"] as? String ?? ""
    let description = json["description"] as? String ?? ""
    let unit = json["unit"] as? String ?? ""
    func temporality(_ data: [String: Any]) -> AggregationTemporality {
      data["aggregation_temporality"] as? String == "AGGREGATION_TEMPORALITY_DELTA" ? .delta : .cumulative
    }
    if let sum = json["sum"] as? [String: Any] {
      let points = try (sum["data_points"] as? [[String: Any]] ?? []).map { point in
        SumDataPoint(
          attributes: try attributes(point["attributes"]),
          startTimeUnixNano: nanos(point["start_time_unix_nano"]),
          timeUnixNano: nanos(point["time_unix_nano"]), value: Int64(point["as_int"] as? String ?? "") ?? -1)
      }
      return MetricData(
        name: name, description: description, unit: unit,
        points: .sum(
          points, temporality: temporality(sum), isMonotonic: sum["is_monotonic"] as? Bool ?? false))
    }
    guard let histogram = json["histogram"] as? [String: Any] else {
      throw Malformed(description: "metric kind: \(json)")
    }
    let points = try (histogram["data_points"] as? [[String: Any]] ?? []).map { point in
      HistogramDataPoint(
        attributes: try attributes(point["attributes"]),
        startTimeUnixNano: nanos(point["start_time_unix_nano"]),
        timeUnixNano: nanos(point["time_unix_nano"]), count: UInt64(point["count"] as? String ?? "0") ?? 0,
        sum: point["sum"] as? Double ?? .nan, min: point["min"] as? Double, max: point["max"] as? Double,
        explicitBounds: point["explicit_bounds"] as? [Double] ?? [],
        bucketCounts: (point["bucket_counts"] as? [String] ?? []).compactMap { UInt64($0) })
    }
    return MetricData(
      name: name, description: description, unit: unit,
      points: .histogram(points, temporality: temporality(histogram)))
  }

  private static func attributes(_ json: Any?) throws -> [Attribute] {
    try (json as? [[String: Any]] ?? []).map { pair in
      let key = pair["key"] as? String ?? ""
      let value = pair["value"] as? [String: Any] ?? [:]
      if let text = value["string_value"] as? String { return Attribute(key, .string(text)) }
      if let flag = value["bool_value"] as? Bool { return Attribute(key, .bool(flag)) }
      if let number = value["int_value"] as? String, let parsed = Int64(number) {
        return Attribute(key, .int(parsed))
      }
      if let number = value["double_value"] as? Double { return Attribute(key, .double(number)) }
      if value.isEmpty { return Attribute(key, .empty) }
      throw Malformed(description: "attribute value: \(pair)")
    }
  }

  private static func hex(_ base64: Any?) throws -> String {
    guard let text = base64 as? String, let data = Data(base64Encoded: text) else {
      throw Malformed(description: "id: \(String(describing: base64))")
    }
    return data.map { String(format: "%02x", $0) }.joined()
  }

  private static func nanos(_ json: Any?) -> UInt64 {
    UInt64(json as? String ?? "") ?? 0
  }
}
