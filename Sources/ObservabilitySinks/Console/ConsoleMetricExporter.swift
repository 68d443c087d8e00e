/// Prints each metric collection as one line per series. Chosen by `OTEL_METRICS_EXPORTER=console`.
public final class ConsoleMetricExporter: MetricExporter {
  private let output: ConsoleOutput

  /// Creates an exporter writing to `output` (standard output by default).
  public init(output: ConsoleOutput = .standardOutput) {
    self.output = output
  }

  /// Prints the collection.
  public func export(_ metrics: [MetricData], from source: TelemetrySource, timeout: Duration) -> ExportResult
  {
    var lines = ["Metrics:"]
    for metric in metrics {
      switch metric.points {
      case .sum(let points, _, _):
        for point in points {
          lines.append("   \(metric.name){\(labels(point.attributes))} = \(point.value)")
        }
      case .histogram(let points, _):
        for point in points {
          let min = point.min.map { String($0) } ?? "-"
          let max = point.max.map { String($0) } ?? "-"
          lines.append(
            "   \(metric.name){\(labels(point.attributes))} count=\(point.count) sum=\(point.sum) min=\(min) max=\(max) \(metric.unit)"
          )
        }
      }
    }
    output.write(lines.joined(separator: "\n") + "\n\n")
    return .success
  }

  private func labels(_ attributes: [Attribute]) -> String {
    attributes.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
  }
}
