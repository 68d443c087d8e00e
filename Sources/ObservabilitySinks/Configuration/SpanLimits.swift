/// Bounds on what one span carries, applied to `rlm.run`, `rlm.step` and `chat …` spans, their
/// events and their links after the sink's own truncation (task 500, event texts 1000 scalars).
///
/// A property left `nil` takes its standard environment variable, else its default, with the
/// precedence of the OpenTelemetry Python SDK under the reference: a span's, event's or link's own
/// count limit, else ``attributeCount``, else 128; span attribute values are cut to
/// ``spanAttributeValueLength``, else ``attributeValueLength``; event and link attribute values to
/// ``attributeValueLength`` only. Without a length limit values are kept whole. `Int.max` is no
/// limit at all, what an own limit's variable set but empty means (as in the SDK).
///
/// What a limit removes is said in the span's `dropped_attributes_count`, `dropped_events_count`
/// and `dropped_links_count` (and an event's or link's `dropped_attributes_count`); as in the
/// SDK, the newest entries are kept and the oldest dropped. Values are cut by Unicode scalars
/// (Python code points), strings and the strings of an array alike.
///
/// Specification: Tracing SDK, *Span Limits*; Common, *Attribute Limits*; SDK environment
/// variables, *Attribute Limits* and *Span Limits*.
public struct SpanLimits: Hashable, Sendable {
  /// Attributes of a span, event or link at most, when its own limit is not set
  /// (`OTEL_ATTRIBUTE_COUNT_LIMIT`, 128).
  public var attributeCount: Int?
  /// The longest attribute value of a span, event or link, in Unicode scalars
  /// (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`, no limit).
  public var attributeValueLength: Int?
  /// Attributes of a span at most (`OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`).
  public var spanAttributeCount: Int?
  /// The longest attribute value of a span (`OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`).
  public var spanAttributeValueLength: Int?
  /// Events of a span at most (`OTEL_SPAN_EVENT_COUNT_LIMIT`, 128).
  public var eventCount: Int?
  /// Links of a span at most (`OTEL_SPAN_LINK_COUNT_LIMIT`, 128).
  public var linkCount: Int?
  /// Attributes of an event at most (`OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`).
  public var eventAttributeCount: Int?
  /// Attributes of a link at most (`OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`).
  public var linkAttributeCount: Int?

  /// Limits with nothing set: each from its variable, else its default.
  public init(
    attributeCount: Int? = nil, attributeValueLength: Int? = nil, spanAttributeCount: Int? = nil,
    spanAttributeValueLength: Int? = nil, eventCount: Int? = nil, linkCount: Int? = nil,
    eventAttributeCount: Int? = nil, linkAttributeCount: Int? = nil
  ) {
    self.attributeCount = attributeCount
    self.attributeValueLength = attributeValueLength
    self.spanAttributeCount = spanAttributeCount
    self.spanAttributeValueLength = spanAttributeValueLength
    self.eventCount = eventCount
    self.linkCount = linkCount
    self.eventAttributeCount = eventAttributeCount
    self.linkAttributeCount = linkAttributeCount
  }

  /// The SDK's default count limit (there is no default length limit).
  static let defaultCount = 128

  /// `self` where set, else `other`.
  func merged(over other: SpanLimits) -> SpanLimits {
    SpanLimits(
      attributeCount: attributeCount ?? other.attributeCount,
      attributeValueLength: attributeValueLength ?? other.attributeValueLength,
      spanAttributeCount: spanAttributeCount ?? other.spanAttributeCount,
      spanAttributeValueLength: spanAttributeValueLength ?? other.spanAttributeValueLength,
      eventCount: eventCount ?? other.eventCount, linkCount: linkCount ?? other.linkCount,
      eventAttributeCount: eventAttributeCount ?? other.eventAttributeCount,
      linkAttributeCount: linkAttributeCount ?? other.linkAttributeCount)
  }

  /// Every limit with the SDK's precedence and defaults applied.
  var resolved: ResolvedSpanLimits {
    let shared = attributeCount.map { max(0, $0) }
    func count(_ own: Int?, _ fallback: Int) -> Int { max(0, own ?? fallback) }
    let valueLength = attributeValueLength.map { max(0, $0) }
    return ResolvedSpanLimits(
      spanAttributes: count(spanAttributeCount, shared ?? Self.defaultCount),
      events: count(eventCount, Self.defaultCount),
      links: count(linkCount, Self.defaultCount),
      eventAttributes: count(eventAttributeCount, shared ?? Self.defaultCount),
      linkAttributes: count(linkAttributeCount, shared ?? Self.defaultCount),
      spanValueLength: spanAttributeValueLength.map { max(0, $0) } ?? valueLength,
      otherValueLength: valueLength)
  }
}

/// Span limits with every precedence rule applied: what the export thread enforces.
struct ResolvedSpanLimits: Hashable, Sendable {
  var spanAttributes: Int
  var events: Int
  var links: Int
  var eventAttributes: Int
  var linkAttributes: Int
  /// The longest span attribute value; `nil`: no limit.
  var spanValueLength: Int?
  /// The longest event or link attribute value; `nil`: no limit.
  var otherValueLength: Int?

  /// The SDK's defaults: 128 of everything, values whole.
  static let defaults = SpanLimits().resolved
}
