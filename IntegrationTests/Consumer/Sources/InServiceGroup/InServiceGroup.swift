import Logging
import ObservabilitySinks
import ObservabilitySinksServiceLifecycle
import ServiceLifecycle

/// A server's way to run the sink: a service of a `ServiceGroup`, delivering on graceful shutdown.
/// Spans are held (the schedule is an hour away) until the group shuts down; the console
/// exporter then prints them.
@main
struct InServiceGroup {
  static func main() async throws {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.spanExporter = ConsoleSpanExporter()
    configuration.scheduleDelay = .seconds(3600)
    let sink = OpenTelemetrySink(enabled: true, metricsEnabled: false, configuration: configuration)
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: [sink], logger: Logger(label: "consumer")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      sink.onRunStart(runID: "service-run", task: "Add 2 and 3", environment: "local", params: RunParams())
      sink.onRunEnd(runID: "service-run", result: RunResult(completed: true, finalAnswer: "5"), runPath: "")
      print("before shutdown: \(sink.status().spansExported) exported")
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
    }
    print("after shutdown: \(sink.status().spansExported) exported")
  }
}
