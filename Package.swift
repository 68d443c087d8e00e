// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "ObservabilitySinks",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "ObservabilitySinks", targets: ["ObservabilitySinks"]),
    .library(name: "ObservabilitySinksTesting", targets: ["ObservabilitySinksTesting"]),
    .executable(name: "ScriptedRun", targets: ["ScriptedRun"]),
  ],
  dependencies: [
    // swift-log: the one logging API every Swift server library shares; warnings go through it.
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
  ],
  targets: [
    // The OpenTelemetry data model (spans, metric points, resource) and the exporter protocols.
    // Knows nothing about RLM runs, nor about gRPC.
    .target(name: "TelemetryModel"),
    // The public sink API: hooks, recorder, queue, export thread, console exporter.
    .target(
      name: "ObservabilitySinks",
      dependencies: ["TelemetryModel", .product(name: "Logging", package: "swift-log")]
    ),
    // An in-memory exporter users can assert on in their own tests.
    .target(name: "ObservabilitySinksTesting", dependencies: ["ObservabilitySinks", "TelemetryModel"]),
    .executableTarget(name: "ScriptedRun", dependencies: ["ObservabilitySinks"], path: "Examples/ScriptedRun"),
    .testTarget(
      name: "ObservabilitySinksTests",
      dependencies: ["ObservabilitySinks", "ObservabilitySinksTesting", "TelemetryModel"],
      resources: [.copy("Fixtures")]
    ),
    // Test-only helpers (not a product): runs the Python OTLP/gRPC receiver of Tests/Receiver, which
    // decodes with the official opentelemetry-proto classes, and makes test TLS certificates.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
