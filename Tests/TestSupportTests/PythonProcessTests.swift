import Foundation
import TestSupport
import Testing

@Suite("PythonProcess")
struct PythonProcessTests {
  private func script(_ body: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("script-\(UUID().uuidString).py")
    try body.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func reportsStderrWhenTheScriptDiesBeforeReady() throws {
    let path = try script("import sys\nsys.stderr.write('boom: no receiver today\\n')\nsys.exit(3)\n")
    let error = #expect(throws: PythonProcessError.self) { try PythonProcess(script: path) }
    #expect(error?.stderr.contains("boom: no receiver today") == true)
    #expect(error?.reason.contains("status 3") == true)
  }

  @Test func timesOutWithoutReady() throws {
    let path = try script("import time\ntime.sleep(30)\n")
    let started = ContinuousClock.now
    #expect(throws: PythonProcessError.self) { try PythonProcess(script: path, timeout: .milliseconds(500)) }
    #expect(ContinuousClock.now - started < .seconds(12))
  }

  @Test func rejectsAnUnexpectedFirstLine() throws {
    let path = try script("print('HELLO', flush=True)\nimport time\ntime.sleep(30)\n")
    #expect(throws: PythonProcessError.self) { try PythonProcess(script: path) }
  }

  @Test func parsesThePortAndStopsIdempotently() throws {
    let path = try script(
      "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
        + "print('READY 4242', flush=True)\nwhile True: time.sleep(0.1)\n")
    let process = try PythonProcess(script: path)
    #expect(process.port == 4242)
    #expect(process.namedPorts.isEmpty)
    process.stop()
    process.stop()
  }

  @Test func parsesNamedPortsAfterThePort() throws {
    let path = try script(
      "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
        + "print('READY 4242 http=4343 admin=4444', flush=True)\nwhile True: time.sleep(0.1)\n")
    let process = try PythonProcess(script: path)
    #expect(process.port == 4242)
    #expect(process.namedPorts == ["http": 4343, "admin": 4444])
    process.stop()
  }

  @Test func rejectsAMalformedNamedPort() throws {
    let path = try script("print('READY 4242 http', flush=True)\nimport time\ntime.sleep(30)\n")
    #expect(throws: PythonProcessError.self) { try PythonProcess(script: path) }
  }

  @Test func countOnlyReceiverWritesStats() throws {
    let stats = FileManager.default.temporaryDirectory.appendingPathComponent(
      "stats-\(UUID().uuidString).json")
    let receiver = try PythonProcess(
      script: "Tests/Receiver/otlp_receiver.py", arguments: ["--count-only", "--stats", stats.path])
    #expect(try sendSample(port: receiver.port, ["--spans", "250", "--repeat", "4"]).code == "OK")
    #expect(try sendSample(port: receiver.port, ["--signal", "metrics", "--points", "7"]).code == "OK")
    receiver.stop()
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: stats)) as? [String: Any]
    #expect(object?["spans"] as? Int == 1000)
    #expect(object?["points"] as? Int == 7)
    #expect(object?["calls"] as? Int == 5)
  }
}
