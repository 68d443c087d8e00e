import TelemetryModel

/// Trace and span ids from wyrand, seeded once from the system generator.
///
/// The system generator costs a `getrandom` syscall per call (≈ 380 ns here); wyrand costs
/// ≈ 3 ns and passes BigCrush, which is what id uniqueness needs. The state lives under the
/// recorder's lock, so no extra synchronisation is needed.
struct IdGenerator {
  private var state: UInt64

  init() {
    var system = SystemRandomNumberGenerator()
    state = system.next()
  }

  /// A random trace id, never the invalid all-zero one.
  mutating func nextTraceID() -> SpanData.TraceID {
    while true {
      let id = SpanData.TraceID(high: next(), low: next())
      if id.isValid { return id }
    }
  }

  /// A random span id, never zero.
  mutating func nextSpanID() -> SpanData.SpanID {
    while true {
      let value = next()
      if value != 0 { return SpanData.SpanID(value) }
    }
  }

  private mutating func next() -> UInt64 {
    state &+= 0xa076_1d64_78bd_642f
    let product = state.multipliedFullWidth(by: state ^ 0xe703_7ed1_a0b4_28db)
    return product.high ^ product.low
  }
}
