import ObservabilitySinks
import TelemetryModel
import Testing

@Suite("The four instruments: counters, histograms, cardinality limit")
struct MetricsTests {
  static let bounds: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]

  private func run(_ test: TestSink, _ runID: String, environment: String = "e", rewards: [Double]) {
    test.sink.onRunStart(runID: runID, task: "t", environment: environment, params: RunParams())
    for (index, reward) in rewards.enumerated() {
      test.sink.onStep(runID: runID, event: StepEvent(step: index + 1, reward: reward), cumulativeReward: 0)
    }
  }

  @Test func metadataMatchesTheReference() throws {
    let test = TestSink()
    run(test, "r", rewards: [1])
    test.sink.onRunEnd(
      runID: "r",
      result: RunResult(
        startedAt: ISO8601Timestamp("2025-01-15T11:00:00+00:00"),
        finishedAt: ISO8601Timestamp("2025-01-15T11:00:02.5+00:00")),
      runPath: "")
    let expected: [String: (String, String)] = [
      "rlm.runs": ("Number of RLM runs", "1"), "rlm.steps": ("Number of RLM steps", "1"),
      "rlm.reward": ("Reward distribution", "1"), "rlm.run_duration": ("Run duration in seconds", "s"),
    ]
    for (name, (description, unit)) in expected {
      let metric = try #require(test.metric(name))
      #expect(metric.description == description && metric.unit == unit)
    }
    guard case .sum(_, let temporality, let monotonic)? = test.metric("rlm.runs")?.points else {
      Issue.record("rlm.runs is not a sum")
      return
    }
    #expect(temporality == .cumulative && monotonic)
  }

  @Test(arguments: [
    (0.0, 0), (-0.0, 0), (0.5, 1), (5.0, 1), (5.000001, 2), (10.0, 2), (99.9, 6), (100.0, 6), (10000.0, 14),
    (10000.5, 15), (1e9, 15),
  ])
  func valueLandsInTheBucketWhoseUpperBoundIsInclusive(value: Double, bucket: Int) throws {
    let test = TestSink()
    run(test, "r", rewards: [value])
    let point = try #require(test.histogramPoints("rlm.reward").first)
    var expected = [UInt64](repeating: 0, count: 16)
    expected[bucket] = 1
    #expect(point.bucketCounts == expected)
    #expect(point.explicitBounds == Self.bounds)
  }

  @Test func histogramKeepsCountSumMinMax() throws {
    let test = TestSink()
    run(test, "r", rewards: [0.5, 3, 12, 0])
    let point = try #require(test.histogramPoints("rlm.reward").first)
    #expect(point.count == 4 && point.sum == 15.5 && point.min == 0 && point.max == 12)
    #expect(point.bucketCounts.reduce(0, +) == point.count)
    #expect(point.attributes == [Attribute("run_id", .string("r"))])
  }

  @Test func countersAreKeyedByTheirAttribute() throws {
    let test = TestSink()
    run(test, "a", environment: "dspy", rewards: [1, 1, 1])
    run(test, "b", environment: "dspy", rewards: [1])
    run(test, "c", environment: "generic", rewards: [])
    let runs = Dictionary(uniqueKeysWithValues: test.sumPoints("rlm.runs").map { ($0.attributes, $0.value) })
    #expect(
      runs == [
        [Attribute("environment", .string("dspy"))]: 2, [Attribute("environment", .string("generic"))]: 1,
      ])
    let steps = Dictionary(
      uniqueKeysWithValues: test.sumPoints("rlm.steps").map { ($0.attributes, $0.value) })
    #expect(steps == [[Attribute("run_id", .string("a"))]: 3, [Attribute("run_id", .string("b"))]: 1])
  }

  @Test func negativeRewardsAreRefusedCountedAndCreateNoSeries() throws {
    let test = TestSink()
    run(test, "neg", rewards: [-0.1, -0.2])
    run(test, "mixed", rewards: [-1, 0])
    let points = test.histogramPoints("rlm.reward")
    #expect(points.map(\.attributes) == [[Attribute("run_id", .string("mixed"))]])
    #expect(points.first?.count == 1)
    #expect(test.sink.status().metricValuesRejected == 3)
    let steps = test.sumPoints("rlm.steps").map(\.value)
    #expect(steps.sorted() == [2, 2])
  }

  @Test func seriesBeyondTheCardinalityLimitFoldIntoOneOverflowSeries() throws {
    let test = TestSink { $0.cardinalityLimit = 3 }
    for index in 0..<6 { run(test, "r\(index)", rewards: [1]) }
    let points = test.sumPoints("rlm.steps")
    #expect(points.count == 4)
    #expect(points.prefix(3).map(\.attributes) == (0..<3).map { [Attribute("run_id", .string("r\($0)"))] })
    #expect(points.last?.attributes == [Attribute("otel.metric.overflow", .bool(true))])
    #expect(points.last?.value == 3)
    #expect(points.map(\.value).reduce(0, +) == 6)
  }

  @Test func cumulativeSeriesKeepTheirStartTimeAcrossCollections() throws {
    let test = TestSink()
    run(test, "r", rewards: [1])
    let first = try #require(test.sumPoints("rlm.steps").first)
    test.sink.onStep(runID: "r", event: StepEvent(step: 2, reward: 2), cumulativeReward: 3)
    let second = try #require(test.sumPoints("rlm.steps").first)
    #expect(second.startTimeUnixNano == first.startTimeUnixNano)
    #expect(second.timeUnixNano >= first.timeUnixNano)
    #expect((first.value, second.value) == (1, 2))
  }

  @Test func deltaTemporalityStartsANewIntervalAtEachCollection() throws {
    let test = TestSink(temporality: .delta)
    run(test, "r", rewards: [1, 2])
    let first = try #require(test.sumPoints("rlm.steps").first)
    test.sink.onStep(runID: "r", event: StepEvent(step: 3, reward: 4), cumulativeReward: 7)
    let second = try #require(test.sumPoints("rlm.steps").first)
    #expect((first.value, second.value) == (2, 1))
    #expect(second.startTimeUnixNano >= first.timeUnixNano)
    let reward = try #require(test.histogramPoints("rlm.reward").first)
    #expect(reward.count == 1 && reward.sum == 4)
  }

  @Test func runDurationNeedsBothTimestampsOfTheSameKind() throws {
    let test = TestSink()
    let cases: [(String?, String?)] = [
      ("2025-01-15T10:00:00.000000+00:00", "2025-01-15T10:00:00.600000+00:00"),  // 0.6 s
      ("2025-01-15T10:00:00", "2025-01-15T10:00:02"),  // naive pair: 2 s
      ("2025-01-15T10:00:00", "2025-01-15T10:00:02+00:00"),  // mixed: none
      (nil, "2025-01-15T10:00:02+00:00"),  // missing: none
      ("garbage", "2025-01-15T10:00:02+00:00"),  // unparseable: none
      ("2025-01-15T12:00:00+02:00", "2025-01-15T10:00:03Z"),  // offsets honoured: 3 s
    ]
    for (index, (start, end)) in cases.enumerated() {
      test.sink.onRunStart(runID: "r\(index)", task: "t", environment: "e", params: RunParams())
      test.sink.onRunEnd(
        runID: "r\(index)",
        result: RunResult(
          completed: true, startedAt: start.flatMap(ISO8601Timestamp.init),
          finishedAt: end.flatMap(ISO8601Timestamp.init)),
        runPath: "")
    }
    let point = try #require(test.histogramPoints("rlm.run_duration").first)
    #expect(point.attributes == [Attribute("completed", .string("True"))])
    #expect(point.count == 3)
    #expect(abs(point.sum - 5.6) < 1e-12)
    #expect(point.min == 0.6 && point.max == 3)
  }

  @Test func disabledMetricsRecordNoInstrument() {
    let test = TestSink(metricsEnabled: false)
    run(test, "r", rewards: [1])
    test.sink.onRunEnd(runID: "r", result: RunResult(), runPath: "")
    #expect(test.metric("rlm.runs") == nil)
    #expect(test.metrics.exportedCollections.isEmpty)
    #expect(test.flushedSpans().count == 2)
  }
}
