/// The reference's truncation limits, in Unicode scalars.
enum TruncationLimit {
  static let task = 500
  static let eventText = 1000
  static let statusMessage = 200
}

extension SpanRecord {
  /// The span in exporter shape: attribute lists, events and status as the reference builds them.
  func spanData() -> SpanData {
    switch self {
    case .step(let record): return record.spanData()
    case .run(let record): return record.spanData()
    }
  }
}

extension StepSpanRecord {
  func spanData() -> SpanData {
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
      attributes: attributes(),
      events: events, status: status, flags: identity.flags, traceState: identity.traceState
    )
  }

  /// The step's attributes in the reference's order, with JSON types kept where they were given.
  private func attributes() -> [Attribute] {
    var attributes = [Attribute("rlm.run_id", .string(runID))]
    attributes.reserveCapacity(6)
    attributes.append("rlm.step", .int(Int64(event.step)), passedThrough: types?.step)
    attributes.append("rlm.action_type", .string(event.action.type), passedThrough: types?.actionType)
    attributes.append("rlm.reward", .double(event.reward), passedThrough: types?.reward)
    attributes.append(
      "rlm.cumulative_reward", .double(cumulativeReward), passedThrough: types?.cumulativeReward)
    attributes.append("rlm.success", .bool(event.observation.success), passedThrough: types?.success)
    return attributes
  }
}

extension RunSpanRecord {
  /// The message of a run span that a second `onRunStart` with the same id replaced.
  static let supersededMessage = "superseded by a new run with the same id"

  /// The message of a run span ended because more than `limit` runs were active.
  static func evictedMessage(limit: Int) -> String {
    "run evicted: more than \(limit) active runs"
  }

  func spanData() -> SpanData {
    var attributes = [
      Attribute("rlm.run_id", .string(runID)),
      Attribute("rlm.task", .string(task.prefix(scalars: TruncationLimit.task))),
      Attribute("rlm.environment", .string(environment)),
    ]
    attributes.append(
      "rlm.max_steps", .int(Int64(params.maxSteps)), passedThrough: paramTypes?.maxSteps)
    attributes.append("rlm.model", .string(params.model), passedThrough: paramTypes?.model)
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
    }
    return SpanData(
      traceID: identity.traceID, spanID: identity.spanID, parentSpanID: identity.parentSpanID,
      name: "rlm.run", startTimeUnixNano: startTime, endTimeUnixNano: endTime,
      attributes: attributes, events: events, status: status, flags: identity.flags,
      traceState: identity.traceState
    )
  }
}
