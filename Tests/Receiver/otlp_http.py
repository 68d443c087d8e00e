"""The OTLP/HTTP (binary protobuf) endpoint of otlp_receiver.py.

Follows the OTLP specification's OTLP/HTTP section (opentelemetry-proto docs/specification.md):
``POST /v1/traces`` and ``POST /v1/metrics`` with ``Content-Type: application/x-protobuf`` (any
other type: 415), optionally ``Content-Encoding: gzip``; the body is decoded with the official
``ExportTraceServiceRequest`` / ``ExportMetricsServiceRequest`` classes and recorded exactly as a
gRPC call is (traces.jsonl / metrics.jsonl / calls.jsonl, plus ``"transport": "http"``). Answers:
200 with a serialized ``Export*ServiceResponse`` (partial_success with --partial-reject); every
4xx/5xx carries a serialized ``google.rpc.Status`` (code, message); all with
``Content-Type: application/x-protobuf`` and an exact Content-Length.

HTTP/1.1 with keep-alive, one thread per TCP connection (the ThreadingHTTPServer model, with our own
accept loop so that stopping needs no polling). Every accepted connection is numbered and written to
connections.jsonl; each call records the number of the connection it came on.

Request handling order (first match answers; the body is always read first so the connection stays
usable): unknown path 404 (not recorded), method other than POST 405 (not recorded), --delay-ms,
--metrics-unimplemented (metrics: 404, as a traces-only server has no such route),
--require-header (401), Content-Type (415), Content-Encoding other than identity/gzip, or gzip with
--reject-compression (415), undecompressable body (400), body over --max-message-bytes (default
64 MiB) after decompression (413), undecodable protobuf (400), --fail-always / --fail-first (the
status of --fail-http-status, else the HTTP equivalent of --fail-code; with --retry-after VALUE a
``Retry-After: VALUE`` header; with --retry-info-ms a RetryInfo in Status.details), --partial-reject,
200.

Imported by otlp_receiver.py only after it printed READY (http.server and the email package cost
~40 ms to import), so the listening socket is bound before READY and served right after.
"""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
import time
import zlib
from typing import Any
from urllib.parse import urlsplit

import grpc
from google.protobuf.message import DecodeError

import rpc_status

PROTOBUF = "application/x-protobuf"
DEFAULT_BODY_LIMIT = 64 * 1024 * 1024  # the specification's recommended default
HANDSHAKE_TIMEOUT_S = 10

# google/rpc/code.proto's HTTP mapping: the answer to an injected failure without --fail-http-status.
HTTP_STATUS_OF_CODE = {
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
    grpc.StatusCode.UNAUTHENTICATED: 401,
}


class Answer:
    """What one request is answered: an HTTP status, the gRPC code recorded as ``answered``, the body."""

    def __init__(self, status: int, code: grpc.StatusCode | None, message: str = "",
                 details: bytes | None = None, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.status = status
        self.code = code  # None: OK
        self.message = message
        self.details = details  # a serialized Status with details, instead of a plain one
        self.headers = headers

    def body(self) -> bytes:
        if self.details is not None:
            return self.details
        return rpc_status.status(self.code.value[0], self.message)


class HTTPEndpoint:
    """Serves OTLP/HTTP on an already bound and listening socket until stop()."""

    def __init__(self, sock: socket.socket, handlers: dict[str, Any], recorder: Any, args: Any,
                 tls: ssl.SSLContext | None) -> None:
        self._sock = sock
        self._handlers = handlers  # path -> otlp_receiver.ExportHandler
        self._recorder = recorder
        self._args = args
        self._tls = tls
        self._idle_timeout = args.http_idle_timeout_ms / 1000 if args.http_idle_timeout_ms else None
        self._limit = args.max_message_bytes or DEFAULT_BODY_LIMIT
        self._stopping = False
        self._active = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._accept_loop, name="otlp-http-accept", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, grace: float) -> None:
        """Stops accepting, then waits up to ``grace`` seconds for requests being answered."""
        self._stopping = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (Linux)
        except OSError:
            pass
        self._sock.close()
        self._thread.join(timeout=grace)
        with self._idle:
            self._idle.wait_for(lambda: self._active == 0, timeout=grace)

    # MARK: connections

    def _accept_loop(self) -> None:
        while not self._stopping:
            try:
                conn, peer = self._sock.accept()
            except OSError:
                break
            if self._stopping:
                conn.close()
                break
            number = self._recorder.next_http_connection()
            threading.Thread(target=self._serve, args=(conn, peer, number), name=f"otlp-http-{number}",
                             daemon=True).start()

    def _serve(self, conn: socket.socket, peer: tuple[str, int], number: int) -> None:
        record = {"seq": number, "peer": f"ipv4:{peer[0]}:{peer[1]}", "tls": self._tls is not None,
                  "tls_error": None, "time": time.time()}
        if self._tls is not None:
            conn.settimeout(HANDSHAKE_TIMEOUT_S)
            try:
                conn = self._tls.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError) as error:  # wrong CA, no client certificate, plaintext…
                record["tls_error"] = str(error)
                self._recorder.append("connections", record)
                conn.close()
                return
            conn.settimeout(None)
        self._recorder.append("connections", record)
        try:
            _Handler(conn, peer, self, number, self._idle_timeout)
        except Exception:  # noqa: BLE001 (a client that vanished mid-request; nothing to answer)
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    # MARK: requests

    def handle(self, request: _Handler) -> None:
        with self._idle:
            self._active += 1
        try:
            self._handle(request)
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def _handle(self, request: _Handler) -> None:
        body = request.read_body()
        if body is None:
            return  # framing error, already answered and the connection closed
        if self._stopping:
            request.close_connection = True  # like a server going away: no answer
            return
        path = urlsplit(request.path).path
        handler = self._handlers.get(path)
        if handler is None:
            request.answer(Answer(404, grpc.StatusCode.NOT_FOUND, f"no OTLP route {path}"))
            return
        if request.command != "POST":
            request.answer(Answer(405, grpc.StatusCode.UNIMPLEMENTED, f"{request.command} not allowed; use POST"),
                           extra=(("Allow", "POST"),))
            return
        self._export(request, handler, path, body)

    def _export(self, request: _Handler, handler: Any, path: str, body: bytes) -> None:
        args = self._args
        seq = self._recorder.next_call(transport="http")
        if args.delay_ms:
            time.sleep(args.delay_ms / 1000)
        headers = header_dict(request.headers)
        encoding = headers.get("content-encoding", "").strip().lower()
        call: dict[str, Any] = {
            "service": handler.service, "seq": seq, "transport": "http", "path": path,
            "connection": request.connection_number, handler.unit: 0, "bytes": 0, "body_bytes": len(body),
            "metadata": headers, "compressed": encoding not in ("", "identity"),
        }
        decoded: Any = None
        answer, raw = self._decide(handler, headers, encoding, body)
        if raw is not None:
            call["bytes"] = len(raw)
            try:
                if args.count_only:
                    call[handler.unit] = handler.count(raw)
                else:
                    decoded = handler.request_type.FromString(raw)
                    call[handler.unit] = handler.count(decoded)
            except DecodeError as error:
                answer = Answer(400, grpc.StatusCode.INVALID_ARGUMENT, f"cannot decode the body: {error}")
        if answer is None:
            answer = self._injected_failure(handler)
        rejected = 0
        if answer is None:
            rejected = args.partial_reject
            answer = Answer(200, None)
        call.update({"answered": "OK" if answer.code is None else answer.code.name, "http_status": answer.status,
                     "rejected": rejected, "time": time.time(),
                     "peer": f"ipv4:{request.client_address[0]}:{request.client_address[1]}"})
        if answer.code is not None:
            call["message"] = answer.message
        self._recorder.append("calls", call)

        if answer.code is None:
            self._recorder.accepted(handler.unit, call[handler.unit], call["bytes"])
            if decoded is not None:
                self._recorder.store(handler.service, decoded)
            request.answer(answer, body=handler.response(rejected).SerializeToString())
        else:
            request.answer(answer)

    def _decide(self, handler: Any, headers: dict[str, str], encoding: str,
                body: bytes) -> tuple[Answer | None, bytes | None]:
        """The protocol checks; returns the refusal or the uncompressed body."""
        args = self._args
        if handler.service == "metrics" and args.metrics_unimplemented:
            return Answer(404, grpc.StatusCode.UNIMPLEMENTED, "no OTLP route /v1/metrics (traces only)"), None
        required = handler.faults.required_header
        if required is not None and headers.get(required[0]) != required[1]:
            return Answer(401, grpc.StatusCode.UNAUTHENTICATED, f"missing or wrong header {required[0]}"), None
        content_type = headers.get("content-type", "")
        if content_type.split(";", 1)[0].strip().lower() != PROTOBUF:
            return Answer(415, grpc.StatusCode.INVALID_ARGUMENT,
                          f"unsupported Content-Type {content_type!r}: only {PROTOBUF}"), None
        if encoding in ("", "identity"):
            raw = body
        elif encoding == "gzip" and not args.reject_compression:
            try:
                raw = gunzip(body, self._limit)
            except ValueError as error:
                return Answer(400, grpc.StatusCode.INVALID_ARGUMENT, f"bad gzip body: {error}"), None
            if raw is None:
                return Answer(413, grpc.StatusCode.RESOURCE_EXHAUSTED,
                              f"body over {self._limit} bytes after decompression"), None
        else:
            return Answer(415, grpc.StatusCode.INVALID_ARGUMENT, f"unsupported Content-Encoding {encoding!r}"), None
        if len(raw) > self._limit:
            return Answer(413, grpc.StatusCode.RESOURCE_EXHAUSTED, f"body over {self._limit} bytes"), None
        return None, raw

    def _injected_failure(self, handler: Any) -> Answer | None:
        args = self._args
        failure = handler.faults.injected_failure(handler.service)
        if failure is None:
            return None
        message = f"injected failure ({failure.name})"
        status = args.fail_http_status or HTTP_STATUS_OF_CODE.get(failure, 500)
        details = rpc_status.status_with_retry_info(failure.value[0], message, args.retry_info_ms) \
            if args.retry_info_ms else None
        headers = (("Retry-After", args.retry_after),) if args.retry_after is not None else ()
        return Answer(status, failure, message, details, headers)


class _Handler(http.server.BaseHTTPRequestHandler):
    """One TCP connection; BaseHTTPRequestHandler loops over its requests (keep-alive)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def __init__(self, conn: socket.socket, peer: tuple[str, int], endpoint: HTTPEndpoint, number: int,
                 idle_timeout: float | None) -> None:
        self.connection_number = number
        self.timeout = idle_timeout  # StreamRequestHandler: a read timeout, so it closes idle connections
        super().__init__(conn, peer, endpoint)  # handles every request of the connection, then returns

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.handle(self)

    do_GET = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST  # 405 (or 404) from HTTPEndpoint

    def read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None after answering a framing error."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    self._framing_error(400, "bad chunk size line")
                    return None
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailer fields
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)  # the CRLF after the chunk
        length = self.headers.get("Content-Length")
        if length is None:
            if self.command in ("POST", "PUT", "PATCH"):
                self._framing_error(411, "Content-Length required")
                return None
            return b""
        try:
            size = int(length)
            if size < 0:
                raise ValueError(length)
        except ValueError:
            self._framing_error(400, f"bad Content-Length {length!r}")
            return None
        body = self.rfile.read(size)
        if len(body) != size:
            self.close_connection = True
            return None  # the client went away mid-body
        return body

    def _framing_error(self, status: int, message: str) -> None:
        self.answer(Answer(status, grpc.StatusCode.INVALID_ARGUMENT, message), close=True)

    def answer(self, answer: Answer, body: bytes | None = None, extra: tuple[tuple[str, str], ...] = (),
               close: bool = False) -> None:
        payload = body if body is not None else answer.body()
        self.send_response(answer.status)
        self.send_header("Content-Type", PROTOBUF)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in answer.headers + extra:
            self.send_header(key, value)
        if close:
            self.send_header("Connection", "close")  # also sets close_connection
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        pass  # one line per request on stderr would drown real errors


def header_dict(headers: Any) -> dict[str, str]:
    """Lowercased names (as gRPC metadata keys are); repeated headers joined with ','."""
    result: dict[str, str] = {}
    for key, value in headers.items():
        key = key.lower()
        result[key] = value if key not in result else f"{result[key]},{value}"
    return result


def gunzip(body: bytes, limit: int) -> bytes | None:
    """The decompressed body (all gzip members), None when it exceeds ``limit``; ValueError if invalid."""
    out = bytearray()
    data = body
    while True:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += decompressor.decompress(data, limit + 1 - len(out))
        except zlib.error as error:
            raise ValueError(str(error)) from None
        if len(out) > limit:
            return None
        if not decompressor.eof:
            if decompressor.unconsumed_tail:
                return None  # stopped at the limit with input left
            raise ValueError("truncated gzip stream")
        data = decompressor.unused_data
        if not data:
            return bytes(out)
