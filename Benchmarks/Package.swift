// swift-tools-version: 6.1
// The project's benchmarks, as a package of their own so that users of the library never build or
// resolve benchmark dependencies. Run from the repository root:
//   swift package --package-path Benchmarks benchmark             (ordo-one/package-benchmark suites)
//   swift run -c release --package-path Benchmarks SinkWorkload   (the workload that measures the figures)
import PackageDescription

let package = Package(
  name: "ObservabilitySinksBenchmarks",
  dependencies: [
    .package(name: "ObservabilitySinks", path: ".."),
    .package(
      url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // Hook costs, encoding cost and allocations per operation, end-to-end throughput.
    .executableTarget(
      name: "SinkBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "package-benchmark"),
        .product(name: "ObservabilitySinks", package: "ObservabilitySinks"),
        .product(name: "ObservabilitySinksTesting", package: "ObservabilitySinks"),
      ],
      path: "Benchmarks/SinkBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
    // The figures (percentiles per call, burst losses, sustained throughput, peak RSS) as JSON.
    .executableTarget(
      name: "SinkWorkload",
      dependencies: [
        .product(name: "ObservabilitySinks", package: "ObservabilitySinks"),
        .product(name: "ObservabilitySinksTesting", package: "ObservabilitySinks"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
