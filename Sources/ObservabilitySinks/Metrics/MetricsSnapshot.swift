/// The values of the four instruments at one collection, taken under the recorder's lock and
/// turned into ``MetricData`` outside it.
struct MetricsSnapshot {
  struct SumValue {
    var key: String?
    var start: UInt64
    var value: Int64
  }

  struct HistogramValue {
    var key: String?
    var start: UInt64
    var accumulator: HistogramAccumulator
  }

  /// The points of one instrument, and the key of its one attribute.
  struct Series<Value> {
    var attributeKey: String
    var values: [Value]
  }

  var time: UInt64
  var temporality: AggregationTemporality
  var bounds: [Double]
  var runs: Series<SumValue>
  var steps: Series<SumValue>
  var reward: Series<HistogramValue>
  var runDuration: Series<HistogramValue>

  /// The metrics in the reference's order, leaving out instruments with no point.
  func metricData() -> [MetricData] {
    var out: [MetricData] = []
    func attributes(_ key: String?, _ attributeKey: String) -> [Attribute] {
      key.map { [Attribute(attributeKey, .string($0))] } ?? [Attribute("otel.metric.overflow", .bool(true))]
    }
    func sum(_ series: Series<SumValue>, _ name: String, _ description: String) {
      guard !series.values.isEmpty else { return }
      let points = series.values.map {
        SumDataPoint(
          attributes: attributes($0.key, series.attributeKey), startTimeUnixNano: $0.start,
          timeUnixNano: time,
          value: $0.value)
      }
      out.append(
        MetricData(
          name: name, description: description, unit: "1",
          points: .sum(points, temporality: temporality, isMonotonic: true)))
    }
    func histogram(_ series: Series<HistogramValue>, _ name: String, _ description: String, _ unit: String) {
      guard !series.values.isEmpty else { return }
      let points = series.values.map { value in
        let accumulator = value.accumulator
        return HistogramDataPoint(
          attributes: attributes(value.key, series.attributeKey), startTimeUnixNano: value.start,
          timeUnixNano: time,
          count: accumulator.count, sum: accumulator.sum, min: accumulator.count > 0 ? accumulator.min : nil,
          max: accumulator.count > 0 ? accumulator.max : nil, explicitBounds: bounds,
          bucketCounts: accumulator.bucketCounts)
      }
      out.append(
        MetricData(
          name: name, description: description, unit: unit,
          points: .histogram(points, temporality: temporality)))
    }
    sum(runs, "rlm.runs", "Number of RLM runs")
    sum(steps, "rlm.steps", "Number of RLM steps")
    histogram(reward, "rlm.reward", "Reward distribution", "1")
    histogram(runDuration, "rlm.run_duration", "Run duration in seconds", "s")
    return out
  }
}
