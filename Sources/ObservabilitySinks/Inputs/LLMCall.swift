/// One call of a language model made during a run, as a Swift runtime reports it to `onLLMCall`:
/// recorded as a CLIENT span `chat {model}` under the step in progress.
///
/// ```swift
/// let start = ContinuousClock.now
/// let answer = try await model.complete(prompt)
/// sink.onLLMCall(
///   runID: runID,
///   call: LLMCall(model: "gpt-4o-mini", role: .sub, promptTokens: 412, completionTokens: 38, start: start, end: .now))
/// ```
///
/// The prompt and the response are recorded only when message content capture is on
/// (``OpenTelemetrySinkConfiguration/captureMessageContent``).
public struct LLMCall: Hashable, Sendable {
  /// The model asked (`gen_ai.request.model`).
  public var model: String
  /// Whether the root model or a sub model made the call (`rlm.model.role`).
  public var role: ModelRole
  /// Who serves the model, e.g. `openai` (`gen_ai.provider.name`); `nil` when unknown.
  public var provider: String?
  /// Tokens sent (`gen_ai.usage.input_tokens`), if known.
  public var promptTokens: Int?
  /// Tokens returned (`gen_ai.usage.output_tokens`), if known.
  public var completionTokens: Int?
  /// When the call started, on the continuous clock the runtime timed it with.
  public var start: ContinuousClock.Instant
  /// When the call returned.
  public var end: ContinuousClock.Instant
  /// Why the call failed; `nil` when it succeeded (then the span's status is unset).
  public var error: String?
  /// The prompt sent, recorded only with content capture on.
  public var prompt: String?
  /// The model's answer, recorded only with content capture on.
  public var response: String?

  /// Creates a call record.
  public init(
    model: String, role: ModelRole = .sub, provider: String? = nil, promptTokens: Int? = nil,
    completionTokens: Int? = nil, start: ContinuousClock.Instant, end: ContinuousClock.Instant,
    error: String? = nil,
    prompt: String? = nil, response: String? = nil
  ) {
    self.model = model
    self.role = role
    self.provider = provider
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.start = start
    self.end = end
    self.error = error
    self.prompt = prompt
    self.response = response
  }
}
