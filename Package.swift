// swift-tools-version: 6.1
import PackageDescription

// Linux only: the library runs on glibc (pthreads, /proc) and Debian's gRPC C core; no other
// platform is built or tested.

let package = Package(
  name: "ObservabilitySinks",
  products: [
    .library(name: "ObservabilitySinks", targets: ["ObservabilitySinks"]),
    .library(name: "ObservabilitySinksTesting", targets: ["ObservabilitySinksTesting"]),
    .library(
      name: "ObservabilitySinksServiceLifecycle", targets: ["ObservabilitySinksServiceLifecycle"]),
    .executable(name: "ScriptedRun", targets: ["ScriptedRun"]),
    .executable(name: "rlm-otel-replay", targets: ["RLMOtelReplay"]),
  ],
  dependencies: [
    // swift-log: the one logging API every Swift server library shares; warnings go through it.
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    // W3C traceparent/tracestate parsing, validated, for runs that join a caller's trace.
    .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
    // Instrumentation (with ServiceContextModule): a run joins the caller's trace by asking the
    // bootstrapped instrument (swift-otel's or any other) for the W3C headers of the task's context.
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    // Service: the sink runs in a ServiceGroup and delivers what is left on graceful shutdown. Only
    // ObservabilitySinksServiceLifecycle uses it: with swift-async-algorithms and swift-collections it
    // is about 50 s of a clean release build on two cores, which users without a ServiceGroup skip.
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    // swift-docc-plugin: `swift package generate-documentation` builds the DocC catalog
    // (scripts/docs.sh). No target uses it, so packages that depend on this one never fetch it.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // What several targets share: the one Duration-to-deadline conversion, the one-shot hand-off,
    // native threads, whitespace trimming and small-file reading. Not a product.
    .target(name: "SinkSupport"),
    // The product: the sink and its configuration, the typed inputs, the span and metric data
    // model with the exporter protocols (Model/), the recorder, queue and export thread (Recorder/,
    // Pipeline/), the console exporters, and OTLP export (OTLP/: options, protobuf-c encoding,
    // retries) over GRPCCoreClient (gRPC) and CurlHTTPClient (HTTP).
    .target(
      name: "ObservabilitySinks",
      dependencies: [
        "GRPCCoreClient", "CurlHTTPClient", "COTLPProto", "CProtobufC", "SinkSpool", "SinkSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
      ]
    ),
    // The sink as a swift-service-lifecycle Service, in its own module (as grpc-swift keeps
    // GRPCServiceLifecycle) so that the library builds without swift-service-lifecycle.
    .target(
      name: "ObservabilitySinksServiceLifecycle",
      dependencies: [
        "ObservabilitySinks",
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    // An in-memory exporter users can assert on in their own tests.
    .target(
      name: "ObservabilitySinksTesting",
      dependencies: ["ObservabilitySinks", "SinkSupport"]
    ),
    // Reading what runtimes leave on disk — JSON, run logs, golden hook scripts — and playing it
    // through a sink's package-level replay hooks (which keep the JSON types the reference passes
    // through). Not a product: used by rlm-otel-replay, the tests, the fuzzers.
    .target(name: "SinkReplay", dependencies: ["ObservabilitySinks", "SinkSupport"]),
    // Replays recorded hook calls (golden scripts, runtime run logs) through a sink from the environment.
    .executableTarget(
      name: "RLMOtelReplay", dependencies: ["ObservabilitySinks", "SinkReplay", "SinkSupport"]),
    // libFuzzer targets for every parser of untrusted input (scripts/fuzz.sh). Built normally, it
    // replays corpus files through the same checks instead (FuzzCorpusTests).
    .executableTarget(
      name: "SinkFuzz",
      dependencies: [
        "ObservabilitySinks", "SinkReplay", "GRPCCoreClient", "SinkSpool", "SinkSupport",
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Fuzz/SinkFuzz"
    ),
    .executableTarget(
      name: "ScriptedRun", dependencies: ["ObservabilitySinks"], path: "Examples/ScriptedRun"),
    // The soak driver of scripts/soak.sh (a test tool, not a product): one sink under load while
    // Tests/Soak/soak.py restarts the receiver behind it; checks memory, descriptors, threads, counts.
    .executableTarget(
      name: "SinkSoak", dependencies: ["ObservabilitySinks", "SinkSupport"], path: "Tests/Soak",
      exclude: ["soak.py", "spool_soak.py"]),
    // The child process of the spool's crash tests: records runs, then is killed (SIGKILL, abort).
    .executableTarget(name: "SpoolChild", dependencies: ["ObservabilitySinks"], path: "Tests/SpoolChild"),
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
    // zlib (Debian zlib1g-dev) for the spool's checksums.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
    // The durable spool's on-disk layer (issue 17, docs/durable-delivery-plan.md): the segment and
    // record format with its bounded reader, and the file operations it needs (exclusive create,
    // whole-record appends, fdatasync, flock). Not a product; the sink's Spool/ folder uses it.
    .target(name: "SinkSpool", dependencies: ["CZlib", "SinkSupport"]),
    .testTarget(name: "SinkSpoolTests", dependencies: ["SinkSpool"]),
    // libcurl and zlib (Debian libcurl4-openssl-dev). No pkgConfig, as for the gRPC core.
    .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    // A thin Swift client over libcurl for OTLP/HTTP: one connection, kept alive, cancellable.
    .target(name: "CurlHTTPClient", dependencies: ["CCurl", "SinkSupport"]),
    // A thin Swift client over the gRPC C core: channel, completion-queue thread, unary calls, timers.
    .target(name: "GRPCCoreClient", dependencies: ["CGRPCCore", "COTLPProto", "SinkSupport"]),
    .testTarget(
      name: "GRPCCoreClientTests",
      dependencies: ["GRPCCoreClient", "COTLPProto", "TestSupport", "SinkSupport"],
      exclude: ["echo_server.py"]
    ),
    .testTarget(
      name: "ObservabilitySinksTests",
      dependencies: [
        "ObservabilitySinks", "ObservabilitySinksTesting", "ObservabilitySinksServiceLifecycle",
        "SinkReplay", "TestSupport", "SinkSupport", "SinkSpool",
        .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
        .product(name: "Instrumentation", package: "swift-distributed-tracing"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
      ],
      resources: [.copy("Fixtures")]
    ),
    // Test-only helpers (not a product): runs the Python OTLP/gRPC and OTLP/HTTP receiver of Tests/Receiver, which
    // decodes with the official opentelemetry-proto classes, and makes test TLS certificates.
    .target(name: "TestSupport", dependencies: ["SinkSupport"], path: "Tests/TestSupport"),
    .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
    .testTarget(
      name: "OTLPExporterTests",
      dependencies: ["ObservabilitySinks", "GRPCCoreClient", "CurlHTTPClient", "SinkSupport", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

// Keep the public surface deliberate: imports are internal unless a file says `public import`,
// members come only from modules a file imports, and existentials are spelled `any`.
for target in package.targets where target.type != .system && !["COTLPProto"].contains(target.name) {
  target.swiftSettings =
    (target.swiftSettings ?? []) + [
      .enableUpcomingFeature("InternalImportsByDefault"),
      .enableUpcomingFeature("MemberImportVisibility"),
      .enableUpcomingFeature("ExistentialAny"),
    ]
}
