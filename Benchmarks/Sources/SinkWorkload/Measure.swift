#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Monotonic nanoseconds from `clock_gettime(CLOCK_MONOTONIC)`: what every per-call figure is timed with.
@inline(__always)
func monotonicNanos() -> UInt64 {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
}

/// The median cost of two back-to-back `clock_gettime` calls, reported so readers can judge
/// sub-microsecond figures (it is included in every per-call sample).
func timerOverheadNanos() -> Double {
  var samples: [UInt64] = []
  samples.reserveCapacity(10_000)
  for _ in 0..<10_000 {
    let start = monotonicNanos()
    let end = monotonicNanos()
    samples.append(end - start)
  }
  return Percentiles(samples).p50
}

/// Percentiles of a set of per-call durations (nanoseconds), nearest-rank.
struct Percentiles {
  let count: Int
  let p50: Double
  let p90: Double
  let p99: Double
  let p999: Double
  let max: Double

  init(_ samples: [UInt64]) {
    let sorted = samples.sorted()
    count = sorted.count
    func rank(_ q: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      let index = Swift.min(sorted.count - 1, Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
      return Double(sorted[index])
    }
    p50 = rank(0.50)
    p90 = rank(0.90)
    p99 = rank(0.99)
    p999 = rank(0.999)
    max = Double(sorted.last ?? 0)
  }

  /// Microseconds, for the JSON report.
  var json: JSON {
    .object([
      ("count", .int(count)), ("p50_us", .number(p50 / 1000)), ("p90_us", .number(p90 / 1000)),
      ("p99_us", .number(p99 / 1000)), ("p999_us", .number(p999 / 1000)), ("max_us", .number(max / 1000)),
    ])
  }
}

/// CPU time this process has used so far (every thread: the caller's and the export threads),
/// user and system seconds, from `getrusage(RUSAGE_SELF)`.
func processCPUSeconds() -> (user: Double, system: Double) {
  var usage = rusage()
  #if canImport(Glibc)
    let who = __rusage_who_t(RUSAGE_SELF.rawValue)
  #else
    let who = RUSAGE_SELF
  #endif
  guard getrusage(who, &usage) == 0 else { return (0, 0) }
  func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
  return (seconds(usage.ru_utime), seconds(usage.ru_stime))
}

/// A field of `/proc/self/status` in kilobytes (`VmHWM` is the peak resident set size); 0 elsewhere.
func procStatusKilobytes(_ field: String) -> Int {
  guard let file = fopen("/proc/self/status", "r") else { return 0 }
  defer { fclose(file) }
  var line = [CChar](repeating: 0, count: 512)
  let prefix = field + ":"
  var lines = 0
  while lines < 200, fgets(&line, Int32(line.count), file) != nil {
    lines += 1
    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard text.hasPrefix(prefix) else { continue }
    let digits = text.dropFirst(prefix.count).filter(\.isNumber)
    return Int(digits) ?? 0
  }
  return 0
}

/// A minimal JSON value for the report (keys keep their order).
enum JSON: Sendable {
  case int(Int)
  case number(Double)
  case string(String)
  case bool(Bool)
  case null
  case object([(String, JSON)])
  case array([JSON])

  var text: String {
    switch self {
    case .int(let value): return String(value)
    case .number(let value):
      guard value.isFinite else { return "null" }
      return String((value * 1000).rounded() / 1000)
    case .string(let value): return JSON.quote(value)
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    case .array(let values):
      return "[" + values.map(\.text).joined(separator: ", ") + "]"
    case .object(let fields):
      return "{" + fields.map { JSON.quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
    }
  }

  private static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case _ where scalar.value < 0x20:
        out +=
          "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
          + String(scalar.value, radix: 16)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
