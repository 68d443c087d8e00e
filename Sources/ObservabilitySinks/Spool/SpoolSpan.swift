import SinkSpool

/// The payloads of the spool's span and run records: a fixed part of ids and times (what recovery
/// needs without decoding), then the OTLP `Span` message as it will be sent.
struct SpoolSpan: Sendable {
  /// What a span record is to recovery.
  enum Role: UInt8, Sendable {
    /// A step, a model call: nothing recovery has to do beyond sending it.
    case plain = 0
    /// The `rlm.run` span of a run that ended (it closes the journal of the run's start).
    case runEnded = 1
  }

  var traceHigh: UInt64
  var traceLow: UInt64
  var spanID: UInt64
  /// For a span, its end; for a run start, its start.
  var time: UInt64
  var role: Role
  var span: [UInt8]

  static let fixedSize = 40

  init(_ data: SpanData, role: Role, time: UInt64, span: [UInt8]) {
    traceHigh = data.traceID.high
    traceLow = data.traceID.low
    spanID = data.spanID.value
    self.time = time
    self.role = role
    self.span = span
  }

  /// The record's payload.
  func payload() -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Self.fixedSize + span.count)
    for value in [traceHigh, traceLow, spanID, time] {
      for shift in stride(from: 0, to: 64, by: 8) {
        bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
      }
    }
    bytes.append(role.rawValue)
    bytes += [0, 0, 0, 0, 0, 0, 0]
    bytes += span
    return bytes
  }

  /// The payload read back; `nil` when it is too short or its role unknown.
  init?(payload: [UInt8]) {
    guard let fixed = Self.fixed(payload) else { return nil }
    (traceHigh, traceLow, spanID, time, role) = fixed
    span = Array(payload[Self.fixedSize...])
  }

  /// The fixed part of a payload alone, without copying the span.
  static func fixed(_ payload: [UInt8]) -> (UInt64, UInt64, UInt64, UInt64, Role)? {
    guard payload.count >= fixedSize, let role = Role(rawValue: payload[32]) else { return nil }
    func word(_ index: Int) -> UInt64 {
      (0..<8).reduce(UInt64(0)) { $0 | UInt64(payload[index * 8 + $1]) << UInt64($1 * 8) }
    }
    return (word(0), word(1), word(2), word(3), role)
  }
}

/// The spool's `source` record: this process's resource and scope, encoded.
extension EncodedSource {
  func payload() -> [UInt8] {
    var bytes: [UInt8] = []
    let count = UInt32(resource.count)
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift)))
    }
    return bytes + resource + scope
  }

  init?(payload: [UInt8]) {
    guard payload.count >= 4 else { return nil }
    let count = (0..<4).reduce(0) { $0 | Int(payload[$1]) << ($1 * 8) }
    guard count <= payload.count - 4 else { return nil }
    self.init(resource: Array(payload[4..<(4 + count)]), scope: Array(payload[(4 + count)...]))
  }
}

/// The spool's `closed` record: span ids whose journals are closed with no span of theirs in the
/// stream (a failed write sent the span from memory), so recovery does not rebuild them.
enum SpoolClosed {
  static func payload(_ spanIDs: [UInt64]) -> [UInt8] {
    spanIDs.flatMap { id in (0..<8).map { UInt8(truncatingIfNeeded: id >> UInt64($0 * 8)) } }
  }

  /// The ids; `nil` when the payload is not a whole number of them.
  static func spanIDs(_ payload: [UInt8]) -> [UInt64]? {
    guard payload.count % 8 == 0 else { return nil }
    return stride(from: 0, to: payload.count, by: 8).map { start in
      (0..<8).reduce(UInt64(0)) { $0 | UInt64(payload[start + $1]) << UInt64($1 * 8) }
    }
  }
}

/// The spool's `ack` record: every data record up to a sequence is settled (the exporter reads a
/// stream in order, so one number says it).
enum SpoolAck {
  static func payload(settledThrough sequence: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: sequence >> UInt64($0 * 8)) }
  }

  static func sequence(_ payload: [UInt8]) -> UInt64? {
    guard payload.count == 8 else { return nil }
    return (0..<8).reduce(UInt64(0)) { $0 | UInt64(payload[$1]) << UInt64($1 * 8) }
  }
}
