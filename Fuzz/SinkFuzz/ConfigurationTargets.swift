import Logging
import ObservabilitySinks
import SinkSupport
import Synchronization

/// The endpoint parser and every environment-variable parser.
enum ConfigurationTargets {
  /// A parsed endpoint's target has no URL scheme (only `dns:///`, for a host the core would
  /// read as a resolver scheme) and a valid port, and parses to itself again.
  static func endpoint(_ bytes: [UInt8]) {
    check(endpoint: String(decoding: bytes, as: UTF8.self))
  }

  private static func check(endpoint text: String) {
    guard let endpoint = try? OTLPEndpoint(text) else { return }
    let target = endpoint.target
    let withoutResolver = target.hasPrefix("dns:///") ? String(target.dropFirst(7)) : target
    invariant(
      !withoutResolver.isEmpty && !withoutResolver.contains("://"), "target \(target.debugDescription)")
    if !target.hasPrefix("unix:") {
      // Split bytes, not Characters: a non-ASCII scalar may merge with the ":" after it.
      let port = target.utf8.split(separator: UInt8(ascii: ":")).last.flatMap {
        Int(String(decoding: $0, as: UTF8.self))
      }
      invariant(port.map { (1...65535).contains($0) } ?? false, "port of \(target.debugDescription)")
    }
    let again = try? OTLPEndpoint(target)
    invariant(again?.target == target, "target \(target.debugDescription) does not parse to itself")
  }

  /// Header values are secrets: no warning ever shows one.
  private static let secret = "zq7-fuzz-secret-zq7"

  /// Input: `NAME=VALUE` lines; a name that is not a variable we read picks one by its bytes, so
  /// that mutated names still reach a parser. Settings come out sane and no warning leaks a header.
  static func environment(_ bytes: [UInt8]) {
    guard !String(decoding: bytes, as: UTF8.self).contains(secret) else { return }
    var values: [String: String] = [:]
    for line in bytes.split(separator: 0x0A) {
      let text = String(decoding: line, as: UTF8.self)
      let name = text.firstIndex(of: "=").map { String(text[..<$0]) } ?? ""
      let value = text.firstIndex(of: "=").map { String(text[text.index(after: $0)...]) } ?? text
      values[
        variables.contains(name) ? name : variables[name.utf8.reduce(0) { $0 &+ Int($1) } % variables.count]] =
        value
    }
    let headersName = "OTEL_EXPORTER_OTLP_HEADERS"
    values[headersName] = (values[headersName].map { $0 + "," } ?? "") + "x-fuzz=\(secret)"

    let warnings = WarningLog()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = values
    configuration.logger = Logger(label: "fuzz") { _ in CollectingLogHandler(log: warnings) }
    for name in ["DSPY_RLM_OTEL_ENABLED", "DSPY_RLM_OTEL_METRICS_ENABLED"] {
      invariant(
        EnvironmentValues.bool(values[name], default: false)
          == EnvironmentValues.bool(values[name], default: true) || values[name] == nil,
        "a set boolean ignores the default")
    }
    let settings = SinkSettings(configuration: configuration, endpoint: values["OTEL_EXPORTER_OTLP_ENDPOINT"])
    for options in [settings.traces, settings.metrics] {
      invariant(options.timeout.map { $0 >= .zero } ?? true, "negative timeout")
      invariant(options.effectiveTimeout > .zero, "effective timeout")
      invariant(options.headers?.allSatisfy { !$0.key.isEmpty } ?? true, "empty header key")
      if let endpoint = options.endpoint { check(endpoint: endpoint) }
    }
    invariant(settings.resourceAttributes.allSatisfy { !$0.key.isEmpty }, "empty resource attribute key")
    invariant(
      !warnings.messages.withLock { $0.contains { $0.contains(secret) } }, "a warning shows a header value")
  }

  private static let variables: [String] = {
    var names = [
      "DSPY_RLM_OTEL_ENABLED", "DSPY_RLM_OTEL_METRICS_ENABLED", "OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME",
      "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_BSP_SCHEDULE_DELAY",
      "OTEL_BSP_EXPORT_TIMEOUT", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      "OTEL_METRIC_EXPORT_INTERVAL", "OTEL_METRIC_EXPORT_TIMEOUT",
      "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "TRACEPARENT", "TRACESTATE",
    ]
    for prefix in ["OTEL_EXPORTER_OTLP_", "OTEL_EXPORTER_OTLP_TRACES_", "OTEL_EXPORTER_OTLP_METRICS_"] {
      for suffix in ["ENDPOINT", "HEADERS", "TIMEOUT", "COMPRESSION", "INSECURE", "PROTOCOL", "CERTIFICATE"] {
        names.append(prefix + suffix)
      }
    }
    return names
  }()
}

/// The warnings a sink's settings logged.
final class WarningLog: Sendable {
  let messages = LockedValue<[String]>([])
}

/// A swift-log handler that keeps every message in a ``WarningLog``.
struct CollectingLogHandler: LogHandler {
  let log: WarningLog
  var metadata: Logger.Metadata = [:]
  var metadataProvider: Logger.MetadataProvider?
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    log.messages.withLock { $0.append(event.message.description) }
  }
}
