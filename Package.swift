// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "ObservabilitySinks",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "ObservabilitySinks", targets: ["ObservabilitySinks"]),
    .library(name: "ObservabilitySinksTesting", targets: ["ObservabilitySinksTesting"]),
    .executable(name: "ScriptedRun", targets: ["ScriptedRun"]),
    .executable(name: "rlm-otel-replay", targets: ["RLMOtelReplay"]),
  ],
  dependencies: [
    // swift-log: the one logging API every Swift server library shares; warnings go through it.
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
  ],
  targets: [
    // The OpenTelemetry data model (spans, metric points, resource) and the exporter protocols.
    // Knows nothing about RLM runs, nor about gRPC.
    .target(name: "TelemetryModel"),
    // OTLP/gRPC export: endpoint and options, encoding, the exporters.
    .target(name: "OTLPExporter", dependencies: ["TelemetryModel"]),
    // The public sink API: hooks, recorder, queue, export thread, console exporter.
    .target(
      name: "ObservabilitySinks",
      dependencies: ["TelemetryModel", "OTLPExporter", .product(name: "Logging", package: "swift-log")]
    ),
    // An in-memory exporter users can assert on in their own tests.
    .target(name: "ObservabilitySinksTesting", dependencies: ["ObservabilitySinks", "TelemetryModel"]),
    // Replays recorded hook calls (golden scripts, runtime run logs) through a sink from the environment.
    .executableTarget(name: "RLMOtelReplay", dependencies: ["ObservabilitySinks"]),
    .executableTarget(name: "ScriptedRun", dependencies: ["ObservabilitySinks"], path: "Examples/ScriptedRun"),
    .testTarget(
      name: "ObservabilitySinksTests",
      dependencies: ["ObservabilitySinks", "ObservabilitySinksTesting", "TelemetryModel"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
