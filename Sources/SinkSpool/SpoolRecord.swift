/// One record of a segment: a typed payload with its stream sequence number, framed with its
/// length in front and a checksum behind (docs/spool-format.md, "Records").
package struct SpoolRecord: Hashable, Sendable {
  /// What a record holds. Data records (`span`, `runStarted`, `runState`) carry the stream's
  /// strictly increasing sequence numbers; the others carry 0.
  package enum Kind: UInt8, Sendable {
    /// The writer's resource and instrumentation scope: first in every segment.
    case source = 1
    /// One span, as an OTLP `Span` after a fixed part of ids and times.
    case span = 2
    /// A run's start: what a later process needs to end the run if this one dies first.
    case runStarted = 3
    /// An open run carried forward from a segment about to be deleted.
    case runState = 4
    /// Sequence ranges the collector has settled.
    case ack = 5
    /// The segment is complete: written when the writer moves to the next one.
    case seal = 6
    /// Written into a dead stream by the process that recovers it.
    case adopted = 7
    /// Span ids whose journals are closed though no span of theirs is in the stream.
    case closed = 8

    /// Whether records of this kind carry a sequence number.
    package var isData: Bool { self == .span || self == .runStarted || self == .runState }
  }

  /// Frame bytes before the payload: length, type, flags, reserved, sequence.
  package static let headerSize = 16
  /// Frame bytes around the payload: the header and the trailing checksum.
  package static let overhead = headerSize + 4
  /// The largest payload written or read; a larger length in a file is corruption.
  package static let largestPayload = 4 << 20
  /// Flag bit 0: a reader that does not know the type may skip the record.
  package static let skippableFlag: UInt8 = 1

  /// The raw type byte (a later minor may write types this version does not know).
  package var type: UInt8
  package var flags: UInt8
  package var sequence: UInt64
  package var payload: [UInt8]

  package init(type: UInt8, flags: UInt8 = 0, sequence: UInt64, payload: [UInt8]) {
    self.type = type
    self.flags = flags
    self.sequence = sequence
    self.payload = payload
  }

  package init(_ kind: Kind, sequence: UInt64 = 0, payload: [UInt8]) {
    self.init(type: kind.rawValue, sequence: sequence, payload: payload)
  }

  /// The record's kind, `nil` for a type this version does not know.
  package var kind: Kind? { Kind(rawValue: type) }

  /// Appends the framed record to `bytes`.
  package func frame(into bytes: inout [UInt8]) {
    precondition(payload.count <= Self.largestPayload, "a spool record's payload is at most 4 MiB")
    let start = bytes.count
    // Grown geometrically, never to the exact size: a writer frames hundreds of records into one
    // buffer, and an exact reservation per record would copy the buffer each time.
    let needed = start + Self.overhead + payload.count
    if bytes.capacity < needed { bytes.reserveCapacity(max(needed, 2 * bytes.capacity)) }
    bytes.appendLittleEndian(UInt32(payload.count))
    bytes.append(type)
    bytes.append(flags)
    bytes.appendLittleEndian(UInt16(0))
    bytes.appendLittleEndian(sequence)
    bytes += payload
    bytes.appendLittleEndian(SpoolChecksum.of(bytes[start...]))
  }

  /// The framed record on its own.
  package func framed() -> [UInt8] {
    var bytes: [UInt8] = []
    frame(into: &bytes)
    return bytes
  }
}
