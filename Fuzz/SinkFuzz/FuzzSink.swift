import Logging
import ObservabilitySinks

/// The sink a target records into: enabled, without an exporter (nothing leaves the process, no
/// thread is started), blind to the process environment, silent. A new one per input, so that a
/// finding never depends on what earlier inputs left behind, and an input's memory is all freed
/// by its end (libFuzzer's leak check would otherwise scan the heap after every input).
enum FuzzSink {
  static func make() -> OpenTelemetrySink {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.exitFlushTimeout = nil
    configuration.logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
    return OpenTelemetrySink(enabled: true, configuration: configuration)
  }
}
