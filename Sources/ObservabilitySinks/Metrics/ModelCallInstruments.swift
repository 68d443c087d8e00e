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
  /// The `rlm.tokens` series by type and role, found once: the hot path hashes two small enums,
  /// never a text.
  private var tokenCells: [TokenSeries: SumCell] = [:]
  /// The GenAI series of each (provider, model) seen, found once per pair. Only series of their
  /// own are kept here (never the overflow series), so the cache is bounded by the cardinality
  /// limit however many model names a runtime invents.
  private var modelCells: [ModelSeries: GenAICells] = [:]

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
    count(usage.promptTokens, type: .prompt, role: role, now: now)
    count(usage.completionTokens, type: .completion, role: role, now: now)
  }

  /// Adds `amount` tokens of `type`; nothing for zero, so a run that used none adds no series.
  mutating func count(_ amount: Int, type: TokenType, role: ModelRole?, now: UInt64) {
    guard amount > 0 else { return }
    let series = TokenSeries(type: type, role: role)
    if let cell = tokenCells[series] {
      cell.add(Int64(amount))
      return
    }
    // At most six series: they never reach the cardinality limit's overflow in practice, and
    // whichever cell the table gives is the one to count in.
    let cell = tokens.cell(for: series.key, attributes: series.attributes) { SumCell(startTime: now) }
    tokenCells[series] = cell
    cell.add(Int64(amount))
  }

  /// Records one model call in `rlm.tokens` and, with the GenAI conventions on, in the GenAI
  /// client metrics.
  mutating func record(_ call: LLMCall, durationSeconds: Double, now: UInt64) {
    if let prompt = call.promptTokens { count(prompt, type: .prompt, role: call.role, now: now) }
    if let completion = call.completionTokens {
      count(completion, type: .completion, role: call.role, now: now)
    }
    guard genAIMetrics else { return }
    let cells = genAICells(for: call, now: now)
    if let prompt = call.promptTokens, prompt >= 0 {
      cells.input.record(Double(prompt), bounds: Self.tokenUsageBounds)
    }
    if let completion = call.completionTokens, completion >= 0 {
      cells.output.record(Double(completion), bounds: Self.tokenUsageBounds)
    }
    guard durationSeconds.isFinite, durationSeconds >= 0 else { return }
    if call.error == nil {
      cells.duration.record(durationSeconds, bounds: Self.durationBounds)
    } else {
      let failed =
        cells.failedDuration
        ?? genAIDuration.cell(
          for: Self.key(call, "error"),
          attributes: Self.attributes(of: call) + [
            Attribute("error.type", .string(ModelCallAttributes.errorType))
          ]
        ) { HistogramCell(startTime: now, bucketCount: Self.durationBounds.count + 1) }
      if cells.cached { cells.failedDuration = failed }
      failed.record(durationSeconds, bounds: Self.durationBounds)
    }
  }

  /// The GenAI series of the call's provider and model: from the cache, else from the tables (a
  /// series' attributes are built once, when it appears).
  private mutating func genAICells(for call: LLMCall, now: UInt64) -> GenAICells {
    let series = ModelSeries(provider: call.provider, model: call.model)
    if let cells = modelCells[series] { return cells }
    func histogram(
      _ table: inout SeriesTable<HistogramCell>, _ kind: String, _ extra: [Attribute], _ buckets: Int
    )
      -> HistogramCell
    {
      table.cell(for: Self.key(call, kind), attributes: Self.attributes(of: call) + extra) {
        HistogramCell(startTime: now, bucketCount: buckets)
      }
    }
    let tokenBuckets = Self.tokenUsageBounds.count + 1
    let input = histogram(
      &genAITokenUsage, "input", [Attribute("gen_ai.token.type", .string("input"))], tokenBuckets)
    let output = histogram(
      &genAITokenUsage, "output", [Attribute("gen_ai.token.type", .string("output"))], tokenBuckets)
    let duration = histogram(&genAIDuration, "", [], Self.durationBounds.count + 1)
    let overflowed =
      input === genAITokenUsage.overflow || output === genAITokenUsage.overflow
      || duration === genAIDuration.overflow
    let cells = GenAICells(input: input, output: output, duration: duration, cached: !overflowed)
    if !overflowed { modelCells[series] = cells }
    return cells
  }

  /// The series key of a call's provider and model and `kind` (a text only the tables see).
  private static func key(_ call: LLMCall, _ kind: String) -> String {
    "\(call.provider ?? "")\u{1F}\(call.model)\u{1F}\(kind)"
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

/// Prompt or completion tokens (`rlm.token.type`).
enum TokenType: String {
  case prompt
  case completion
}

/// One `rlm.tokens` series.
private struct TokenSeries: Hashable {
  var type: TokenType
  var role: ModelRole?

  var key: String { role.map { "\(type.rawValue)\u{1F}\($0.rawValue)" } ?? type.rawValue }

  var attributes: [Attribute] {
    var attributes = [Attribute("rlm.token.type", .string(type.rawValue))]
    if let role { attributes.append(Attribute("rlm.model.role", .string(role.rawValue))) }
    return attributes
  }
}

/// The provider and model of a call's GenAI series.
private struct ModelSeries: Hashable {
  var provider: String?
  var model: String
}

/// The GenAI series of one provider and model. A class: the failed-call series is added in place.
private final class GenAICells {
  let input: HistogramCell
  let output: HistogramCell
  let duration: HistogramCell
  var failedDuration: HistogramCell?
  /// Whether these are in the cache (not overflow series, which are never cached).
  let cached: Bool

  init(input: HistogramCell, output: HistogramCell, duration: HistogramCell, cached: Bool) {
    self.input = input
    self.output = output
    self.duration = duration
    self.cached = cached
  }
}
