/// The series of one instrument, keyed by a text that stands for their attribute values, with the
/// OpenTelemetry cardinality limit: past `limit` distinct keys, every new key goes to one overflow
/// series marked `otel.metric.overflow=true`.
struct SeriesTable<Cell: AnyObject> {
  /// The attribute of an instrument with one attribute, whose value is the key itself.
  let attributeKey: String
  let limit: Int
  private(set) var cells: [String: Cell] = [:]
  /// Keys in the order their series appeared, so that exports are stable, with their attributes
  /// (built once, when the series appears).
  private(set) var order: [(key: String, attributes: [Attribute])] = []
  private(set) var overflow: Cell?

  static var overflowAttributes: [Attribute] { [Attribute("otel.metric.overflow", .bool(true))] }

  init(attributeKey: String = "", limit: Int) {
    self.attributeKey = attributeKey
    self.limit = limit
  }

  /// The series whose one attribute, `attributeKey`, has the value `key`.
  mutating func cell(for key: String, make: () -> Cell) -> Cell {
    let attributeKey = self.attributeKey
    return cell(for: key, attributes: [Attribute(attributeKey, .string(key))], make: make)
  }

  /// The series `key`, whose attributes are `attributes` (evaluated only for a new series).
  mutating func cell(for key: String, attributes: @autoclosure () -> [Attribute], make: () -> Cell) -> Cell {
    if let cell = cells[key] { return cell }
    if order.count >= limit {
      if let overflow { return overflow }
      let cell = make()
      overflow = cell
      return cell
    }
    let cell = make()
    cells[key] = cell
    order.append((key, attributes()))
    return cell
  }

  /// Every series with its attributes; the overflow series comes last.
  func series() -> [(attributes: [Attribute], cell: Cell)] {
    var out: [(attributes: [Attribute], cell: Cell)] = order.map { ($0.attributes, cells[$0.key]!) }
    if let overflow { out.append((Self.overflowAttributes, overflow)) }
    return out
  }
}
