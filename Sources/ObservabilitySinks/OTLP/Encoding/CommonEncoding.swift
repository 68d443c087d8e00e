import COTLPProto
import CProtobufC

/// OTLP `common` and `resource` messages from the model, in an arena.
extension ProtobufArena {
  typealias KeyValue = Opentelemetry__Proto__Common__V1__KeyValue
  typealias AnyValue = Opentelemetry__Proto__Common__V1__AnyValue

  /// A `repeated KeyValue` field: the count and the pointer array.
  func keyValues(_ attributes: [Attribute]) -> (
    count: Int, pointers: UnsafeMutablePointer<UnsafeMutablePointer<KeyValue>?>?
  ) {
    guard !attributes.isEmpty else { return (0, nil) }
    let pointers = allocate(UnsafeMutablePointer<KeyValue>?.self, count: attributes.count)
    let pairs = allocate(KeyValue.self, count: attributes.count)
    let values = allocate(AnyValue.self, count: attributes.count)
    for (index, attribute) in attributes.enumerated() {
      let pair = pairs + index
      let value = values + index
      opentelemetry__proto__common__v1__any_value__init(value)
      switch attribute.value {
      case .string(let text):
        value.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE
        value.pointee.string_value = bytes(text)
      case .bool(let flag):
        value.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE
        value.pointee.bool_value = flag ? 1 : 0
      case .int(let number):
        value.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE
        value.pointee.int_value = number
      case .double(let number):
        value.pointee.value_case = OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE
        value.pointee.double_value = number
      case .empty:
        break  // __init left the value unset
      }
      opentelemetry__proto__common__v1__key_value__init(pair)
      pair.pointee.key = bytes(attribute.key)
      pair.pointee.value = value
      pointers[index] = pair
    }
    return (attributes.count, pointers)
  }

  func resource(_ resource: Resource) -> UnsafeMutablePointer<Opentelemetry__Proto__Resource__V1__Resource> {
    let message = allocate(Opentelemetry__Proto__Resource__V1__Resource.self)
    opentelemetry__proto__resource__v1__resource__init(message)
    (message.pointee.n_attributes, message.pointee.attributes) = keyValues(resource.attributes)
    return message
  }

  func scope(_ scope: InstrumentationScope) -> UnsafeMutablePointer<
    Opentelemetry__Proto__Common__V1__InstrumentationScope
  > {
    let message = allocate(Opentelemetry__Proto__Common__V1__InstrumentationScope.self)
    opentelemetry__proto__common__v1__instrumentation_scope__init(message)
    message.pointee.name = bytes(scope.name)
    message.pointee.version = bytes(scope.version)
    return message
  }

  /// Packs a message whose tree lives in this arena.
  func pack<Message>(_ message: UnsafeMutablePointer<Message>) -> [UInt8] {
    message.withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) { base in
      let size = protobuf_c_message_get_packed_size(base)
      return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        count = protobuf_c_message_pack(base, buffer.baseAddress)
      }
    }
  }
}
