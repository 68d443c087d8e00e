/// One fuzz target: a name (the corpus folder, `SINK_FUZZ_TARGET`) and what it does with an input.
struct FuzzTarget: Sendable {
  let name: String
  let run: @Sendable ([UInt8]) -> Void

  /// Every target, in the order `scripts/fuzz.sh all` runs them.
  static let all: [FuzzTarget] = [
    FuzzTarget(name: "json", run: InputTargets.json),
    FuzzTarget(name: "adapters", run: InputTargets.adapters),
    FuzzTarget(name: "runlog", run: ReplayTargets.runLog),
    FuzzTarget(name: "hookscript", run: ReplayTargets.hookScript),
    FuzzTarget(name: "trajectory", run: ReplayTargets.trajectory),
    FuzzTarget(name: "iso8601", run: InputTargets.iso8601),
    FuzzTarget(name: "endpoint", run: ConfigurationTargets.endpoint),
    FuzzTarget(name: "environment", run: ConfigurationTargets.environment),
    FuzzTarget(name: "response", run: ResponseTargets.exportResponse),
    FuzzTarget(name: "statusdetails", run: ResponseTargets.statusDetails),
    FuzzTarget(name: "spool", run: SpoolTargets.segment),
  ]

  static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Stops the run with `message` when an invariant fails: libFuzzer saves the input as a crash.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant failed: \(message())") }
}
