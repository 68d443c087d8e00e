@_exported import ObservabilitySinks
