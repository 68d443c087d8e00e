/// LLM-observability conventions the sink can add to its spans and metrics, beyond the
/// reference's `rlm.*` attributes. None is on by default, so that the default export stays exact
/// to the reference.
///
/// Set in code (``OpenTelemetrySinkConfiguration/conventions``) or with
/// `DSPY_RLM_OTEL_CONVENTIONS=genai,openinference`; `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`
/// also turns on ``genAI``.
public struct LLMConventions: OptionSet, Hashable, Sendable {
  /// The option bits.
  public let rawValue: Int

  /// Creates a set from its bits.
  public init(rawValue: Int) {
    self.rawValue = rawValue
  }

  /// OpenTelemetry's semantic conventions for generative AI (development status): `gen_ai.*`
  /// attributes on runs (`invoke_agent`) and model calls (`chat`), and the GenAI client metrics.
  public static let genAI = LLMConventions(rawValue: 1 << 0)
  /// OpenInference, which Arize Phoenix renders: `openinference.span.kind` (`AGENT` runs,
  /// `CHAIN` steps, `LLM` model calls), `input.value` / `output.value`, `session.id`, `user.id`
  /// and, on model calls only, `llm.model_name` and `llm.token_count.*`.
  public static let openInference = LLMConventions(rawValue: 1 << 1)

  /// The names `DSPY_RLM_OTEL_CONVENTIONS` takes.
  static let names: [String: LLMConventions] = ["genai": .genAI, "openinference": .openInference]
}
