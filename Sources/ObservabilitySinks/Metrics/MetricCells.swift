/// The running total of one counter series. Mutated only under the recorder's lock.
final class SumCell {
  let startTime: UInt64
  var value: Int64 = 0
  /// Where the current delta interval started.
  var intervalStart: UInt64
  var intervalValue: Int64 = 0

  init(startTime: UInt64) {
    self.startTime = startTime
    intervalStart = startTime
  }

  func add(_ amount: Int64) {
    value &+= amount
    intervalValue &+= amount
  }
}

/// The running state of one explicit-bucket histogram series. Mutated only under the
/// recorder's lock.
final class HistogramCell {
  let startTime: UInt64
  var total: HistogramAccumulator
  var interval: HistogramAccumulator
  var intervalStart: UInt64

  init(startTime: UInt64, bucketCount: Int) {
    self.startTime = startTime
    intervalStart = startTime
    total = HistogramAccumulator(bucketCount: bucketCount)
    interval = total
  }

  func record(_ value: Double, bounds: [Double]) {
    let bucket = HistogramAccumulator.bucketIndex(of: value, bounds: bounds)
    total.record(value, bucket: bucket)
    interval.record(value, bucket: bucket)
  }
}

/// Count, sum, min, max and bucket counts of recorded values.
struct HistogramAccumulator {
  var count: UInt64 = 0
  var sum: Double = 0
  var min: Double = .infinity
  var max: Double = -.infinity
  var bucketCounts: [UInt64]

  init(bucketCount: Int) {
    bucketCounts = Array(repeating: 0, count: bucketCount)
  }

  mutating func record(_ value: Double, bucket: Int) {
    count += 1
    sum += value
    if value < min { min = value }
    if value > max { max = value }
    bucketCounts[bucket] += 1
  }

  /// The bucket of `value`: bucket `i` holds `(bounds[i-1], bounds[i]]`, the last one the rest.
  static func bucketIndex(of value: Double, bounds: [Double]) -> Int {
    // Binary search for the first bound >= value; 15 bounds take 4 comparisons.
    var low = 0
    var high = bounds.count
    while low < high {
      let middle = (low + high) / 2
      if bounds[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
