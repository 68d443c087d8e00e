import COTLPProto
import CProtobufC

/// Encodes collected metrics as an OTLP `ExportMetricsServiceRequest` with protobuf-c.
package enum MetricsRequestEncoder {
  /// The request bytes for `metrics`, all under one resource and one scope.
  package static func encode(_ metrics: [MetricData], from source: TelemetrySource) -> [UInt8] {
    let arena = ProtobufArena()
    let request = arena.allocate(
      Opentelemetry__Proto__Collector__Metrics__V1__ExportMetricsServiceRequest.self)
    opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__init(request)
    let resourceMetrics = arena.allocate(Opentelemetry__Proto__Metrics__V1__ResourceMetrics.self)
    opentelemetry__proto__metrics__v1__resource_metrics__init(resourceMetrics)
    resourceMetrics.pointee.resource = arena.resource(source.resource)
    let scopeMetrics = arena.allocate(Opentelemetry__Proto__Metrics__V1__ScopeMetrics.self)
    opentelemetry__proto__metrics__v1__scope_metrics__init(scopeMetrics)
    scopeMetrics.pointee.scope = arena.scope(source.scope)

    let pointers = arena.allocate(
      UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__Metric>?.self, count: metrics.count)
    for (index, metric) in metrics.enumerated() {
      pointers[index] = arena.metric(metric)
    }
    scopeMetrics.pointee.n_metrics = metrics.count
    scopeMetrics.pointee.metrics = pointers

    let scopeList = arena.allocate(
      UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__ScopeMetrics>?.self)
    scopeList[0] = scopeMetrics
    resourceMetrics.pointee.n_scope_metrics = 1
    resourceMetrics.pointee.scope_metrics = scopeList
    let resourceList = arena.allocate(
      UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__ResourceMetrics>?.self)
    resourceList[0] = resourceMetrics
    request.pointee.n_resource_metrics = 1
    request.pointee.resource_metrics = resourceList
    return arena.pack(request)
  }
}

extension ProtobufArena {
  fileprivate func metric(_ metric: MetricData) -> UnsafeMutablePointer<
    Opentelemetry__Proto__Metrics__V1__Metric
  > {
    let message = allocate(Opentelemetry__Proto__Metrics__V1__Metric.self)
    opentelemetry__proto__metrics__v1__metric__init(message)
    message.pointee.name = bytes(metric.name)
    message.pointee.description = bytes(metric.description)
    message.pointee.unit = bytes(metric.unit)
    switch metric.points {
    case .sum(let points, let temporality, let isMonotonic):
      let sum = allocate(Opentelemetry__Proto__Metrics__V1__Sum.self)
      opentelemetry__proto__metrics__v1__sum__init(sum)
      sum.pointee.aggregation_temporality = wire(temporality)
      sum.pointee.is_monotonic = isMonotonic ? 1 : 0
      let pointers = allocate(
        UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__NumberDataPoint>?.self, count: points.count)
      let messages = allocate(Opentelemetry__Proto__Metrics__V1__NumberDataPoint.self, count: points.count)
      for (index, point) in points.enumerated() {
        let pointMessage = messages + index
        opentelemetry__proto__metrics__v1__number_data_point__init(pointMessage)
        (pointMessage.pointee.n_attributes, pointMessage.pointee.attributes) = keyValues(point.attributes)
        pointMessage.pointee.start_time_unix_nano = point.startTimeUnixNano
        pointMessage.pointee.time_unix_nano = point.timeUnixNano
        pointMessage.pointee.value_case = OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT
        pointMessage.pointee.as_int = point.value
        pointers[index] = pointMessage
      }
      sum.pointee.n_data_points = points.count
      sum.pointee.data_points = pointers
      message.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM
      message.pointee.sum = sum
    case .histogram(let points, let temporality):
      let histogram = allocate(Opentelemetry__Proto__Metrics__V1__Histogram.self)
      opentelemetry__proto__metrics__v1__histogram__init(histogram)
      histogram.pointee.aggregation_temporality = wire(temporality)
      let pointers = allocate(
        UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__HistogramDataPoint>?.self, count: points.count
      )
      let messages = allocate(Opentelemetry__Proto__Metrics__V1__HistogramDataPoint.self, count: points.count)
      for (index, point) in points.enumerated() {
        let pointMessage = messages + index
        fill(pointMessage, with: point)
        pointers[index] = pointMessage
      }
      histogram.pointee.n_data_points = points.count
      histogram.pointee.data_points = pointers
      message.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM
      message.pointee.histogram = histogram
    }
    return message
  }

  private func fill(
    _ message: UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__HistogramDataPoint>,
    with point: HistogramDataPoint
  ) {
    opentelemetry__proto__metrics__v1__histogram_data_point__init(message)
    (message.pointee.n_attributes, message.pointee.attributes) = keyValues(point.attributes)
    message.pointee.start_time_unix_nano = point.startTimeUnixNano
    message.pointee.time_unix_nano = point.timeUnixNano
    message.pointee.count = point.count
    let buckets = allocate(UInt64.self, count: point.bucketCounts.count)
    for (index, count) in point.bucketCounts.enumerated() { buckets[index] = count }
    message.pointee.n_bucket_counts = point.bucketCounts.count
    message.pointee.bucket_counts = buckets
    let bounds = allocate(Double.self, count: point.explicitBounds.count)
    for (index, bound) in point.explicitBounds.enumerated() { bounds[index] = bound }
    message.pointee.n_explicit_bounds = point.explicitBounds.count
    message.pointee.explicit_bounds = bounds
    message.pointee._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM
    message.pointee.sum = point.sum
    if let min = point.min {
      message.pointee._min_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MIN_MIN
      message.pointee.min = min
    }
    if let max = point.max {
      message.pointee._max_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX
      message.pointee.max = max
    }
  }

  private func wire(_ temporality: AggregationTemporality)
    -> Opentelemetry__Proto__Metrics__V1__AggregationTemporality
  {
    switch temporality {
    case .delta:
      return OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_DELTA
    case .cumulative:
      return OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_CUMULATIVE
    }
  }
}
