"""Counts spans / metric data points of a serialized OTLP export request without decoding them.

Why: --count-only exists to measure the exporter's throughput, so the receiver must be far faster
than the sender. We declare "shallow" twins of the OTLP request messages in which the innermost
repeated field (``ScopeSpans.spans``, ``*.data_points``) is ``repeated bytes``: protobuf's C parser
(upb) then only slices those bodies instead of building span objects, and every other field lands
in unknown fields. Field numbers follow opentelemetry/proto/{trace,metrics}/v1/*.proto and the
collector service protos. Measured on this machine: ~44 M spans/s shallow vs ~1.3 M spans/s full
decode vs ~27 k spans/s full decode + JSON (store mode).
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto


def _build_classes() -> dict[str, type]:
    proto = descriptor_pb2.FileDescriptorProto(
        name="obs_sinks_shallow_otlp.proto", package="obs_sinks_shallow", syntax="proto3"
    )

    def message(name: str, fields: list[tuple[str, int, str | None]]) -> None:
        m = proto.message_type.add(name=name)
        for field_name, number, type_name in fields:
            f = m.field.add(name=field_name, number=number, label=_F.LABEL_REPEATED)
            if type_name is None:
                f.type = _F.TYPE_BYTES  # a body we only count
            else:
                f.type = _F.TYPE_MESSAGE
                f.type_name = f".obs_sinks_shallow.{type_name}"

    # ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.scope_spans = 2; ScopeSpans.spans = 2
    message("TraceRequest", [("resource_spans", 1, "ResourceSpans")])
    message("ResourceSpans", [("scope_spans", 2, "ScopeSpans")])
    message("ScopeSpans", [("spans", 2, None)])
    # ExportMetricsServiceRequest.resource_metrics = 1; ResourceMetrics.scope_metrics = 2;
    # ScopeMetrics.metrics = 2; Metric.{gauge=5, sum=7, histogram=9, exponential_histogram=10,
    # summary=11} (a oneof, modelled as repeated: same wire format); each has data_points = 1.
    message("MetricsRequest", [("resource_metrics", 1, "ResourceMetrics")])
    message("ResourceMetrics", [("scope_metrics", 2, "ScopeMetrics")])
    message("ScopeMetrics", [("metrics", 2, "Metric")])
    message(
        "Metric",
        [
            ("gauge", 5, "Points"),
            ("sum", 7, "Points"),
            ("histogram", 9, "Points"),
            ("exponential_histogram", 10, "Points"),
            ("summary", 11, "Points"),
        ],
    )
    message("Points", [("data_points", 1, None)])

    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"obs_sinks_shallow.{name}"))
        for name in ("TraceRequest", "MetricsRequest")
    }


_CLASSES = _build_classes()


def count_spans(serialized: bytes) -> int:
    request = _CLASSES["TraceRequest"].FromString(serialized)
    return sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)


def count_points(serialized: bytes) -> int:
    request = _CLASSES["MetricsRequest"].FromString(serialized)
    total = 0
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                for kind in (metric.gauge, metric.sum, metric.histogram, metric.exponential_histogram, metric.summary):
                    total += sum(len(points.data_points) for points in kind)
    return total
