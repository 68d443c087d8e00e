import Logging

/// `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`, read as the reference's Python SDK reads
/// them (`sampling._get_from_env_or_default`): the name in any case but not trimmed; an unknown,
/// empty or blank one warns and is the default; a ratio sampler's argument is Python's `float()` of
/// the value, and one that is unset, does not parse or lies outside 0...1 warns and is 1.0.
enum SamplerSetting {
  /// The names the specification and the SDK define, with what each builds from a ratio.
  private static let known: [String: @Sendable (Double) -> TraceSampler] = [
    "always_on": { _ in .alwaysOn },
    "always_off": { _ in .alwaysOff },
    "traceidratio": { .traceIDRatio($0) },
    "parentbased_always_on": { _ in .parentBased(root: .alwaysOn) },
    "parentbased_always_off": { _ in .parentBased(root: .alwaysOff) },
    "parentbased_traceidratio": { .parentBased(root: .traceIDRatio($0)) },
  ]

  static func read(_ environment: EnvironmentReader) -> TraceSampler {
    guard let value = environment[SettingsTable.sampler] else { return .default }
    let name = value.lowercased()
    guard let make = known[name] else {
      environment.logger.warning(
        "\(SettingsTable.sampler.name)='\(value)' is invalid: expected one of \(known.keys.sorted().joined(separator: ", ")); using parentbased_always_on"
      )
      return .default
    }
    guard name.hasSuffix("traceidratio") else { return make(1) }
    guard let argument = environment[SettingsTable.samplerArgument] else {
      environment.logger.warning(
        "\(SettingsTable.samplerArgument.name) is not set: \(name) needs a ratio from 0 to 1; using 1.0")
      return make(1)
    }
    guard let ratio = EnvironmentValues.pythonFloat(argument), (0...1).contains(ratio) else {
      environment.logger.warning(
        "\(SettingsTable.samplerArgument.name)='\(argument)' is invalid: expected a ratio from 0 to 1; using 1.0"
      )
      return make(1)
    }
    return make(ratio)
  }

  /// A sampler set in code, with every ratio checked as the variable's is.
  static func checked(_ sampler: TraceSampler, logger: Logger) -> TraceSampler {
    switch sampler {
    case .alwaysOn, .alwaysOff: return sampler
    case .traceIDRatio(let ratio):
      guard !(0...1).contains(ratio) else { return sampler }
      logger.warning("sampler: the ratio \(ratio) is not from 0 to 1; using 1.0")
      return .traceIDRatio(1)
    case .parentBased(let root): return .parentBased(root: checked(root, logger: logger))
    }
  }
}
