import Foundation
import Logging

/// Creates the sink from the process environment, as the reference's `create_otel_sink_from_env`:
/// `DSPY_RLM_OTEL_ENABLED` (default false), `OTEL_EXPORTER_OTLP_ENDPOINT` (default none),
/// `OTEL_SERVICE_NAME` (default `rlm-code`), `DSPY_RLM_OTEL_METRICS_ENABLED` (default true),
/// plus `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` (`otlp`, `console`, `none`).
public func createOtelSinkFromEnv() -> OpenTelemetrySink {
  createOtelSinkFromEnv(ProcessInfo.processInfo.environment)
}

/// Creates the sink from `environment` instead of the process's (for tests and embedding).
public func createOtelSinkFromEnv(
  _ environment: [String: String],
  configuration: OpenTelemetrySinkConfiguration = OpenTelemetrySinkConfiguration()
) -> OpenTelemetrySink {
  var configuration = configuration
  if let kind = EnvironmentValues.exporterKind(
    environment["OTEL_TRACES_EXPORTER"], logger: configuration.logger)
  {
    configuration.tracesExporter = kind
  }
  if let kind = EnvironmentValues.exporterKind(
    environment["OTEL_METRICS_EXPORTER"], logger: configuration.logger)
  {
    configuration.metricsExporter = kind
  }
  return OpenTelemetrySink(
    enabled: EnvironmentValues.bool(environment["DSPY_RLM_OTEL_ENABLED"], default: false),
    serviceName: environment["OTEL_SERVICE_NAME"] ?? "rlm-code",
    endpoint: environment["OTEL_EXPORTER_OTLP_ENDPOINT"],
    metricsEnabled: EnvironmentValues.bool(environment["DSPY_RLM_OTEL_METRICS_ENABLED"], default: true),
    configuration: configuration
  )
}

/// Reading environment variables the way the reference (and the OpenTelemetry SDK) reads them.
public enum EnvironmentValues {
  /// The reference's boolean: unset gives `defaultValue`; otherwise true exactly when the value,
  /// trimmed of whitespace (Python's `str.strip()`) and lower-cased, is `1`, `true`, `yes` or `on`.
  public static func bool(_ value: String?, default defaultValue: Bool) -> Bool {
    guard let value else { return defaultValue }
    return ["1", "true", "yes", "on"].contains(pythonStrip(value).lowercased())
  }

  /// `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER`: `otlp`, `console` or `none` (case and
  /// surrounding whitespace ignored; for a list, the first entry). `nil` when unset or empty;
  /// an unknown value is logged once and ignored.
  static func exporterKind(_ value: String?, logger: Logger) -> ExporterKind? {
    guard let value else { return nil }
    let first = value.split(separator: ",", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    let name = pythonStrip(first).lowercased()
    guard !name.isEmpty else { return nil }
    guard let kind = ExporterKind(rawValue: name) else {
      logger.warning("unknown exporter '\(name)'; expected otlp, console or none; using the default")
      return nil
    }
    return kind
  }

  /// Python's `str.strip()` with no argument: drops leading and trailing characters for which
  /// `str.isspace()` is true (Unicode White_Space plus the ASCII separators U+001C–U+001F).
  static func pythonStrip(_ text: String) -> String {
    func isSpace(_ scalar: Unicode.Scalar) -> Bool {
      scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isSpace($0) }),
      let last = scalars.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(scalars[first...last])
  }
}
