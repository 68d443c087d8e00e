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
    // The public sink API: hooks, recorder, queue, export thread, console exporter.
    .target(
      name: "ObservabilitySinks",
      dependencies: ["TelemetryModel", .product(name: "Logging", package: "swift-log")]
    ),
    // An in-memory exporter users can assert on in their own tests.
    .target(name: "ObservabilitySinksTesting", dependencies: ["ObservabilitySinks", "TelemetryModel"]),
    // Replays recorded hook calls (golden scripts, runtime run logs) through a sink from the environment.
    .executableTarget(name: "RLMOtelReplay", dependencies: ["ObservabilitySinks"]),
    .executableTarget(name: "ScriptedRun", dependencies: ["ObservabilitySinks"], path: "Examples/ScriptedRun"),
    // The gRPC C core (Debian libgrpc-dev). No pkgConfig: its flags flood SwiftPM with warnings.
    .systemLibrary(name: "CGRPCCore", path: "Sources/CGRPCCore", providers: [.apt(["libgrpc-dev"])]),
    // The protobuf-c runtime.
    .systemLibrary(
      name: "CProtobufC",
      path: "Sources/CProtobufC",
      pkgConfig: "libprotobuf-c",
      providers: [.apt(["libprotobuf-c-dev"])]
    ),
    // protoc-c output for the project's OTLP subset; regenerate with scripts/generate-protos.sh.
    .target(name: "COTLPProto", dependencies: ["CProtobufC"], exclude: ["proto"]),
    // A thin Swift client over the gRPC C core: channel, completion-queue thread, unary calls, timers.
    .target(name: "GRPCCoreClient", dependencies: ["CGRPCCore", "COTLPProto"]),
    // Test helpers shared by test targets (launching the Python test servers).
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(
      name: "GRPCCoreClientTests",
      dependencies: ["GRPCCoreClient", "COTLPProto", "TestSupport"],
      exclude: ["echo_server.py"]
    ),
    .testTarget(
      name: "ObservabilitySinksTests",
      dependencies: ["ObservabilitySinks", "ObservabilitySinksTesting", "TelemetryModel"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
