extension LLMCallSpanRecord {
  /// Model and provider names longer than this are cut (they name the span).
  static let nameLimit = 256

  func spanData(conventions: LLMConventions) -> SpanData {
    var call = self.call
    call.model = call.model.prefix(scalars: Self.nameLimit)
    call.provider = call.provider?.prefix(scalars: Self.nameLimit)
    var attributes = [
      Attribute("rlm.run_id", .string(runID)), Attribute("rlm.model.role", .string(call.role.rawValue)),
      Attribute("gen_ai.operation.name", .string("chat")),
    ]
    if let provider = call.provider {
      attributes.append(Attribute("gen_ai.provider.name", .string(provider)))
    }
    attributes.append(Attribute("gen_ai.request.model", .string(call.model)))
    if let prompt = call.promptTokens {
      attributes.append(Attribute("gen_ai.usage.input_tokens", .int(Int64(prompt))))
    }
    if let completion = call.completionTokens {
      attributes.append(Attribute("gen_ai.usage.output_tokens", .int(Int64(completion))))
    }
    if let error = call.error, !error.isEmpty {
      attributes.append(Attribute("error.type", .string(ModelCallAttributes.errorType)))
    }
    if conventions.contains(.genAI) {
      if let prompt = call.prompt {
        attributes.append(
          Attribute(
            "gen_ai.input.messages", .string(ConventionAttributes.genAIMessages(role: "user", text: prompt))))
      }
      if let response = call.response {
        attributes.append(
          Attribute(
            "gen_ai.output.messages",
            .string(ConventionAttributes.genAIMessages(role: "assistant", text: response))))
      }
    }
    if conventions.contains(.openInference) {
      ConventionAttributes.openInference(kind: "LLM", labels: labels, into: &attributes)
      attributes.append(Attribute("llm.model_name", .string(call.model)))
      if let provider = call.provider { attributes.append(Attribute("llm.provider", .string(provider))) }
      if let prompt = call.promptTokens {
        attributes.append(Attribute("llm.token_count.prompt", .int(Int64(prompt))))
      }
      if let completion = call.completionTokens {
        attributes.append(Attribute("llm.token_count.completion", .int(Int64(completion))))
      }
      if call.promptTokens != nil || call.completionTokens != nil {
        let (total, overflow) = Int64(call.promptTokens ?? 0).addingReportingOverflow(
          Int64(call.completionTokens ?? 0))
        attributes.append(Attribute("llm.token_count.total", .int(overflow ? .max : total)))
      }
      ConventionAttributes.openInferenceValue("input.value", call.prompt, into: &attributes)
      ConventionAttributes.openInferenceValue("output.value", call.response, into: &attributes)
    }
    let status: SpanData.Status =
      call.error.map {
        $0.isEmpty ? .unset : .error(message: $0.prefix(scalars: TruncationLimit.statusMessage))
      }
      ?? .unset
    return SpanData(
      traceID: identity.traceID, spanID: identity.spanID, parentSpanID: identity.parentSpanID,
      name: "chat \(call.model)", kind: .client, startTimeUnixNano: startTime, endTimeUnixNano: endTime,
      attributes: attributes, events: [], status: status, flags: identity.flags,
      traceState: identity.traceState)
  }
}

/// Fixed values of model-call attributes.
enum ModelCallAttributes {
  /// `error.type` of a failed call: the runtime gives a message, not a type, so the conventions'
  /// fallback value.
  static let errorType = "_OTHER"
}
