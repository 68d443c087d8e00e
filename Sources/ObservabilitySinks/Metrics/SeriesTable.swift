/// The series of one instrument, keyed by the value of its single attribute, with the
/// OpenTelemetry cardinality limit: past `limit` distinct values, every new value goes to one
/// overflow series marked `otel.metric.overflow=true`.
struct SeriesTable<Cell: AnyObject> {
  let attributeKey: String
  let limit: Int
  private(set) var cells: [String: Cell] = [:]
  /// Keys in the order their series appeared, so that exports are stable.
  private(set) var order: [String] = []
  private(set) var overflow: Cell?

  init(attributeKey: String, limit: Int) {
    self.attributeKey = attributeKey
    self.limit = limit
  }

  mutating func cell(for key: String, make: () -> Cell) -> Cell {
    if let cell = cells[key] { return cell }
    if order.count >= limit {
      if let overflow { return overflow }
      let cell = make()
      overflow = cell
      return cell
    }
    let cell = make()
    cells[key] = cell
    order.append(key)
    return cell
  }

  /// Every series by its attribute value (`nil` for the overflow series, which comes last).
  func series() -> [(key: String?, cell: Cell)] {
    var out: [(key: String?, cell: Cell)] = order.map { ($0, cells[$0]!) }
    if let overflow { out.append((nil, overflow)) }
    return out
  }
}
