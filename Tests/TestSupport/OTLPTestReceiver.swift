public import Foundation

/// A real OTLP receiver on 127.0.0.1 (`Tests/Receiver/otlp_receiver.py` in store mode) that
/// decodes with the official `opentelemetry-proto` Python classes, for asserting what an exporter
/// really put on the wire. It serves OTLP/gRPC on ``port`` and OTLP/HTTP (binary protobuf,
/// `POST /v1/traces` and `/v1/metrics`, HTTP/1.1 keep-alive) on ``httpPort``; requests from either
/// land in the same readers.
///
/// ```swift
/// let receiver = try OTLPTestReceiver(options: { var o = OTLPReceiverOptions(); o.failFirst = 1; return o }())
/// // point the exporter at receiver.endpoint (gRPC) or receiver.httpEndpoint (HTTP), export…
/// let spans = try await receiver.waitForSpans(count: 3)
/// ```
///
/// Over OTLP/HTTP, ``calls()`` also tells the HTTP status, the request headers (names lowercased)
/// and the TCP connection each request came on; ``httpConnectionCount()`` proves keep-alive reuse.
public final class OTLPTestReceiver: Sendable {
  /// The OTLP/gRPC port the receiver listens on (127.0.0.1 only).
  public let port: Int
  /// The OTLP/HTTP port the receiver listens on (127.0.0.1 only).
  public let httpPort: Int
  /// The options it was started with.
  public let options: OTLPReceiverOptions
  /// Where `traces.jsonl`, `metrics.jsonl`, `calls.jsonl` and `connections.jsonl` are written;
  /// removed on deinit.
  public let directory: URL

  private let process: PythonProcess

  /// Starts the receiver in a fresh temporary directory and waits for it to listen.
  public init(options: OTLPReceiverOptions = OTLPReceiverOptions(), timeout: Duration = .seconds(30)) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("otlp-receiver-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    self.directory = directory
    self.options = options
    // --watch-stdin: if this test process dies, the receiver sees EOF and exits too.
    let script = "Tests/Receiver/otlp_receiver.py"
    let process = try PythonProcess(
      script: script, arguments: ["--out", directory.path, "--watch-stdin"] + options.arguments,
      timeout: timeout)
    guard let httpPort = process.namedPorts["http"] else {
      process.stop()
      try? FileManager.default.removeItem(at: directory)
      throw PythonProcessError(script: script, reason: "READY announced no http=<port>", stderr: "")
    }
    self.process = process
    port = process.port
    self.httpPort = httpPort
  }

  deinit {
    process.stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// The OTLP/gRPC endpoint: `http://127.0.0.1:PORT`, or `https://…` when the receiver serves TLS.
  public var endpoint: String {
    "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(port)"
  }

  /// The OTLP/HTTP base endpoint (no path, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it):
  /// `http://127.0.0.1:HTTPPORT`, or `https://…` when the receiver serves TLS.
  public var httpEndpoint: String {
    "\(options.tls == nil ? "http" : "https")://127.0.0.1:\(httpPort)"
  }

  /// The full OTLP/HTTP URL of one signal, e.g. `http://127.0.0.1:HTTPPORT/v1/traces` (as
  /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` takes it).
  public func httpURL(_ signal: OTLPSignal) -> String {
    "\(httpEndpoint)/v1/\(signal.rawValue)"
  }

  /// Stops the receiver (SIGTERM, files flushed). The readers keep working afterwards. Idempotent.
  public func stop() {
    process.stop()
  }

  // MARK: Readers (each re-reads the files, so they see calls made since the last read)

  /// Every accepted `ExportTraceServiceRequest`, as protobuf JSON (proto field names).
  public func traceRequests() -> [[String: Any]] {
    OTLPJSONDecoding.jsonLines(directory.appendingPathComponent("traces.jsonl"))
  }

  /// Every accepted `ExportMetricsServiceRequest`, as protobuf JSON (proto field names).
  public func metricRequests() -> [[String: Any]] {
    OTLPJSONDecoding.jsonLines(directory.appendingPathComponent("metrics.jsonl"))
  }

  /// All accepted spans in arrival order, each with its resource and scope.
  public func spans() -> [ReceivedSpan] {
    OTLPJSONDecoding.spans(traceRequests())
  }

  /// All accepted data points of every metric, or of the metric `name`, in arrival order.
  public func metricPoints(named name: String? = nil) -> [ReceivedMetricPoint] {
    let points = OTLPJSONDecoding.metricPoints(metricRequests())
    guard let name else { return points }
    return points.filter { $0.metricName == name }
  }

  /// Every Export call of either service and either transport, including refused ones, in arrival
  /// order. (OTLP/HTTP requests for unknown paths, or with a method other than POST, are not calls.)
  public func calls() -> [ReceivedCall] {
    OTLPJSONDecoding.jsonLines(directory.appendingPathComponent("calls.jsonl"))
      .compactMap(OTLPJSONDecoding.call)
  }

  /// Every TCP connection the OTLP/HTTP listener accepted, in order (with TLS, including those
  /// whose handshake failed: see ``ReceivedHTTPConnection/tlsError``).
  public func httpConnections() -> [ReceivedHTTPConnection] {
    OTLPJSONDecoding.jsonLines(directory.appendingPathComponent("connections.jsonl"))
      .compactMap(OTLPJSONDecoding.connection)
  }

  /// How many TCP connections the OTLP/HTTP listener accepted: a keep-alive client sending N
  /// requests makes this 1 while `calls().count` is N.
  public func httpConnectionCount() -> Int {
    httpConnections().count
  }

  // MARK: Waiting

  /// Polls until at least `count` spans were accepted; returns them all.
  public func waitForSpans(count: Int, timeout: Duration = .seconds(10)) async throws -> [ReceivedSpan] {
    try await poll("\(count) spans", timeout: timeout, read: spans) { $0.count >= count }
  }

  /// Polls until at least `count` Export calls (of any answer) were recorded; returns them all.
  public func waitForCalls(count: Int, timeout: Duration = .seconds(10)) async throws -> [ReceivedCall] {
    try await poll("\(count) calls", timeout: timeout, read: calls) { $0.count >= count }
  }

  /// Polls until at least `count` data points (of metric `name`, if given) were accepted.
  public func waitForMetricPoints(
    named name: String? = nil, count: Int, timeout: Duration = .seconds(10)
  ) async throws -> [ReceivedMetricPoint] {
    try await poll("\(count) points of \(name ?? "any metric")", timeout: timeout) {
      self.metricPoints(named: name)
    } until: {
      $0.count >= count
    }
  }

  private func poll<Value: Collection>(
    _ what: String, timeout: Duration, read: () -> Value, until done: (Value) -> Bool
  ) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    while true {
      let value = read()
      if done(value) { return value }
      if ContinuousClock.now >= deadline {
        throw OTLPTestReceiverTimeout(waitingFor: what, found: value.count, calls: calls().count)
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }
}

/// A ``OTLPTestReceiver`` wait gave up.
public struct OTLPTestReceiverTimeout: Error, CustomStringConvertible {
  /// What was awaited, e.g. "3 spans".
  public let waitingFor: String
  /// How many were there at the deadline.
  public let found: Int
  /// How many Export calls the receiver had seen (0 usually means the exporter never connected).
  public let calls: Int

  /// A readable summary.
  public var description: String {
    "timed out waiting for \(waitingFor): found \(found) after \(calls) Export call(s)"
  }
}
