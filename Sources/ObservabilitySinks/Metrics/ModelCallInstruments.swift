/// The instruments of model calls: `rlm.tokens` (counter, `{token}`, by `rlm.token.type` and
/// `rlm.model.role`) and, with the GenAI conventions on, `gen_ai.client.token.usage` and
/// `gen_ai.client.operation.duration`. Lives under the recorder's lock.
///
/// Specification: Semantic conventions for generative AI metrics (*Generative AI client
/// metrics*), development status: instruments, units, attributes and bucket boundaries.
struct ModelCallInstruments {
  static let tokenUsageBounds: [Double] = [
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
  ]
  static let durationBounds: [Double] = [
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
  ]

  let genAIMetrics: Bool
  var tokens: SeriesTable<SumCell>
  var genAITokenUsage: SeriesTable<HistogramCell>
  var genAIDuration: SeriesTable<HistogramCell>

  init(cardinalityLimit: Int, genAIMetrics: Bool) {
    self.genAIMetrics = genAIMetrics
    tokens = SeriesTable(limit: cardinalityLimit)
    genAITokenUsage = SeriesTable(limit: cardinalityLimit)
    genAIDuration = SeriesTable(limit: cardinalityLimit)
  }

  /// Counts a step's or run's usage in `rlm.tokens`: by role when the runtime split it, else in all.
  mutating func count(_ usage: UsageReport, now: UInt64) {
    if usage.root == nil && usage.sub == nil {
      count(usage.total, role: nil, now: now)
      return
    }
    if let root = usage.root { count(root, role: .root, now: now) }
    if let sub = usage.sub { count(sub, role: .sub, now: now) }
  }

  mutating func count(_ usage: TokenUsage, role: ModelRole?, now: UInt64) {
    count(usage.promptTokens, type: "prompt", role: role, now: now)
    count(usage.completionTokens, type: "completion", role: role, now: now)
  }

  /// Adds `amount` tokens of `type`; nothing for zero, so a run that used none adds no series.
  mutating func count(_ amount: Int, type: String, role: ModelRole?, now: UInt64) {
    guard amount > 0 else { return }
    let key = role.map { "\(type)\u{1F}\($0.rawValue)" } ?? type
    var attributes = [Attribute("rlm.token.type", .string(type))]
    if let role { attributes.append(Attribute("rlm.model.role", .string(role.rawValue))) }
    tokens.cell(for: key, attributes: attributes) { SumCell(startTime: now) }.add(Int64(amount))
  }

  /// Records one model call in `rlm.tokens` and, with the GenAI conventions on, in the GenAI
  /// client metrics.
  mutating func record(_ call: LLMCall, durationSeconds: Double, now: UInt64) {
    if let prompt = call.promptTokens { count(prompt, type: "prompt", role: call.role, now: now) }
    if let completion = call.completionTokens {
      count(completion, type: "completion", role: call.role, now: now)
    }
    guard genAIMetrics else { return }
    // Keys only on the hot path; a series' attributes are built once, when it appears.
    let base = "\(call.provider ?? "")\u{1F}\(call.model)"
    for (type, amount) in [("input", call.promptTokens), ("output", call.completionTokens)] {
      guard let amount, amount >= 0 else { continue }
      let cell = genAITokenUsage.cell(
        for: base + "\u{1F}" + type,
        attributes: Self.attributes(of: call) + [Attribute("gen_ai.token.type", .string(type))]
      ) { HistogramCell(startTime: now, bucketCount: Self.tokenUsageBounds.count + 1) }
      cell.record(Double(amount), bounds: Self.tokenUsageBounds)
    }
    guard durationSeconds.isFinite, durationSeconds >= 0 else { return }
    let failed = call.error != nil
    let cell = genAIDuration.cell(
      for: failed ? base + "\u{1F}error" : base,
      attributes: Self.attributes(of: call)
        + (failed ? [Attribute("error.type", .string(ModelCallAttributes.errorType))] : [])
    ) { HistogramCell(startTime: now, bucketCount: Self.durationBounds.count + 1) }
    cell.record(durationSeconds, bounds: Self.durationBounds)
  }

  /// The attributes every GenAI client metric point of `call` has.
  private static func attributes(of call: LLMCall) -> [Attribute] {
    var attributes = [Attribute("gen_ai.operation.name", .string("chat"))]
    if let provider = call.provider {
      attributes.append(Attribute("gen_ai.provider.name", .string(provider)))
    }
    attributes.append(Attribute("gen_ai.request.model", .string(call.model)))
    return attributes
  }
}
