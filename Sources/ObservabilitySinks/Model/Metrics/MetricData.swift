/// How successive exports of a series relate to each other.
public enum AggregationTemporality: Int32, Hashable, Sendable {
  /// Each export carries what was recorded since the previous one.
  case delta = 1
  /// Each export carries everything recorded since the series started.
  case cumulative = 2
}

/// One collected metric instrument with its data points, in the shape an exporter sends it.
public struct MetricData: Hashable, Sendable {
  /// The instrument's name, e.g. `rlm.steps`.
  public var name: String
  /// The instrument's description.
  public var description: String
  /// The instrument's unit, e.g. `1` or `s`.
  public var unit: String
  /// The points, by instrument kind.
  public var points: MetricPoints

  /// Creates a collected metric.
  public init(name: String, description: String, unit: String, points: MetricPoints) {
    self.name = name
    self.description = description
    self.unit = unit
    self.points = points
  }
}

/// The data points of one metric, by kind.
public enum MetricPoints: Hashable, Sendable {
  /// An integer sum (a counter), monotonic or not.
  case sum([SumDataPoint], temporality: AggregationTemporality, isMonotonic: Bool)
  /// An explicit-bucket histogram.
  case histogram([HistogramDataPoint], temporality: AggregationTemporality)
}

/// One series of an integer sum.
public struct SumDataPoint: Hashable, Sendable {
  /// The attribute set that identifies the series.
  public var attributes: [Attribute]
  /// When the series (cumulative) or the interval (delta) started, Unix nanoseconds.
  public var startTimeUnixNano: UInt64
  /// When the point was collected, Unix nanoseconds.
  public var timeUnixNano: UInt64
  /// The sum.
  public var value: Int64

  /// Creates a sum point.
  public init(attributes: [Attribute], startTimeUnixNano: UInt64, timeUnixNano: UInt64, value: Int64) {
    self.attributes = attributes
    self.startTimeUnixNano = startTimeUnixNano
    self.timeUnixNano = timeUnixNano
    self.value = value
  }
}

/// One series of an explicit-bucket histogram.
public struct HistogramDataPoint: Hashable, Sendable {
  /// The attribute set that identifies the series.
  public var attributes: [Attribute]
  /// When the series (cumulative) or the interval (delta) started, Unix nanoseconds.
  public var startTimeUnixNano: UInt64
  /// When the point was collected, Unix nanoseconds.
  public var timeUnixNano: UInt64
  /// How many values were recorded.
  public var count: UInt64
  /// The sum of the recorded values.
  public var sum: Double
  /// The smallest recorded value; `nil` when nothing was recorded.
  public var min: Double?
  /// The largest recorded value; `nil` when nothing was recorded.
  public var max: Double?
  /// Upper bounds of every bucket but the last, strictly increasing.
  public var explicitBounds: [Double]
  /// One count per bucket: `explicitBounds.count + 1` entries; bucket `i` holds the values in
  /// `(explicitBounds[i-1], explicitBounds[i]]`.
  public var bucketCounts: [UInt64]

  /// Creates a histogram point.
  public init(
    attributes: [Attribute], startTimeUnixNano: UInt64, timeUnixNano: UInt64, count: UInt64, sum: Double,
    min: Double?, max: Double?, explicitBounds: [Double], bucketCounts: [UInt64]
  ) {
    self.attributes = attributes
    self.startTimeUnixNano = startTimeUnixNano
    self.timeUnixNano = timeUnixNano
    self.count = count
    self.sum = sum
    self.min = min
    self.max = max
    self.explicitBounds = explicitBounds
    self.bucketCounts = bucketCounts
  }
}
