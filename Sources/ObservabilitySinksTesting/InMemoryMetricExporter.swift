import SinkSupport

/// Keeps every metric collection in memory so that tests can assert on the points.
public final class InMemoryMetricExporter: MetricExporter {
  private let collections = LockedValue<[[MetricData]]>([])

  /// The temporality the exporter asks for.
  public let preferredTemporality: AggregationTemporality

  /// Creates an empty exporter asking for `temporality` (cumulative by default).
  public init(temporality: AggregationTemporality = .cumulative) {
    preferredTemporality = temporality
  }

  /// Every collection exported so far, oldest first.
  public var exportedCollections: [[MetricData]] { collections.withLock { $0 } }

  /// The metric named `name` in the latest collection that has it.
  public func latest(_ name: String) -> MetricData? {
    collections.withLock { collections in
      for collection in collections.reversed() {
        if let metric = collection.first(where: { $0.name == name }) { return metric }
      }
      return nil
    }
  }

  /// Stores the collection.
  public func export(_ metrics: [MetricData], from source: TelemetrySource, timeout: Duration) -> ExportResult
  {
    collections.withLock { $0.append(metrics) }
    return .success
  }
}
