// swift-tools-version: 6.1
// The sink together with real swift-otel: a run started inside a swift-otel span joins that span's
// trace, and the sink shuts down in a ServiceGroup beside swift-otel's service. A package of its own
// (as swift-otel keeps its integration tests) so that neither users of the library nor the main test
// suite build swift-otel. Run from the repository root: scripts/test-swift-otel.sh
import PackageDescription

let package = Package(
  name: "SwiftOTelIntegrationTests",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "ObservabilitySinks", path: "../.."),
    // One trait, OTLPHTTP, the cheaper to build: the tests use no swift-otel exporter (the sink's spans are
    // read in memory, swift-otel's span context through its public logging metadata provider),
    // and the default traits build both HTTP and gRPC stacks (40–60 % more CPU time). None would
    // do, but swift-otel 1.6.0 does not build without a trait: its environment parsing calls
    // Foundation's trimmingCharacters without importing Foundation, which only a trait's
    // dependency makes visible. README.md has the measured build times.
    .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
  ],
  targets: [
    .testTarget(
      name: "SwiftOTelIntegrationTests",
      dependencies: [
        .product(name: "ObservabilitySinks", package: "ObservabilitySinks"),
        .product(name: "ObservabilitySinksServiceLifecycle", package: "ObservabilitySinks"),
        .product(name: "ObservabilitySinksTesting", package: "ObservabilitySinks"),
        .product(name: "OTel", package: "swift-otel"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    )
  ],
  swiftLanguageModes: [.v6]
)
