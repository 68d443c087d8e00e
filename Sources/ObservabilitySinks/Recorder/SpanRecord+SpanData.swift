/// The reference's truncation limits, in Unicode scalars.
enum TruncationLimit {
  static let task = 500
  static let eventText = 1000
  static let statusMessage = 200
}

extension SpanRecord {
  /// The span in exporter shape: attribute lists, events and status as the reference builds them,
  /// plus what `conventions` add.
  func spanData(conventions: LLMConventions = []) -> SpanData {
    switch self {
    case .step(let record), .stepStarted(let record): return record.spanData(conventions: conventions)
    case .run(let record): return record.spanData(conventions: conventions)
    case .runStarted(let start):
      // As the run's span would end if the process died now.
      return RunSpanRecord(start: start, endTime: start.startTime, ending: RunEnding.processEnded)
        .spanData(conventions: conventions)
    case .llmCall(let record): return record.spanData(conventions: conventions)
    }
  }
}

extension StepSpanRecord {
  func spanData(conventions: LLMConventions = []) -> SpanData {
    let event = self.event
    var events: [SpanData.Event] = []
    if let code = event.action.code, !code.isEmpty {
      events.append(
        SpanData.Event(
          name: "code_execution", timeUnixNano: endTime,
          attributes: [
            Attribute("code", .string(code.prefix(scalars: TruncationLimit.eventText)))
          ]
        ))
    }
    if let output = event.observation.output, !output.isEmpty {
      events.append(
        SpanData.Event(
          name: "output", timeUnixNano: endTime,
          attributes: [
            Attribute("output", .string(output.prefix(scalars: TruncationLimit.eventText)))
          ]
        ))
    }
    let status: SpanData.Status
    if event.observation.success {
      status = .ok
    } else if let error = event.observation.error, !error.isEmpty {
      status = .error(message: error.prefix(scalars: TruncationLimit.statusMessage))
    } else {
      status = .unset
    }
    return SpanData(
      traceID: identity.traceID, spanID: identity.spanID, parentSpanID: identity.parentSpanID,
      name: "rlm.step", startTimeUnixNano: startTime, endTimeUnixNano: endTime,
      attributes: attributes(conventions: conventions),
      events: events, status: status, flags: identity.flags, traceState: identity.traceState
    )
  }

  /// The step's attributes in the reference's order, with JSON types kept where they were given.
  private func attributes(conventions: LLMConventions) -> [Attribute] {
    var attributes = [Attribute("rlm.run_id", .string(runID))]
    attributes.reserveCapacity(6)
    attributes.append("rlm.step", .int(Int64(event.step)), passedThrough: types?.step)
    attributes.append("rlm.action_type", .string(event.action.type), passedThrough: types?.actionType)
    attributes.append("rlm.reward", .double(event.reward), passedThrough: types?.reward)
    attributes.append(
      "rlm.cumulative_reward", .double(cumulativeReward), passedThrough: types?.cumulativeReward)
    attributes.append("rlm.success", .bool(event.observation.success), passedThrough: types?.success)
    ConventionAttributes.usage(event.usage, into: &attributes)
    if conventions.contains(.openInference) {
      ConventionAttributes.openInference(kind: "CHAIN", labels: labels, into: &attributes)
      ConventionAttributes.openInferenceValue("input.value", event.action.code, into: &attributes)
      ConventionAttributes.openInferenceValue("output.value", event.observation.output, into: &attributes)
    }
    return attributes
  }
}

extension RunSpanRecord {
  /// The message of a run span that a second `onRunStart` with the same id replaced.
  static let supersededMessage = "superseded by a new run with the same id"

  /// The message of a run a later process ended from a spool: its own process died first.
  static let processEndedMessage = "the process ended before the run did"

  /// The message of a run span ended because more than `limit` runs were active.
  static func evictedMessage(limit: Int) -> String {
    "run evicted: more than \(limit) active runs"
  }

  func spanData(conventions: LLMConventions = []) -> SpanData {
    var attributes = [
      Attribute("rlm.run_id", .string(runID)),
      Attribute("rlm.task", .string(task.prefix(scalars: TruncationLimit.task))),
      Attribute("rlm.environment", .string(environment)),
    ]
    attributes.append(
      "rlm.max_steps", .int(Int64(params.maxSteps)), passedThrough: paramTypes?.maxSteps)
    attributes.append("rlm.model", .string(params.model), passedThrough: paramTypes?.model)
    if let depth = params.depth { attributes.append(Attribute("rlm.depth", .int(Int64(depth)))) }
    if let parentRunID = params.parentRunID {
      attributes.append(Attribute("rlm.parent_run_id", .string(parentRunID)))
    }
    var events: [SpanData.Event] = []
    let status: SpanData.Status
    switch ending {
    case .finished(let result, let runPath):
      attributes += [
        Attribute("rlm.completed", .bool(result.completed)),
        Attribute("rlm.total_steps", .int(Int64(result.steps))),
        Attribute("rlm.total_reward", .double(result.totalReward)),
        Attribute("rlm.run_path", .string(runPath)),
      ]
      ConventionAttributes.usage(result.usage, into: &attributes)
      if let answer = result.finalAnswer, !answer.isEmpty {
        events.append(
          SpanData.Event(
            name: "final_answer", timeUnixNano: endTime,
            attributes: [Attribute("answer", .string(answer.prefix(scalars: TruncationLimit.eventText)))]
          ))
      }
      status = result.completed ? .ok : .error(message: "Run did not complete")
    case .superseded:
      status = .error(message: Self.supersededMessage)
    case .evicted(let limit):
      status = .error(message: Self.evictedMessage(limit: limit))
    case .processEnded:
      status = .error(message: Self.processEndedMessage)
    }
    if !conventions.isEmpty { conventionAttributes(conventions, into: &attributes) }
    let links = parentRunSpan.map {
      [
        SpanData.Link(
          traceID: $0.traceID, spanID: $0.spanID, attributes: [Attribute("rlm.link", .string("parent_run"))])
      ]
    }
    return SpanData(
      traceID: identity.traceID, spanID: identity.spanID, parentSpanID: identity.parentSpanID,
      name: "rlm.run", startTimeUnixNano: startTime, endTimeUnixNano: endTime,
      attributes: attributes, events: events, status: status, links: links ?? [], flags: identity.flags,
      traceState: identity.traceState
    )
  }

  /// `invoke_agent` (GenAI) and `AGENT` (OpenInference) attributes of the run.
  private func conventionAttributes(_ conventions: LLMConventions, into attributes: inout [Attribute]) {
    let labels = RunLabels(params)
    if conventions.contains(.genAI) {
      attributes.append(Attribute("gen_ai.operation.name", .string("invoke_agent")))
      attributes.append(Attribute("gen_ai.agent.name", .string(Self.agentName)))
      if params.model != "unknown" {
        attributes.append(Attribute("gen_ai.request.model", .string(params.model)))
      }
      if let session = params.sessionID {
        attributes.append(Attribute("gen_ai.conversation.id", .string(session)))
      }
    }
    if conventions.contains(.openInference) {
      ConventionAttributes.openInference(kind: "AGENT", labels: labels, into: &attributes)
      ConventionAttributes.openInferenceValue("input.value", task, into: &attributes)
      if case .finished(let result, _) = ending {
        ConventionAttributes.openInferenceValue("output.value", result.finalAnswer, into: &attributes)
      }
    }
  }

  /// `gen_ai.agent.name` of every run.
  static let agentName = "rlm"
}
