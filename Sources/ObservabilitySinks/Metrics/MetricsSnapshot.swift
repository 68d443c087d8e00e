/// The values of the instruments at one collection, taken under the recorder's lock and
/// turned into ``MetricData`` outside it.
struct MetricsSnapshot {
  struct SumValue {
    var attributes: [Attribute]
    var start: UInt64
    var value: Int64
  }

  struct HistogramValue {
    var attributes: [Attribute]
    var start: UInt64
    var accumulator: HistogramAccumulator
  }

  /// The points of one instrument, and the bucket bounds of a histogram.
  struct Series<Value> {
    var values: [Value]
    var bounds: [Double] = []
  }

  var time: UInt64
  var temporality: AggregationTemporality
  var runs: Series<SumValue>
  var steps: Series<SumValue>
  var reward: Series<HistogramValue>
  var runDuration: Series<HistogramValue>
  var tokens: Series<SumValue>
  var genAITokenUsage: Series<HistogramValue>
  var genAIDuration: Series<HistogramValue>

  /// The metrics in the reference's order, leaving out instruments with no point.
  func metricData() -> [MetricData] {
    var out: [MetricData] = []
    func sum(_ series: Series<SumValue>, _ name: String, _ description: String, _ unit: String = "1") {
      guard !series.values.isEmpty else { return }
      let points = series.values.map {
        SumDataPoint(
          attributes: $0.attributes, startTimeUnixNano: $0.start,
          timeUnixNano: time,
          value: $0.value)
      }
      out.append(
        MetricData(
          name: name, description: description, unit: unit,
          points: .sum(points, temporality: temporality, isMonotonic: true)))
    }
    func histogram(_ series: Series<HistogramValue>, _ name: String, _ description: String, _ unit: String) {
      guard !series.values.isEmpty else { return }
      let points = series.values.map { value in
        let accumulator = value.accumulator
        return HistogramDataPoint(
          attributes: value.attributes, startTimeUnixNano: value.start,
          timeUnixNano: time,
          count: accumulator.count, sum: accumulator.sum, min: accumulator.count > 0 ? accumulator.min : nil,
          max: accumulator.count > 0 ? accumulator.max : nil, explicitBounds: series.bounds,
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
    // Beyond the reference, and only once something was recorded: a run without token usage
    // exports exactly what the reference does.
    sum(tokens, "rlm.tokens", "Tokens used by the models of RLM runs", "{token}")
    histogram(
      genAITokenUsage, "gen_ai.client.token.usage", "Number of input and output tokens used", "{token}")
    histogram(genAIDuration, "gen_ai.client.operation.duration", "GenAI operation duration", "s")
    return out
  }
}
