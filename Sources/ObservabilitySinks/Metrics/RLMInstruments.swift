/// The four instruments of the reference, and those of model calls, with their series. Lives under the recorder's lock
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
  /// `rlm.tokens` and, with the GenAI conventions on, the GenAI client metrics.
  var models: ModelCallInstruments
  /// Histogram values refused because they were negative or not finite, as the SDK refuses them.
  var rejectedValues = 0

  init(cardinalityLimit: Int, bounds: [Double] = RLMInstruments.defaultBounds, genAIMetrics: Bool = false) {
    self.bounds = bounds
    models = ModelCallInstruments(cardinalityLimit: cardinalityLimit, genAIMetrics: genAIMetrics)
    runs = SeriesTable(attributeKey: "environment", limit: cardinalityLimit)
    steps = SeriesTable(attributeKey: "run_id", limit: cardinalityLimit)
    reward = SeriesTable(attributeKey: "run_id", limit: cardinalityLimit)
    runDuration = SeriesTable(attributeKey: "completed", limit: cardinalityLimit)
  }

  func stepsCell(runID: String, now: UInt64) -> SumCell {
    steps.cell(for: runID) { SumCell(startTime: now) }
  }

  func runsCell(environment: String, now: UInt64) -> SumCell {
    runs.cell(for: environment) { SumCell(startTime: now) }
  }

  func rewardCell(runID: String, now: UInt64) -> HistogramCell {
    let bucketCount = bounds.count + 1
    return reward.cell(for: runID) { HistogramCell(startTime: now, bucketCount: bucketCount) }
  }

  func durationCell(completed: String, now: UInt64) -> HistogramCell {
    let bucketCount = bounds.count + 1
    return runDuration.cell(for: completed) {
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

  /// The values of every series, read (and, for delta, reset) under the recorder's lock: plain
  /// numbers and shared bucket arrays, so that the lock is held only for the reading.
  func snapshot(at time: UInt64, temporality: AggregationTemporality) -> MetricsSnapshot {
    func sums(_ table: SeriesTable<SumCell>) -> MetricsSnapshot.Series<MetricsSnapshot.SumValue> {
      let values: [MetricsSnapshot.SumValue] = table.series().compactMap { attributes, cell in
        switch temporality {
        case .cumulative:
          return .init(attributes: attributes, start: cell.startTime, value: cell.value)
        case .delta:
          defer {
            cell.intervalValue = 0
            cell.intervalStart = time
          }
          return cell.intervalValue == 0
            ? nil : .init(attributes: attributes, start: cell.intervalStart, value: cell.intervalValue)
        }
      }
      return .init(values: values)
    }
    func histograms(_ table: SeriesTable<HistogramCell>, bounds: [Double])
      -> MetricsSnapshot.Series<MetricsSnapshot.HistogramValue>
    {
      let values: [MetricsSnapshot.HistogramValue] = table.series().compactMap { attributes, cell in
        switch temporality {
        case .cumulative:
          return .init(attributes: attributes, start: cell.startTime, accumulator: cell.total)
        case .delta:
          defer {
            cell.interval = HistogramAccumulator(bucketCount: bounds.count + 1)
            cell.intervalStart = time
          }
          return cell.interval.count == 0
            ? nil : .init(attributes: attributes, start: cell.intervalStart, accumulator: cell.interval)
        }
      }
      return .init(values: values, bounds: bounds)
    }
    return MetricsSnapshot(
      time: time, temporality: temporality, runs: sums(runs), steps: sums(steps),
      reward: histograms(reward, bounds: bounds), runDuration: histograms(runDuration, bounds: bounds),
      tokens: sums(models.tokens),
      genAITokenUsage: histograms(models.genAITokenUsage, bounds: ModelCallInstruments.tokenUsageBounds),
      genAIDuration: histograms(models.genAIDuration, bounds: ModelCallInstruments.durationBounds))
  }

}

extension RLMInstruments {
  /// Counts a step and records its reward in the run's series, found once per run.
  func recordStep(run: ActiveRun, runID: String, reward: Double, now: UInt64) {
    let steps = run.stepsCell ?? stepsCell(runID: runID, now: now)
    run.stepsCell = steps
    steps.add(1)
    guard acceptsHistogramValue(reward) else { return }
    let rewards = run.rewardCell ?? rewardCell(runID: runID, now: now)
    run.rewardCell = rewards
    rewards.record(reward, bounds: bounds)
  }
}
