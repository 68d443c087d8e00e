extension SpanData {
  /// The span with `limits` applied as the OpenTelemetry Python SDK applies them under the
  /// reference: attributes in the order they were set into a bounded map (a key set again moves
  /// to the end; when full, the oldest goes), events and links into bounded lists (the oldest
  /// goes), string values cut to a length in Unicode scalars; every removal counted.
  func limited(by limits: ResolvedSpanLimits) -> SpanData {
    guard limits != .defaults || Self.mayExceedDefaults(self) else { return self }
    var span = self
    (span.attributes, span.droppedAttributesCount) = Self.bounded(
      attributes, count: limits.spanAttributes, valueLength: limits.spanValueLength,
      alreadyDropped: droppedAttributesCount)
    if !events.isEmpty {
      let kept = events.suffix(limits.events).map { event in
        var event = event
        (event.attributes, event.droppedAttributesCount) = Self.bounded(
          event.attributes, count: limits.eventAttributes, valueLength: limits.otherValueLength,
          alreadyDropped: event.droppedAttributesCount)
        return event
      }
      span.droppedEventsCount += events.count - kept.count
      span.events = kept
    }
    if !links.isEmpty {
      span.links = links.suffix(limits.links).map { link in
        var link = link
        (link.attributes, link.droppedAttributesCount) = Self.bounded(
          link.attributes, count: limits.linkAttributes, valueLength: limits.otherValueLength,
          alreadyDropped: link.droppedAttributesCount)
        return link
      }
      span.droppedLinksCount += links.count - span.links.count
    }
    return span
  }

  /// Whether the default limits (128 of each, values whole) could change `span`: only when a
  /// list is that long, which our spans never are unless a caller's attributes make them so.
  private static func mayExceedDefaults(_ span: SpanData) -> Bool {
    let limit = SpanLimits.defaultCount
    return span.attributes.count > limit || span.events.count > limit || span.links.count > limit
      || span.events.contains { $0.attributes.count > limit }
      || span.links.contains { $0.attributes.count > limit }
  }

  /// `attributes` set one by one into a map of at most `count` entries, values cut to
  /// `valueLength`; returns what is left in insertion order and how many were dropped.
  private static func bounded(
    _ attributes: [Attribute], count: Int, valueLength: Int?, alreadyDropped: Int
  ) -> ([Attribute], Int) {
    if count == 0 { return ([], alreadyDropped + attributes.count) }
    var kept: [Attribute] = []
    kept.reserveCapacity(min(attributes.count, count))
    var dropped = alreadyDropped
    for attribute in attributes {
      var attribute = attribute
      if let valueLength { attribute.value = attribute.value.cut(to: valueLength) }
      if let existing = kept.firstIndex(where: { $0.key == attribute.key }) {
        kept.remove(at: existing)
      } else if kept.count >= count {
        kept.removeFirst()
        dropped += 1
      }
      kept.append(attribute)
    }
    return (kept, dropped)
  }
}

extension AttributeValue {
  /// A string value cut to `length` Unicode scalars; other values as they are.
  fileprivate func cut(to length: Int) -> AttributeValue {
    guard case .string(let text) = self, text.unicodeScalars.count > length else { return self }
    return .string(text.prefix(scalars: length))
  }
}
