@_exported import ObservabilitySinks
@_exported import TelemetryModel
