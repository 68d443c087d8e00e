import SinkSupport
import TestSupport
import Testing

@testable import ObservabilitySinks

/// Several collector replicas behind one endpoint: round-robin spreads the exports over them and
/// routes around one that goes away; pick-first keeps to one.
@Suite("Load balancing over collector replicas", .serialized)
struct LoadBalancingTests {
  /// A sink exporting to `endpoint` in plaintext, one small export per run (`syncForceFlush`
  /// after each), retrying fast.
  private func sink(
    _ endpoint: String, environment: [String: String] = [:],
    configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
  ) -> OpenTelemetrySink {
    otlpSink(endpoint) {
      $0.environment = environment
      $0.traces.insecure = true
      $0.scheduleDelay = .milliseconds(1)
      configure(&$0)
    }
  }

  /// Plays `count` runs of one step (two spans each), flushing after each run: at least one
  /// Export call per run.
  private func export(_ sink: OpenTelemetrySink, runs count: Int, prefix: String) -> Bool {
    (0..<count).allSatisfy { run in
      playRuns(sink, runs: 1, steps: 1, prefix: "\(prefix)\(run)-")
      return sink.syncForceFlush(timeout: .seconds(10))
    }
  }

  private func addressList(_ receivers: OTLPTestReceiver...) -> String {
    "ipv4:" + receivers.map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
  }

  @Test func anAddressListIsServedRoundRobinAndASurvivorTakesAllWhenAReplicaStops() throws {
    let first = try OTLPTestReceiver()
    let second = try OTLPTestReceiver()
    defer {
      first.stop()
      second.stop()
    }
    // No setting: round-robin is the default for an address list.
    let sink = sink(addressList(first, second))

    // Until both replicas are connected a call goes to whichever is ready; then they alternate.
    var runs = 0
    #expect(
      waitFor(timeout: .seconds(20)) {
        runs += 1
        return export(sink, runs: 1, prefix: "warm\(runs)") && !first.calls().isEmpty
          && !second.calls().isEmpty
      })
    let (firstBefore, secondBefore) = (first.calls().count, second.calls().count)
    #expect(export(sink, runs: 20, prefix: "spread"))
    let (firstShare, secondShare) = (first.calls().count - firstBefore, second.calls().count - secondBefore)
    #expect(
      firstShare >= 5 && secondShare >= 5, "round-robin split 20 runs as \(firstShare) / \(secondShare)")
    runs += 20

    // One replica stops while exports go on: what it had not answered is retried on the other.
    let exported = sink.status().spansExported
    let during = Background { [self] in export(sink, runs: 40, prefix: "during") }
    #expect(waitFor { sink.status().spansExported >= exported + 20 })
    first.stop()
    #expect(during.wait())
    runs += 40
    // Then the survivor takes every export.
    let survivorBefore = second.calls().count
    #expect(export(sink, runs: 20, prefix: "after"))
    runs += 20
    #expect(second.calls().count - survivorBefore >= 20)

    let spans = runs * 2
    let status = sink.status()
    #expect(status.spansRecorded == spans)
    #expect(status.spansExported == spans && status.spansFailed == 0 && status.spansDropped == 0)
    // Nothing lost: every span reached a replica (one retried after the stop may reach both).
    let delivered = Set((first.spans() + second.spans()).map(\.spanID))
    #expect(delivered.count == spans)
    FaultReport.row(
      "round-robin over 2 replicas (split \(firstShare)/\(secondShare)), one stopped mid-stream",
      delivered: delivered.count, status: status, waited: .zero)
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func pickFirstFromTheEnvironmentSendsEverythingToOneReplica() throws {
    let first = try OTLPTestReceiver()
    let second = try OTLPTestReceiver()
    defer {
      first.stop()
      second.stop()
    }
    let sink = sink(
      addressList(first, second), environment: ["DSPY_RLM_OTEL_GRPC_LOAD_BALANCING": "pick_first"])
    #expect(export(sink, runs: 20, prefix: "pf"))
    let counts = [first.calls().count, second.calls().count]
    #expect(counts.min() == 0 && counts.max()! >= 20, "pick-first split 20 runs as \(counts)")
    #expect(sink.status().spansExported == 40 && sink.status().spansFailed == 0)
    sink.syncShutdown(timeout: .seconds(5))
  }

  @Test func aDNSNameIsResolvedAndServed() throws {
    // Here `localhost` resolves to 127.0.0.1 alone, so this shows the dns:/// path with
    // round-robin (its default) delivers; the spreading itself is the address-list test's.
    let receiver = try OTLPTestReceiver()
    defer { receiver.stop() }
    let sink = sink("dns:///localhost:\(receiver.port)")
    #expect(export(sink, runs: 3, prefix: "dns"))
    #expect(receiver.spans().count == 6)
    #expect(sink.status().spansExported == 6 && sink.status().spansFailed == 0)
    sink.syncShutdown(timeout: .seconds(5))
  }

  // MARK: The setting

  private func settings(
    _ environment: [String: String], configure: (inout OpenTelemetrySinkConfiguration) -> Void = { _ in }
  ) -> (SinkSettings, [String]) {
    let logs = CapturedLogs()
    var configuration = OpenTelemetrySinkConfiguration()
    configuration.environment = environment
    configuration.logger = logs.logger
    configure(&configuration)
    let settings = SinkSettings(configuration: configuration, endpoint: "dns:///collectors:4317")
    return (settings, logs.messages.withLock { $0 })
  }

  @Test func theVariableSetsBothSignalsAndCodeWins() {
    let (unset, none) = settings([:])
    #expect(unset.traces.loadBalancing == nil && unset.metrics.loadBalancing == nil && none.isEmpty)

    let (fromEnvironment, noWarning) = settings(["DSPY_RLM_OTEL_GRPC_LOAD_BALANCING": " Pick_First "])
    #expect(
      fromEnvironment.traces.loadBalancing == .pickFirst
        && fromEnvironment.metrics.loadBalancing == .pickFirst)
    #expect(noWarning.isEmpty)

    let (fromCode, _) = settings(["DSPY_RLM_OTEL_GRPC_LOAD_BALANCING": "pick_first"]) {
      $0.traces.loadBalancing = .roundRobin
    }
    #expect(fromCode.traces.loadBalancing == .roundRobin && fromCode.metrics.loadBalancing == .pickFirst)
  }

  @Test func anInvalidValueWarnsOnceAndKeepsTheDefault() {
    let (settings, warnings) = settings(["DSPY_RLM_OTEL_GRPC_LOAD_BALANCING": "least_request"])
    #expect(settings.traces.loadBalancing == nil && settings.metrics.loadBalancing == nil)
    #expect(warnings.count == 1)
    #expect(warnings.first?.contains("DSPY_RLM_OTEL_GRPC_LOAD_BALANCING") == true)
    #expect(warnings.first?.contains("pick_first, round_robin") == true)
  }
}
