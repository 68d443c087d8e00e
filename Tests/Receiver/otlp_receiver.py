#!/usr/bin/env python3
"""The test suite's OTLP receiver: an independent decoder for what the Swift exporter sends.

Built from grpcio and the official ``opentelemetry-proto`` generated servicers/classes, so a request
our exporter encodes wrongly fails here exactly as it would in a real collector. Serves OTLP/gRPC on
--port and OTLP/HTTP (binary protobuf, see otlp_http.py) on --http-port, both on 127.0.0.1 only,
both TLS with --tls-cert/--tls-key (mTLS with --tls-client-ca).

stdout: first line ``READY <grpc-port> http=<http-port>`` (flushed; the first two words are the
original ``READY <port>`` protocol); ``STATS <json>`` when stopped (SIGTERM/SIGINT).

Store mode (``--out DIR``), one JSON object per line, flushed per line so tests can poll:
  traces.jsonl / metrics.jsonl  every decoded request that was answered OK (MessageToDict with
                                preserving_proto_field_name=True)
  calls.jsonl                   every Export call, whatever the answer: service, seq, transport
                                ("grpc" | "http"), spans|points, bytes (uncompressed), metadata (gRPC
                                metadata, binary values base64; or the HTTP request headers, names
                                lowercased), compressed (gRPC: null, grpcio hides grpc-encoding from
                                handlers; HTTP: Content-Encoding not identity), answered (OK or a
                                gRPC status name), rejected, time; HTTP also http_status, path,
                                connection (its connections.jsonl seq), body_bytes (as sent)
  connections.jsonl             every TCP connection the HTTP listener accepted: seq, peer, tls,
                                tls_error (a failed handshake), time
Count-only mode (``--count-only``): nothing decoded or stored per call; spans/points are counted
from the wire (see shallow_count.py); totals go to stdout and ``--stats FILE`` on exit.

gRPC call handling order: --delay-ms, --require-header, --metrics-unimplemented, --fail-always /
--fail-first (with --retry-info-ms), --partial-reject, OK. OTLP/HTTP: see otlp_http.py. The
--fail-first budget is shared by both services and both transports.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from concurrent import futures
from typing import Any, Callable

import grpc
from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

import rpc_status
import shallow_count

TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService"
METRICS_SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService"


class Recorder:
    """Serializes file appends and counters across grpc's worker threads."""

    def __init__(self, out_dir: str | None) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, Any] = {}
        self.totals = {"calls": 0, "ok_calls": 0, "spans": 0, "points": 0, "bytes": 0,
                       "http_calls": 0, "http_connections": 0}
        self.first_call_time: float | None = None
        self.last_call_time: float | None = None
        if out_dir is not None:
            os.makedirs(out_dir, exist_ok=True)
            for name in ("traces", "metrics", "calls", "connections"):
                # Created up front so readers can open them before the first call.
                self._files[name] = open(os.path.join(out_dir, f"{name}.jsonl"), "a", encoding="utf-8")

    def next_call(self, transport: str = "grpc") -> int:
        with self._lock:
            self.totals["calls"] += 1
            if transport == "http":
                self.totals["http_calls"] += 1
            now = time.time()
            if self.first_call_time is None:
                self.first_call_time = now
            self.last_call_time = now
            return self.totals["calls"]

    def next_http_connection(self) -> int:
        with self._lock:
            self.totals["http_connections"] += 1
            return self.totals["http_connections"]

    def accepted(self, unit: str, count: int, size: int) -> None:
        with self._lock:
            self.totals["ok_calls"] += 1
            self.totals[unit] += count
            self.totals["bytes"] += size

    def append(self, name: str, obj: dict[str, Any]) -> None:
        line = json.dumps(obj, separators=(",", ":")) + "\n"
        with self._lock:
            f = self._files.get(name)  # None in count-only mode, or once closed
            if f is None:
                return
            f.write(line)
            f.flush()

    def store(self, service: str, request: Any) -> None:
        """Appends an accepted request to traces.jsonl / metrics.jsonl, whichever transport brought it."""
        if service in self._files:
            self.append(service, json_format.MessageToDict(request, preserving_proto_field_name=True))

    def close(self) -> None:
        with self._lock:
            for f in self._files.values():
                f.close()
            self._files.clear()

    def stats(self) -> dict[str, Any]:
        with self._lock:
            elapsed = (self.last_call_time or 0) - (self.first_call_time or 0)
            return {**self.totals, "first_call_time": self.first_call_time,
                    "last_call_time": self.last_call_time, "elapsed_s": elapsed}


class FaultPlan:
    """Decides the answer of each call from the fault-injection options."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._lock = threading.Lock()
        self._failures_left = args.fail_first
        self.required_header: tuple[str, str] | None = None
        if args.require_header:
            key, _, value = args.require_header.partition("=")
            self.required_header = (key.strip().lower(), value)

    def injected_failure(self, service: str) -> grpc.StatusCode | None:
        args = self._args
        if args.fail_only and args.fail_only != service:
            return None
        if args.fail_always:
            return args.fail_always
        with self._lock:
            if self._failures_left > 0:
                self._failures_left -= 1
                return args.fail_code
        return None


def status_code(name: str) -> grpc.StatusCode:
    """Accepts ``UNAVAILABLE``, ``unavailable`` or the numeric code ``14``."""
    if name.isdigit():
        for code in grpc.StatusCode:
            if code.value[0] == int(name):
                return code
    try:
        return grpc.StatusCode[name.upper()]
    except KeyError:
        raise argparse.ArgumentTypeError(f"unknown gRPC status code {name!r}") from None


def metadata_dict(context: grpc.ServicerContext) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in context.invocation_metadata():
        if isinstance(value, bytes):  # "-bin" headers arrive as bytes
            value = base64.b64encode(value).decode("ascii")
        # Repeated keys are rare in OTLP; keep them all rather than silently dropping one.
        result[key] = value if key not in result else f"{result[key]},{value}"
    return result


def retry_details(code: grpc.StatusCode, message: str, delay_ms: int) -> bytes:
    """A google.rpc.Status carrying a RetryInfo, as OTLP servers send to ask for a backoff."""
    return rpc_status.status_with_retry_info(code.value[0], message, delay_ms)


class ExportHandler:
    """One Export method (traces or metrics); the same logic serves both services."""

    def __init__(self, service: str, args: argparse.Namespace, recorder: Recorder, faults: FaultPlan,
                 request_type: type, response_type: type, count: Callable[[Any], int]) -> None:
        self.service = service  # "traces" | "metrics"
        self.unit = "spans" if service == "traces" else "points"
        self._args = args
        self._recorder = recorder
        self.faults = faults
        self.request_type = request_type  # for OTLP/HTTP, which hands over the body bytes
        self._response_type = response_type
        self.count = count  # of a decoded request, or of the serialized bytes in count-only mode

    def __call__(self, request: Any, context: grpc.ServicerContext) -> Any:
        args = self._args
        seq = self._recorder.next_call()
        if args.delay_ms:
            time.sleep(args.delay_ms / 1000)
        raw = isinstance(request, bytes)  # count-only mode hands us the serialized bytes
        size = len(request) if raw else request.ByteSize()
        count = self.count(request)
        metadata = metadata_dict(context)

        code, message, trailer = self._decide(metadata)
        rejected = 0
        if code is None and args.partial_reject:
            rejected = args.partial_reject
        call = {
            "service": self.service, "seq": seq, "transport": "grpc", self.unit: count, "bytes": size,
            "metadata": metadata, "compressed": None,
            "answered": "OK" if code is None else code.name, "rejected": rejected,
            "time": time.time(), "peer": context.peer(),
        }
        if code is not None:
            call["message"] = message
        self._recorder.append("calls", call)

        if code is not None:
            if trailer is not None:
                context.set_trailing_metadata((("grpc-status-details-bin", trailer),))
            context.abort(code, message)

        self._recorder.accepted(self.unit, count, size)
        if not raw:
            self._recorder.store(self.service, request)
        return self.response(rejected)

    def _decide(self, metadata: dict[str, str]) -> tuple[grpc.StatusCode | None, str, bytes | None]:
        args = self._args
        required = self.faults.required_header
        if required is not None and metadata.get(required[0]) != required[1]:
            return grpc.StatusCode.UNAUTHENTICATED, f"missing or wrong header {required[0]}", None
        if self.service == "metrics" and args.metrics_unimplemented:
            # Same answer grpc gives for an unregistered service (Arize Phoenix has no metrics).
            return grpc.StatusCode.UNIMPLEMENTED, "Method not found!", None
        failure = self.faults.injected_failure(self.service)
        if failure is not None:
            message = f"injected failure ({failure.name})"
            trailer = retry_details(failure, message, args.retry_info_ms) if args.retry_info_ms else None
            return failure, message, trailer
        return None, "", None

    def response(self, rejected: int) -> Any:
        response = self._response_type()
        if rejected:
            partial = response.partial_success
            if self.service == "traces":
                partial.rejected_spans = rejected
            else:
                partial.rejected_data_points = rejected
            partial.error_message = f"injected partial rejection of {rejected} {self.unit}"
        return response


def count_decoded_spans(request: trace_service_pb2.ExportTraceServiceRequest) -> int:
    return sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)


def count_decoded_points(request: metrics_service_pb2.ExportMetricsServiceRequest) -> int:
    total = 0
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                kind = metric.WhichOneof("data")
                if kind is not None:
                    total += len(getattr(metric, kind).data_points)
    return total


def export_handlers(args: argparse.Namespace, recorder: Recorder,
                    faults: FaultPlan) -> tuple[ExportHandler, ExportHandler]:
    """The traces and metrics handlers, shared by the gRPC services and the OTLP/HTTP routes."""
    traces = ExportHandler("traces", args, recorder, faults, trace_service_pb2.ExportTraceServiceRequest,
                           trace_service_pb2.ExportTraceServiceResponse,
                           shallow_count.count_spans if args.count_only else count_decoded_spans)
    metrics = ExportHandler("metrics", args, recorder, faults, metrics_service_pb2.ExportMetricsServiceRequest,
                            metrics_service_pb2.ExportMetricsServiceResponse,
                            shallow_count.count_points if args.count_only else count_decoded_points)
    return traces, metrics


def add_services(server: grpc.Server, args: argparse.Namespace, traces: ExportHandler,
                 metrics: ExportHandler) -> None:
    if args.count_only:
        # Same service/method names, but the request stays raw bytes (no deserializer) so that
        # counting does not pay for a full decode.
        for name, handler, response_type in ((TRACE_SERVICE, traces, trace_service_pb2.ExportTraceServiceResponse),
                                             (METRICS_SERVICE, metrics, metrics_service_pb2.ExportMetricsServiceResponse)):
            method = grpc.unary_unary_rpc_method_handler(handler, response_serializer=response_type.SerializeToString)
            server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(name, {"Export": method}),))
        return

    class TraceServicer(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request, context):  # noqa: N802 (generated name)
            return traces(request, context)

    class MetricsServicer(metrics_service_pb2_grpc.MetricsServiceServicer):
        def Export(self, request, context):  # noqa: N802 (generated name)
            return metrics(request, context)

    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceServicer(), server)
    metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(MetricsServicer(), server)


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def bind(server: grpc.Server, args: argparse.Namespace) -> int:
    address = f"127.0.0.1:{args.port}"
    if not args.tls_cert:
        return server.add_insecure_port(address)

    client_ca = read(args.tls_client_ca) if args.tls_client_ca else None
    credentials = grpc.ssl_server_credentials(
        [(read(args.tls_key), read(args.tls_cert))],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )
    return server.add_secure_port(address, credentials)


def bind_http(args: argparse.Namespace) -> socket.socket:
    """The OTLP/HTTP listening socket, bound before READY so its port can be announced."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restarts on a fixed --http-port
    sock.bind(("127.0.0.1", args.http_port))
    sock.listen(128)
    return sock


def http_tls_context(args: argparse.Namespace) -> ssl.SSLContext | None:
    """The gRPC listener's certificate (and client CA) for the HTTP listener: https, or mTLS."""
    if not args.tls_cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    context.set_alpn_protocols(["http/1.1"])  # clients offering h2 settle on HTTP/1.1
    if args.tls_client_ca:
        context.load_verify_locations(args.tls_client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def http_status(text: str) -> int:
    value = int(text)
    if not 400 <= value <= 599:
        raise argparse.ArgumentTypeError(f"{value} is not an HTTP error status (400-599)")
    return value


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0, help="gRPC port on 127.0.0.1 (default 0: a free port)")
    p.add_argument("--http-port", type=int, default=0,
                   help="OTLP/HTTP port on 127.0.0.1 (default 0: a free port)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--out", metavar="DIR", help="store mode: write traces/metrics/calls .jsonl into DIR")
    mode.add_argument("--count-only", action="store_true", help="count spans/points only (throughput runs)")
    p.add_argument("--stats", metavar="FILE", help="write the totals as JSON to FILE on exit")
    p.add_argument("--watch-stdin", action="store_true",
                   help="stop when stdin reaches EOF, so a crashed test process leaves no receiver behind")
    p.add_argument("--workers", type=int, default=8, help="grpc handler threads (default 8)")
    p.add_argument("--fail-first", type=int, default=0, metavar="N", help="answer the first N calls with --fail-code")
    p.add_argument("--fail-code", type=status_code, default=grpc.StatusCode.UNAVAILABLE, metavar="CODE")
    p.add_argument("--fail-always", type=status_code, metavar="CODE", help="answer every call with CODE")
    p.add_argument("--fail-only", choices=("traces", "metrics"), help="limit --fail-first/--fail-always to one service")
    p.add_argument("--retry-info-ms", type=int, default=0, metavar="MS",
                   help="with an injected failure, send google.rpc.RetryInfo(retry_delay=MS) in grpc-status-details-bin")
    p.add_argument("--fail-http-status", type=http_status, metavar="STATUS",
                   help="OTLP/HTTP: answer injected failures (--fail-first/--fail-always) with this status "
                        "(default: the HTTP equivalent of the gRPC code, e.g. UNAVAILABLE 503)")
    p.add_argument("--retry-after", metavar="VALUE",
                   help="OTLP/HTTP: send 'Retry-After: VALUE' (verbatim: seconds or an HTTP date) with injected failures")
    p.add_argument("--http-idle-timeout-ms", type=int, default=0, metavar="MS",
                   help="OTLP/HTTP: close a connection that sends nothing for MS (default: keep it open)")
    p.add_argument("--delay-ms", type=int, default=0, metavar="MS", help="sleep MS before answering each call")
    p.add_argument("--partial-reject", type=int, default=0, metavar="N",
                   help="answer OK with partial_success rejected_spans/rejected_data_points = N")
    p.add_argument("--require-header", metavar="K=V", help="answer UNAUTHENTICATED unless header K equals V")
    p.add_argument("--metrics-unimplemented", action="store_true", help="metrics service answers UNIMPLEMENTED")
    p.add_argument("--max-message-bytes", type=int, metavar="N",
                   help="server receive limit; larger requests get RESOURCE_EXHAUSTED from grpc (not logged), "
                        "HTTP 413 over OTLP/HTTP (logged; default there 64 MiB, after decompression)")
    p.add_argument("--reject-compression", action="store_true",
                   help="accept identity encoding only: compressed calls get UNIMPLEMENTED from grpc (not logged), "
                        "HTTP 415 over OTLP/HTTP (logged)")
    p.add_argument("--tls-cert", metavar="FILE",
                   help="serve TLS (gRPC and HTTP) with this PEM certificate (needs --tls-key)")
    p.add_argument("--tls-key", metavar="FILE")
    p.add_argument("--tls-client-ca", metavar="FILE", help="require client certificates signed by this CA (mTLS)")
    args = p.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")
    if args.tls_client_ca and not args.tls_cert:
        p.error("--tls-client-ca needs --tls-cert/--tls-key")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    recorder = Recorder(args.out)
    faults = FaultPlan(args)
    options: list[tuple[str, int]] = []
    if args.max_message_bytes:
        options.append(("grpc.max_receive_message_length", args.max_message_bytes))
    if args.reject_compression:
        options.append(("grpc.compression_enabled_algorithms_bitset", 1))  # bit 0 = identity only
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers), options=options)
    traces, metrics = export_handlers(args, recorder, faults)
    add_services(server, args, traces, metrics)
    port = bind(server, args)
    if port == 0:
        print(f"cannot bind 127.0.0.1:{args.port}", file=sys.stderr)
        return 2
    try:
        http_socket = bind_http(args)
    except OSError as error:
        print(f"cannot bind 127.0.0.1:{args.http_port} for OTLP/HTTP: {error}", file=sys.stderr)
        return 2
    http_tls = http_tls_context(args)  # before READY: a bad certificate fails the start

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.watch_stdin:
        def watch() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            stop.set()
        threading.Thread(target=watch, daemon=True).start()
    server.start()
    print(f"READY {port} http={http_socket.getsockname()[1]}", flush=True)
    # Imported only now: http.server costs ~40 ms, and connections wait in the backlog meanwhile.
    import otlp_http
    http_endpoint = otlp_http.HTTPEndpoint(http_socket, {"/v1/traces": traces, "/v1/metrics": metrics},
                                           recorder, args, http_tls)
    http_endpoint.start()
    while not stop.wait(0.5):  # the timeout keeps the main thread responsive to signals
        pass

    grpc_stopped = server.stop(grace=2)
    http_endpoint.stop(grace=2)
    grpc_stopped.wait()
    recorder.close()
    stats = recorder.stats()
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as f:
            json.dump(stats, f)
    print(f"STATS {json.dumps(stats)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
