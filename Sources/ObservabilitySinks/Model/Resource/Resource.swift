/// The entity that produces telemetry: `service.name`, `service.instance.id`, `telemetry.sdk.*`, …
public struct Resource: Hashable, Sendable {
  /// The resource's attributes.
  public var attributes: [Attribute]

  /// Creates a resource.
  public init(attributes: [Attribute]) {
    self.attributes = attributes
  }
}

/// The library that produced a span or metric.
public struct InstrumentationScope: Hashable, Sendable {
  /// The library's name.
  public var name: String
  /// The library's version.
  public var version: String

  /// Creates a scope.
  public init(name: String, version: String) {
    self.name = name
    self.version = version
  }
}

/// Where a batch of telemetry comes from: the resource and the instrumentation scope.
public struct TelemetrySource: Hashable, Sendable {
  /// The producing entity.
  public var resource: Resource
  /// The producing library.
  public var scope: InstrumentationScope

  /// Creates a source.
  public init(resource: Resource, scope: InstrumentationScope) {
    self.resource = resource
    self.scope = scope
  }
}
