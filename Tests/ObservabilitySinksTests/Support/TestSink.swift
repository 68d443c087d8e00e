import Foundation
import ObservabilitySinks
import ObservabilitySinksTesting
import TelemetryModel

/// A sink wired to in-memory exporters, with helpers to read what it exported.
struct TestSink {
  let sink: OpenTelemetrySink
  let spans = InMemorySpanExporter()
  let metrics: InMemoryMetricExporter

  init(
    metricsEnabled: Bool = true, temporality: AggregationTemporality = .cumulative,
    configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
  ) {
    metrics = InMemoryMetricExporter(temporality: temporality)
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.spanExporter = spans
    configuration.metricExporter = metrics
    configuration.environment = [:]
    configure(&configuration)
    sink = OpenTelemetrySink(enabled: true, metricsEnabled: metricsEnabled, configuration: configuration)
  }

  /// Flushes and returns every span exported so far.
  func flushedSpans() -> [SpanData] {
    sink.syncForceFlush(timeout: .seconds(10))
    return spans.finishedSpans
  }

  func spans(named name: String) -> [SpanData] {
    flushedSpans().filter { $0.name == name }
  }

  /// Flushes and returns the latest collection of `name`.
  func metric(_ name: String) -> MetricData? {
    sink.syncForceFlush(timeout: .seconds(10))
    return metrics.latest(name)
  }

  func sumPoints(_ name: String) -> [SumDataPoint] {
    guard case .sum(let points, _, _)? = metric(name)?.points else { return [] }
    return points
  }

  func histogramPoints(_ name: String) -> [HistogramDataPoint] {
    guard case .histogram(let points, _)? = metric(name)?.points else { return [] }
    return points
  }
}

extension SpanData {
  func attribute(_ key: String) -> AttributeValue? { attributes[key] }
  func event(_ name: String) -> SpanData.Event? { events.first { $0.name == name } }
}

/// Loads a file of `Fixtures/`.
func fixture(_ path: String) throws -> String {
  guard let url = Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil) else {
    throw FixtureMissing(path: path)
  }
  return try String(contentsOf: url, encoding: .utf8)
}

struct FixtureMissing: Error {
  var path: String
}
