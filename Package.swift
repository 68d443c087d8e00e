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
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    // W3C traceparent/tracestate parsing, validated, for runs that join a caller's trace.
    .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
    // The task-local context swift-distributed-tracing callers carry their span context in.
    .package(url: "https://github.com/apple/swift-service-context", from: "1.5.1"),
  ],
  targets: [
    // What several targets share: the one Duration-to-deadline conversion, the one-shot hand-off,
    // native threads, whitespace trimming and small-file reading. Not a product.
    .target(name: "SinkSupport"),
    // The OpenTelemetry data model (spans, metric points, resource) and the exporter protocols.
    // Knows nothing about RLM runs, nor about gRPC.
    .target(name: "TelemetryModel"),
    // OTLP/gRPC export: endpoint and options, protobuf-c encoding, retries, the two exporters.
    .target(
      name: "OTLPExporter",
      dependencies: ["TelemetryModel", "GRPCCoreClient", "COTLPProto", "CProtobufC", "SinkSupport"]
    ),
    // The public sink API: hooks, recorder, queue, export thread, console exporter.
    .target(
      name: "ObservabilitySinks",
      dependencies: [
        "TelemetryModel", "OTLPExporter", "SinkSupport", .product(name: "Logging", package: "swift-log"),
        .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
      ]
    ),
    // An in-memory exporter users can assert on in their own tests.
    .target(name: "ObservabilitySinksTesting", dependencies: ["ObservabilitySinks", "TelemetryModel"]),
    // Replays recorded hook calls (golden scripts, runtime run logs) through a sink from the environment.
    .executableTarget(name: "RLMOtelReplay", dependencies: ["ObservabilitySinks", "SinkSupport"]),
    // libFuzzer targets for every parser of untrusted input (scripts/fuzz.sh). Built normally, it
    // replays corpus files through the same checks instead (FuzzCorpusTests).
    .executableTarget(
      name: "SinkFuzz",
      dependencies: [
        "ObservabilitySinks", "OTLPExporter", "GRPCCoreClient", "SinkSupport",
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Fuzz/SinkFuzz"
    ),
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
    .target(name: "GRPCCoreClient", dependencies: ["CGRPCCore", "COTLPProto", "SinkSupport"]),
    .testTarget(
      name: "GRPCCoreClientTests",
      dependencies: ["GRPCCoreClient", "COTLPProto", "TestSupport"],
      exclude: ["echo_server.py"]
    ),
    .testTarget(
      name: "ObservabilitySinksTests",
      dependencies: [
        "ObservabilitySinks", "ObservabilitySinksTesting", "TelemetryModel", "OTLPExporter", "TestSupport",
        .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
        .product(name: "ServiceContextModule", package: "swift-service-context"),
      ],
      resources: [.copy("Fixtures")]
    ),
    // Test-only helpers (not a product): runs the Python OTLP/gRPC receiver of Tests/Receiver, which
    // decodes with the official opentelemetry-proto classes, and makes test TLS certificates.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
    .testTarget(name: "OTLPExporterTests", dependencies: ["OTLPExporter", "TelemetryModel", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
