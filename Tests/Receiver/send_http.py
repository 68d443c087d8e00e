#!/usr/bin/env python3
"""Sends OTLP/HTTP (binary protobuf) export requests with the standard library's http.client and
prints what came back: the TestSupport self-tests' independent client for otlp_receiver.py's HTTP
endpoint. Requests are built with the official classes (the same as send_sample.py's).

--repeat N sends N requests over one keep-alive connection (a new one only if the server closed it,
checked before each reuse as curl does; --new-connection: one connection per request; --pause-ms
between requests). Prints one JSON object (last line of stdout):
  {"responses": [<response>, …], "connections": <TCP connections opened>, "elapsed_s": s,
   "error": str|null, …the fields of the last <response>}
  <response> = {"status": int, "reason": str, "headers": {lowercased name: value}, "body_bytes": int,
                "partial_success": {...} (200), "status_code": int, "status_message": str,
                "retry_delay_ms": int|null (4xx/5xx: the google.rpc.Status body)}
"error" is set (and the exit status still 0) when a request could not be made at all, e.g. a
refused TLS handshake.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import select
import socket
import ssl
import sys
import time
from typing import Any

from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

import rpc_status
from send_sample import metrics_request, trace_request


def connection(args: argparse.Namespace) -> http.client.HTTPConnection:
    if not args.tls_ca:
        return http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
    context = ssl.create_default_context(cafile=args.tls_ca)
    if args.client_cert:
        context.load_cert_chain(args.client_cert, args.client_key)
    return http.client.HTTPSConnection(args.host, args.port, timeout=args.timeout, context=context)


def closed_by_peer(sock: socket.socket) -> bool:
    """Whether the server closed this idle connection (readable with nothing to read: EOF)."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        if isinstance(sock, ssl.SSLSocket):
            sock.setblocking(False)
            try:
                return sock.recv(1) == b""
            finally:
                sock.setblocking(True)
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (ssl.SSLWantReadError, BlockingIOError):
        return False
    except OSError:
        return True


def describe(response: http.client.HTTPResponse, body: bytes, signal: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "status": response.status, "reason": response.reason,
        "headers": {k.lower(): v for k, v in response.getheaders()}, "body_bytes": len(body),
    }
    if response.status == 200:
        response_type = (trace_service_pb2.ExportTraceServiceResponse if signal == "traces"
                         else metrics_service_pb2.ExportMetricsServiceResponse)
        decoded = response_type.FromString(body)
        result["partial_success"] = json_format.MessageToDict(decoded.partial_success,
                                                              preserving_proto_field_name=True)
    elif response.status >= 400 and result["headers"].get("content-type") == "application/x-protobuf":
        code, message, delay = rpc_status.decode_status(body)
        result.update({"status_code": code, "status_message": message, "retry_delay_ms": delay})
    return result


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1", help="use 'localhost' to check the certificate's DNS name")
    p.add_argument("--signal", choices=("traces", "metrics"), default="traces")
    p.add_argument("--path", help="request path (default /v1/traces or /v1/metrics)")
    p.add_argument("--method", default="POST")
    p.add_argument("--spans", type=int, default=1)
    p.add_argument("--points", type=int, default=1)
    p.add_argument("--span-name", default="sample-span")
    p.add_argument("--metric-name", default="sample.counter")
    p.add_argument("--service-name", default="send-http")
    p.add_argument("--header", action="append", default=[], metavar="K=V")
    p.add_argument("--user-agent", default="send_http/1.0")
    p.add_argument("--content-type", default="application/x-protobuf")
    p.add_argument("--gzip", action="store_true", help="gzip the body, Content-Encoding: gzip")
    p.add_argument("--chunked", action="store_true", help="Transfer-Encoding: chunked instead of Content-Length")
    p.add_argument("--raw-body", metavar="TEXT", help="send these bytes (UTF-8) instead of a request")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--new-connection", action="store_true", help="one TCP connection per request")
    p.add_argument("--pause-ms", type=int, default=0, metavar="MS", help="wait MS between requests")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--tls-ca", metavar="FILE", help="use https, trusting this CA")
    p.add_argument("--client-cert", metavar="FILE")
    p.add_argument("--client-key", metavar="FILE")
    args = p.parse_args(argv)

    if args.raw_body is not None:
        body = args.raw_body.encode()
    else:
        body = (trace_request(args) if args.signal == "traces" else metrics_request(args)).SerializeToString()
    headers = {"Content-Type": args.content_type, "User-Agent": args.user_agent}
    if args.gzip:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    for header in args.header:
        key, _, value = header.partition("=")
        headers[key] = value
    path = args.path or f"/v1/{args.signal}"

    responses: list[dict[str, Any]] = []
    opened = 0
    error = None
    conn = connection(args)
    started = time.perf_counter()
    try:
        for index in range(args.repeat):
            if index and args.pause_ms:
                time.sleep(args.pause_ms / 1000)
            if conn.sock is not None and (args.new_connection or closed_by_peer(conn.sock)):
                conn.close()
            if conn.sock is None:  # first request, or the server closed the last connection
                conn.connect()
                opened += 1
            if args.chunked:
                conn.request(args.method, path, body=iter([body[: len(body) // 2], body[len(body) // 2:]]),
                             headers=headers, encode_chunked=True)
            else:
                conn.request(args.method, path, body=body, headers=headers)
            response = conn.getresponse()
            responses.append(describe(response, response.read(), args.signal))
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"
    finally:
        conn.close()
    result: dict[str, Any] = dict(responses[-1]) if responses else {}
    result.update({"responses": responses, "connections": opened, "error": error,
                   "elapsed_s": time.perf_counter() - started})
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
