/// Builds the resource every span and metric of a sink carries.
enum ResourceBuilder {
  /// One random id per process, as the OpenTelemetry SDKs give `service.instance.id`.
  static let serviceInstanceId = RandomUUID.make()

  static func resource(serviceName: String, extra: [Attribute]) -> Resource {
    let own = [
      Attribute("telemetry.sdk.language", .string("swift")),
      Attribute("telemetry.sdk.name", .string("observability-sinks")),
      Attribute("telemetry.sdk.version", .string(ObservabilitySinksVersion.current)),
      Attribute("service.instance.id", .string(serviceInstanceId)),
    ]
    // Later entries win, and the sink's service name wins over OTEL_RESOURCE_ATTRIBUTES.
    var merged: [Attribute] = []
    for attribute in own + extra + [Attribute("service.name", .string(serviceName))] {
      if let index = merged.firstIndex(where: { $0.key == attribute.key }) {
        merged[index] = attribute
      } else {
        merged.append(attribute)
      }
    }
    return Resource(attributes: merged)
  }
}
