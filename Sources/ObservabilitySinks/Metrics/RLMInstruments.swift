import TelemetryModel

/// The four instruments of the reference, with their series. Lives under the recorder's lock
/// (a class, so that updating a series never copies a table).
final class RLMInstruments {
  /// The SDK's default explicit bucket bounds.
  static let defaultBounds: [Double] = [
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
  ]

  let bounds: [Double]
  var runs: SeriesTable<SumCell>
  var steps: SeriesTable<SumCell>
  var reward: SeriesTable<HistogramCell>
  var runDuration: SeriesTable<HistogramCell>
  /// Histogram values refused because they were negative or not finite, as the SDK refuses them.
  var rejectedValues = 0

  init(cardinalityLimit: Int, bounds: [Double] = RLMInstruments.defaultBounds) {
    self.bounds = bounds
    runs = SeriesTable(attributeKey: "environment", limit: cardinalityLimit)
    steps = SeriesTable(attributeKey: "run_id", limit: cardinalityLimit)
    reward = SeriesTable(attributeKey: "run_id", limit: cardinalityLimit)
    runDuration = SeriesTable(attributeKey: "completed", limit: cardinalityLimit)
  }

  func stepsCell(runId: String, now: UInt64) -> SumCell {
    steps.cell(for: runId) { SumCell(startTime: now) }
  }

  func runsCell(environment: String, now: UInt64) -> SumCell {
    runs.cell(for: environment) { SumCell(startTime: now) }
  }

  func rewardCell(runId: String, now: UInt64) -> HistogramCell {
    let bucketCount = bounds.count + 1
    return reward.cell(for: runId) { HistogramCell(startTime: now, bucketCount: bucketCount) }
  }

  func durationCell(completed: Bool, now: UInt64) -> HistogramCell {
    let bucketCount = bounds.count + 1
    return runDuration.cell(for: completed ? "True" : "False") {
      HistogramCell(startTime: now, bucketCount: bucketCount)
    }
  }

  /// Whether a histogram takes `value`: the SDK refuses negative values (and we refuse NaN and
  /// infinities, which would poison the sum); a refused value creates no series and is counted.
  func acceptsHistogramValue(_ value: Double) -> Bool {
    guard value >= 0, value.isFinite else {
      rejectedValues += 1
      return false
    }
    return true
  }

  /// The current points of every instrument that has a series, in the reference's order.
  func collect(at time: UInt64, temporality: AggregationTemporality) -> [MetricData] {
    var out: [MetricData] = []
    func sum(_ table: SeriesTable<SumCell>, _ name: String, _ description: String) {
      guard !table.isEmpty else { return }
      var points: [SumDataPoint] = []
      for (attributes, cell) in table.series() {
        switch temporality {
        case .cumulative:
          points.append(
            SumDataPoint(
              attributes: attributes, startTimeUnixNano: cell.startTime, timeUnixNano: time, value: cell.value
            ))
        case .delta:
          if cell.intervalValue != 0 {
            points.append(
              SumDataPoint(
                attributes: attributes, startTimeUnixNano: cell.intervalStart, timeUnixNano: time,
                value: cell.intervalValue))
          }
          cell.intervalValue = 0
          cell.intervalStart = time
        }
      }
      guard !points.isEmpty else { return }
      out.append(
        MetricData(
          name: name, description: description, unit: "1",
          points: .sum(points, temporality: temporality, isMonotonic: true)))
    }
    func histogram(_ table: SeriesTable<HistogramCell>, _ name: String, _ description: String, _ unit: String)
    {
      guard !table.isEmpty else { return }
      var points: [HistogramDataPoint] = []
      for (attributes, cell) in table.series() {
        let accumulator: HistogramAccumulator
        let start: UInt64
        switch temporality {
        case .cumulative:
          accumulator = cell.total
          start = cell.startTime
        case .delta:
          accumulator = cell.interval
          start = cell.intervalStart
          cell.interval = HistogramAccumulator(bucketCount: bounds.count + 1)
          cell.intervalStart = time
          if accumulator.count == 0 { continue }
        }
        points.append(
          HistogramDataPoint(
            attributes: attributes, startTimeUnixNano: start, timeUnixNano: time, count: accumulator.count,
            sum: accumulator.sum, min: accumulator.count > 0 ? accumulator.min : nil,
            max: accumulator.count > 0 ? accumulator.max : nil, explicitBounds: bounds,
            bucketCounts: accumulator.bucketCounts))
      }
      guard !points.isEmpty else { return }
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

extension RLMInstruments {
  /// Counts a step and records its reward in the run's series, found once per run.
  func recordStep(run: ActiveRun, runId: String, reward: Double, now: UInt64) {
    let steps = run.stepsCell ?? stepsCell(runId: runId, now: now)
    run.stepsCell = steps
    steps.add(1)
    guard acceptsHistogramValue(reward) else { return }
    let rewards = run.rewardCell ?? rewardCell(runId: runId, now: now)
    run.rewardCell = rewards
    rewards.record(reward, bounds: bounds)
  }
}
