#!/usr/bin/env python3
"""Sends OTLP/gRPC export requests built with the official classes and prints what came back.

Used by the TestSupport self-tests to drive otlp_receiver.py with a client that is not our Swift
exporter, and to measure the receiver's capacity (--repeat, --count-only receiver).

Prints one JSON object (last line of stdout):
  {"code": "OK"|<status name>, "details": str, "calls": n, "elapsed_s": s,
   "partial_success": {...}, "trailers": {key: base64|str}, "retry_delay_ms": int|null}
of the last call (all calls for --repeat share the request).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time

import grpc
from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

import rpc_status


def attribute(key: str, value: str | int) -> common_pb2.KeyValue:
    kv = common_pb2.KeyValue(key=key)
    if isinstance(value, int):
        kv.value.int_value = value
    else:
        kv.value.string_value = value
    return kv


def resource(service_name: str) -> resource_pb2.Resource:
    return resource_pb2.Resource(attributes=[attribute("service.name", service_name)])


def trace_request(args: argparse.Namespace) -> trace_service_pb2.ExportTraceServiceRequest:
    request = trace_service_pb2.ExportTraceServiceRequest()
    rs = request.resource_spans.add(resource=resource(args.service_name))
    ss = rs.scope_spans.add(scope=common_pb2.InstrumentationScope(name="send_sample", version="1.0"))
    trace_id = os.urandom(16)
    now = time.time_ns()
    for i in range(args.spans):
        ss.spans.add(
            trace_id=trace_id, span_id=os.urandom(8), name=f"{args.span_name}-{i}",
            kind=trace_pb2.Span.SPAN_KIND_INTERNAL, start_time_unix_nano=now, end_time_unix_nano=now + 1000,
            attributes=[attribute("sample.index", i)],
        )
    return request


def metrics_request(args: argparse.Namespace) -> metrics_service_pb2.ExportMetricsServiceRequest:
    request = metrics_service_pb2.ExportMetricsServiceRequest()
    rm = request.resource_metrics.add(resource=resource(args.service_name))
    sm = rm.scope_metrics.add(scope=common_pb2.InstrumentationScope(name="send_sample"))
    metric = sm.metrics.add(name=args.metric_name, unit="1")
    metric.sum.aggregation_temporality = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    metric.sum.is_monotonic = True
    now = time.time_ns()
    for i in range(args.points):
        metric.sum.data_points.add(as_int=i + 1, time_unix_nano=now, attributes=[attribute("point", i)])
    return request


def channel(args: argparse.Namespace) -> grpc.Channel:
    target = f"{args.host}:{args.port}"
    if not args.tls_ca:
        return grpc.insecure_channel(target)

    def read(path: str | None) -> bytes | None:
        if path is None:
            return None
        with open(path, "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(args.tls_ca), private_key=read(args.client_key),
        certificate_chain=read(args.client_cert),
    )
    return grpc.secure_channel(target, credentials)


def retry_delay_ms(trailers: dict[str, bytes | str]) -> int | None:
    """Decodes grpc-status-details-bin (google.rpc.Status) and returns its RetryInfo delay."""
    raw = trailers.get("grpc-status-details-bin")
    if not isinstance(raw, bytes):
        return None
    return rpc_status.retry_delay_ms(raw)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1", help="use 'localhost' to check the certificate's DNS name")
    p.add_argument("--signal", choices=("traces", "metrics"), default="traces")
    p.add_argument("--spans", type=int, default=1)
    p.add_argument("--points", type=int, default=1)
    p.add_argument("--span-name", default="sample-span")
    p.add_argument("--metric-name", default="sample.counter")
    p.add_argument("--service-name", default="send-sample")
    p.add_argument("--header", action="append", default=[], metavar="K=V")
    p.add_argument("--gzip", action="store_true")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--tls-ca", metavar="FILE", help="use TLS, trusting this CA")
    p.add_argument("--client-cert", metavar="FILE")
    p.add_argument("--client-key", metavar="FILE")
    args = p.parse_args(argv)

    metadata = tuple(tuple(h.split("=", 1)) for h in args.header)
    compression = grpc.Compression.Gzip if args.gzip else None
    with channel(args) as ch:
        if args.signal == "traces":
            stub, request = trace_service_pb2_grpc.TraceServiceStub(ch), trace_request(args)
        else:
            stub, request = metrics_service_pb2_grpc.MetricsServiceStub(ch), metrics_request(args)
        result: dict = {}
        started = time.perf_counter()
        for _ in range(args.repeat):
            try:
                response, call = stub.Export.with_call(request, metadata=metadata, timeout=args.timeout,
                                                       compression=compression)
                result = {"code": "OK", "details": "",
                          "partial_success": json_format.MessageToDict(response.partial_success,
                                                                       preserving_proto_field_name=True)}
                trailers = call.trailing_metadata() or ()
            except grpc.RpcError as error:
                result = {"code": error.code().name, "details": error.details() or "", "partial_success": {}}
                trailers = error.trailing_metadata() or ()
        elapsed = time.perf_counter() - started
    trailer_map = {k: v for k, v in trailers}
    result["trailers"] = {k: base64.b64encode(v).decode() if isinstance(v, bytes) else v for k, v in trailer_map.items()}
    result["retry_delay_ms"] = retry_delay_ms(trailer_map)
    result["calls"] = args.repeat
    result["elapsed_s"] = elapsed
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
