import Foundation
import ObservabilitySinks
import SinkSupport
import TestSupport
import Testing

/// A fresh spool directory of the test's own.
func makeSpoolDirectory() throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
  return path
}

/// Every file in a spool directory.
func spoolFiles(_ directory: String) -> [String] {
  (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
}

/// The segment files in a spool directory.
func spoolSegments(_ directory: String) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".seg") }
}

@Suite("Spool: nothing is lost to an outage through shutdown or to a burst", .serialized)
struct SpoolDeliveryTests {
  static func sink(
    _ endpoint: String, spool: String, logs: CapturedLogs? = nil, serviceName: String = "rlm-code",
    rescan: Duration? = nil
  ) -> OpenTelemetrySink {
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = [:]
    configuration.spoolDirectory = spool
    configuration.spoolRescanInterval = rescan
    configuration.exportTimeout = .seconds(1)
    if let logs { configuration.logger = logs.logger }
    return OpenTelemetrySink(
      enabled: true, serviceName: serviceName, endpoint: endpoint, metricsEnabled: false,
      configuration: configuration)
  }

  @Test func aCollectorDownThroughShutdownLosesNothingAndTheNextSinkSendsIt() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    // Where a receiver was: nothing listens there now.
    let gone = try OTLPTestReceiver()
    let deadEndpoint = gone.endpoint
    gone.stop()

    let logs = CapturedLogs()
    let first = Self.sink(deadEndpoint, spool: spool, logs: logs, serviceName: "first-process")
    playRuns(first, runs: 3, steps: 5)
    #expect(!first.syncShutdown(timeout: .seconds(3)))
    let left = first.status()
    #expect(left.spansRecorded == 18)
    #expect(left.spansFailed == 0 && left.spansDropped == 0)
    #expect(left.spoolSpans == 18)
    #expect(left.spansPending == 18)
    let warnings = logs.messages.withLock { $0 }
    #expect(warnings.contains { $0.contains("kept in the spool, sent again later") }, "\(warnings)")
    #expect(!spoolSegments(spool).isEmpty)

    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let second = Self.sink(receiver.endpoint, spool: spool, serviceName: "second-process")
    playRuns(second, runs: 1, steps: 1, prefix: "own")
    #expect(second.syncShutdown(timeout: .seconds(10)))
    // Each span under the resource of the process that recorded it.
    let own = receiver.spans().filter { $0.resourceAttributes["service.name"] == .string("second-process") }
    #expect(own.count == 2)
    let spans = receiver.spans().filter { $0.resourceAttributes["service.name"] == .string("first-process") }
    #expect(spans.count == 18)
    #expect(Set(spans.map(\.spanID)).count == 18)
    #expect(spans.filter { $0.name == "rlm.run" }.count == 3)
    let status = second.status()
    #expect(status.spansRecovered == 18 && status.runsRecovered == 0)
    #expect(status.spansExported == 20 && status.spansPending == 0 && status.spoolSpans == 0)
    #expect(spoolSegments(spool).isEmpty)
  }

  /// A long-lived sink sends what a neighbour on the same directory left when it shut down with
  /// its collector down after this one started: found by the periodic rescan, not a restart.
  @Test func aLongLivedSinkSendsWhatANeighbourLeftWithoutARestart() async throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let gone = try OTLPTestReceiver()
    let deadEndpoint = gone.endpoint
    gone.stop()
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }

    let neighbour = Self.sink(deadEndpoint, spool: spool, serviceName: "neighbour")
    let logs = CapturedLogs()
    let longLived = Self.sink(
      receiver.endpoint, spool: spool, logs: logs, serviceName: "long-lived", rescan: .milliseconds(200))
    // Its own span delivered: its start-up look at the directory is over, the neighbour alive then.
    playRuns(longLived, runs: 1, steps: 0, prefix: "own")
    #expect(longLived.syncForceFlush(timeout: .seconds(10)))
    #expect(longLived.status().spansRecovered == 0)

    playRuns(neighbour, runs: 2, steps: 3)
    #expect(!neighbour.syncShutdown(timeout: .seconds(2)))
    #expect(neighbour.status().spoolSpans == 8)

    let spans = try await receiver.waitForSpans(count: 9, timeout: .seconds(20))
    let left = spans.filter { $0.resourceAttributes["service.name"] == .string("neighbour") }
    #expect(left.count == 8 && Set(left.map(\.spanID)).count == 8)
    #expect(longLived.syncShutdown(timeout: .seconds(10)))
    #expect(longLived.status().spansRecovered == 8 && longLived.status().spansExported == 9)
    let notices = logs.messages.withLock { $0 }
    #expect(notices.contains { $0.contains("recovered 8 unsent spans and 0 unfinished runs") }, "\(notices)")
    #expect(spoolSegments(spool).isEmpty)
  }

  /// A stream whose recovery ended three processes midway (their attempts left noted) is set
  /// aside, said, and never read again; one that ended fewer is recovered, its note removed.
  @Test(arguments: [(diedRecovering: 3, recovered: false), (diedRecovering: 1, recovered: true)])
  func aStreamThatKeepsEndingItsRecoverersIsSetAside(diedRecovering: Int, recovered: Bool) throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let gone = try OTLPTestReceiver()
    let deadEndpoint = gone.endpoint
    gone.stop()
    let first = Self.sink(deadEndpoint, spool: spool, serviceName: "first-process")
    playRuns(first, runs: 2, steps: 2)
    #expect(!first.syncShutdown(timeout: .seconds(2)))
    let files = try FileManager.default.contentsOfDirectory(atPath: spool)
    let name = try #require(files.first { $0.hasSuffix(".lock") }).dropLast(".lock".count)
    #expect(
      FileManager.default.createFile(
        atPath: "\(spool)/\(name).adopting", contents: Data(String(diedRecovering).utf8)))

    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let logs = CapturedLogs()
    let second = Self.sink(receiver.endpoint, spool: spool, logs: logs, serviceName: "second-process")
    playRuns(second, runs: 1, steps: 0, prefix: "own")
    #expect(second.syncShutdown(timeout: .seconds(10)))
    let left = receiver.spans().filter { $0.resourceAttributes["service.name"] == .string("first-process") }
    let after = try FileManager.default.contentsOfDirectory(atPath: spool)
    let messages = logs.messages.withLock { $0 }
    if recovered {
      #expect(left.count == 6 && second.status().spansRecovered == 6)
      #expect(after.isEmpty, "\(after)")
    } else {
      #expect(left.isEmpty && second.status().spansRecovered == 0)
      #expect(messages.contains { $0.contains("3 processes ended while recovering \(name)") }, "\(messages)")
      #expect(!after.isEmpty && after.allSatisfy { $0.hasSuffix(".poisoned") }, "\(after)")
      #expect(after.contains("\(name).lock.poisoned"))
    }
  }

  /// Sync after every write (0), and an invalid interval: one warning naming the variable, the default.
  @Test(arguments: [("0", nil), ("soon", "DSPY_RLM_OTEL_SPOOL_SYNC_INTERVAL='soon' is invalid")])
  func theSyncIntervalIsReadFromTheEnvironment(value: String, warning: String?) throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = ["DSPY_RLM_OTEL_SPOOL_SYNC_INTERVAL": value]
    configuration.spoolDirectory = spool
    configuration.logger = logs.logger
    let sink = OpenTelemetrySink(
      enabled: true, endpoint: receiver.endpoint, metricsEnabled: false, configuration: configuration)
    playRuns(sink, runs: 2, steps: 3)
    #expect(sink.syncShutdown(timeout: .seconds(10)))
    #expect(receiver.spans().count == 8)
    let warnings = logs.messages.withLock { $0 }
    if let warning {
      #expect(warnings.count == 1 && warnings[0].contains(warning), "\(warnings)")
    } else {
      #expect(warnings.isEmpty, "\(warnings)")
    }
  }

  @Test func aBurstOf205RunsOf50StepsLosesNothingAtTheDefaultQueueSize() throws {
    let spool = try makeSpoolDirectory()
    defer { try? FileManager.default.removeItem(atPath: spool) }
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = Self.sink(receiver.endpoint, spool: spool)
    playRuns(sink, runs: 205, steps: 50)
    #expect(sink.syncShutdown(timeout: .seconds(30)))
    let status = sink.status()
    #expect(status.spansRecorded == 10_455)
    #expect(status.spansDropped == 0)
    #expect(status.spansExported == 10_455)
    #expect(Set(receiver.spans().map(\.spanID)).count == 10_455)
    #expect(spoolSegments(spool).isEmpty)
  }
}
