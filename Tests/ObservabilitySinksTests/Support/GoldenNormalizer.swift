import ObservabilitySinks
import SinkReplay

/// Puts exported spans and metrics in the canonical form of the golden `normalized.json` files:
/// spans as a tree ordered by start time (ties by `rlm.step`), ids and times dropped, attributes as
/// `{type, value}`; metrics as their final points sorted by attributes. The instrumentation
/// scope is left out, as the conformance check masks it.
enum GoldenNormalizer {
  static func spans(_ spans: [SpanData]) -> [JSONValue] {
    let byId = Dictionary(spans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
    var children: [SpanData.SpanID: [SpanData]] = [:]
    var roots: [SpanData] = []
    for span in spans {
      if let parent = span.parentSpanID, byId[parent] != nil {
        children[parent, default: []].append(span)
      } else {
        roots.append(span)
      }
    }
    var out: [JSONValue] = []
    func emit(_ span: SpanData, ref: String, parentRef: String?) {
      out.append(entry(span, ref: ref, parentRef: parentRef))
      var counters: [String: Int] = [:]
      for child in sorted(children[span.spanID] ?? []) {
        let index = counters[child.name, default: 0]
        counters[child.name] = index + 1
        emit(child, ref: "\(ref)/\(child.name)[\(index)]", parentRef: ref)
      }
    }
    var counters: [String: Int] = [:]
    for root in sorted(roots) {
      let index = counters[root.name, default: 0]
      counters[root.name] = index + 1
      emit(root, ref: "\(root.name)[\(index)]", parentRef: nil)
    }
    return out
  }

  static func metrics(_ metrics: [MetricData]) -> [JSONValue] {
    metrics.sorted { $0.name < $1.name }.map { metric in
      var members: [(key: String, value: JSONValue)] = [
        ("name", .string(metric.name)), ("description", .string(metric.description)),
        ("unit", .string(metric.unit)),
      ]
      switch metric.points {
      case .sum(let points, let temporality, let monotonic):
        members += [
          ("type", .string("sum")), ("monotonic", .bool(monotonic)),
          ("temporality", .string(name(temporality))),
          (
            "data_points",
            .array(
              sortedByAttributes(points.map { ($0.attributes, [("value", typed(.int($0.value)))]) })
            )
          ),
        ]
      case .histogram(let points, let temporality):
        members += [
          ("type", .string("histogram")), ("monotonic", .null), ("temporality", .string(name(temporality))),
          (
            "data_points",
            .array(
              sortedByAttributes(
                points.map { point in
                  (
                    point.attributes,
                    [
                      ("count", .int(Int64(point.count))), ("sum", .double(point.sum)),
                      ("min", point.min.map { .double($0) } ?? .null),
                      ("max", point.max.map { .double($0) } ?? .null),
                      ("explicit_bounds", .array(point.explicitBounds.map { .double($0) })),
                      ("bucket_counts", .array(point.bucketCounts.map { .int(Int64($0)) })),
                    ]
                  )
                })
            )
          ),
        ]
      }
      return .object(members)
    }
  }

  private static func entry(_ span: SpanData, ref: String, parentRef: String?) -> JSONValue {
    let status: (String, String)
    switch span.status {
    case .unset: status = ("STATUS_CODE_UNSET", "")
    case .ok: status = ("STATUS_CODE_OK", "")
    case .error(let message): status = ("STATUS_CODE_ERROR", message)
    }
    var members: [(key: String, value: JSONValue)] = [
      ("ref", .string(ref)), ("name", .string(span.name)), ("kind", .string(kindName(span.kind))),
      ("parent", parentRef.map { .string($0) } ?? .null), ("attributes", attributes(span.attributes)),
      ("events", .array(span.events.map(event))),
      ("status", .object([("code", .string(status.0)), ("message", .string(status.1))])),
      ("start_le_end", .bool(span.startTimeUnixNano <= span.endTimeUnixNano)),
      ("flags", .string("0x" + String(span.flags, radix: 16))), ("trace_state", .string(span.traceState)),
      ("links", .int(Int64(span.links.count))),
    ]
    // As normalize.py: a dropped count appears only when it is not zero.
    for (key, count) in [
      ("dropped_attributes_count", span.droppedAttributesCount),
      ("dropped_events_count", span.droppedEventsCount),
      ("dropped_links_count", span.droppedLinksCount),
    ] where count != 0 {
      members.append((key, .int(Int64(count))))
    }
    return .object(members)
  }

  private static func event(_ event: SpanData.Event) -> JSONValue {
    var members: [(key: String, value: JSONValue)] = [
      ("name", .string(event.name)), ("attributes", attributes(event.attributes)),
    ]
    if event.droppedAttributesCount != 0 {
      members.append(("dropped_attributes_count", .int(Int64(event.droppedAttributesCount))))
    }
    return .object(members)
  }

  private static func sorted(_ spans: [SpanData]) -> [SpanData] {
    spans.sorted { a, b in
      if a.startTimeUnixNano != b.startTimeUnixNano { return a.startTimeUnixNano < b.startTimeUnixNano }
      return step(a) < step(b)
    }
  }

  private static func step(_ span: SpanData) -> Int64 {
    if case .int(let step)? = span.attributes["rlm.step"] { return step }
    return -1
  }

  private static func attributes(_ attributes: [Attribute]) -> JSONValue {
    .object(attributes.sorted { $0.key < $1.key }.map { ($0.key, typed($0.value)) })
  }

  private static func typed(_ value: AttributeValue) -> JSONValue {
    switch value {
    case .string(let text): return .object([("type", .string("string")), ("value", .string(text))])
    case .bool(let flag): return .object([("type", .string("bool")), ("value", .bool(flag))])
    case .int(let number): return .object([("type", .string("int")), ("value", .int(number))])
    case .double(let number): return .object([("type", .string("double")), ("value", .double(number))])
    case .empty: return .object([("type", .string("empty")), ("value", .null)])
    }
  }

  private static func sortedByAttributes(_ points: [([Attribute], [(key: String, value: JSONValue)])])
    -> [JSONValue]
  {
    points.map { (key: sortKey($0.0), value: JSONValue.object([("attributes", attributes($0.0))] + $0.1)) }
      .sorted { $0.key < $1.key }.map(\.value)
  }

  private static func sortKey(_ attributes: [Attribute]) -> String {
    attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
  }

  private static func kindName(_ kind: SpanData.Kind) -> String {
    switch kind {
    case .internal: return "SPAN_KIND_INTERNAL"
    case .server: return "SPAN_KIND_SERVER"
    case .client: return "SPAN_KIND_CLIENT"
    case .producer: return "SPAN_KIND_PRODUCER"
    case .consumer: return "SPAN_KIND_CONSUMER"
    }
  }

  private static func name(_ temporality: AggregationTemporality) -> String {
    temporality == .cumulative ? "AGGREGATION_TEMPORALITY_CUMULATIVE" : "AGGREGATION_TEMPORALITY_DELTA"
  }
}

/// Every difference between two canonical documents, by path; doubles within 1e-9 relative.
func differences(_ expected: JSONValue, _ actual: JSONValue, path: String = "") -> [String] {
  switch (expected, actual) {
  case (.object(let a), .object(let b)):
    var out: [String] = []
    let keys = Set(a.map(\.key)).union(b.map(\.key)).sorted()
    for key in keys {
      let left = a.first { $0.key == key }?.value
      let right = b.first { $0.key == key }?.value
      switch (left, right) {
      case (let left?, let right?): out += differences(left, right, path: path + "." + key)
      case (nil, _): out.append("\(path).\(key): only in ours")
      case (_, nil): out.append("\(path).\(key): missing in ours")
      }
    }
    return out
  case (.array(let a), .array(let b)):
    var out = a.count == b.count ? [] : ["\(path): \(a.count) items vs \(b.count)"]
    for (index, (left, right)) in zip(a, b).enumerated() {
      out += differences(left, right, path: "\(path)[\(index)]")
    }
    return out
  case (.double(let a), .double(let b)):
    return a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b)) ? [] : ["\(path): \(a) vs \(b)"]
  default:
    return expected == actual ? [] : ["\(path): \(expected.pythonRepr) vs \(actual.pythonRepr)"]
  }
}

extension JSONValue {
  /// The object without the given keys (used to drop the masked instrumentation scope).
  func removing(_ keys: Set<String>) -> JSONValue {
    guard case .object(let members) = self else { return self }
    return .object(members.filter { !keys.contains($0.key) })
  }
}
