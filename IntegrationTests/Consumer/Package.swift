// swift-tools-version: 6.1
// A new user's package: it imports ObservabilitySinks next to the Swift server ecosystem's tracing
// modules (every one of whose names must stay unambiguous), and builds the README's Quick start
// exactly as written, and the environment factory. Run by scripts/test-consumer.sh, which writes the
// Quick start targets.
import PackageDescription

let package = Package(
  name: "ObservabilitySinksConsumer",
  dependencies: [
    .package(name: "ObservabilitySinks", path: "../.."),
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    .executableTarget(
      name: "NameClash",
      dependencies: [
        .product(name: "ObservabilitySinks", package: "ObservabilitySinks"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
        .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
      ]
    ),
    // The sink as a service of a ServiceGroup, through the ObservabilitySinksServiceLifecycle product.
    .executableTarget(
      name: "InServiceGroup",
      dependencies: [
        .product(name: "ObservabilitySinks", package: "ObservabilitySinks"),
        .product(name: "ObservabilitySinksServiceLifecycle", package: "ObservabilitySinks"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The card's factory, createOtelSinkFromEnv(), configured only by the environment.
    .executableTarget(
      name: "FromEnvironment",
      dependencies: [.product(name: "ObservabilitySinks", package: "ObservabilitySinks")]),
    // The README's Quick start as top-level code, and inside an async `main`.
    .executableTarget(
      name: "QuickStart", dependencies: [.product(name: "ObservabilitySinks", package: "ObservabilitySinks")]),
    .executableTarget(
      name: "QuickStartAsync",
      dependencies: [.product(name: "ObservabilitySinks", package: "ObservabilitySinks")]),
  ]
)
