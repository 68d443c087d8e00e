#!/usr/bin/env python3
"""Runs a real, throw-away Arize Phoenix server for the Phoenix integration test.

    <repo>/.venv-phoenix/bin/python Tests/Phoenix/phoenix_server.py [--startup-timeout 120]

(the venv comes from scripts/setup-phoenix-env.sh; this script itself needs only the standard
library, and runs Phoenix with the interpreter it was started with unless --python says otherwise).

What it does:
  * picks two free ports, one for the HTTP UI/REST API and one for OTLP/gRPC;
  * starts `python -m phoenix.server.main serve` (the module behind the `phoenix serve` console
    script) with a fresh temp dir as PHOENIX_WORKING_DIR and SQLite storage in it, telemetry and
    every other public-internet fetch off, auth off, and no inherited PHOENIX_* / OTEL_* variable;
  * waits until it is really ready: GET /readyz answers 200 (the app finished startup and its
    database answers) AND the gRPC port takes an OTLP Export call (an empty ExportTraceServiceRequest,
    which stores nothing), or, where grpcio is not importable, a TCP connection. No fixed sleeps:
    both are polled, and the whole wait is bounded by --startup-timeout;
  * prints exactly one line on stdout, `READY http=<port> grpc=<port>`, and runs until stdin closes
    or a signal comes, then stops Phoenix (SIGTERM to its process group, SIGKILL after
    --stop-timeout): the contract of every backend harness, in Tests/Backends/backend_harness.py.

Start it with a pipe on stdin (bash coproc, subprocess.PIPE). With stdin at /dev/null it would stop
at once; pass --ignore-stdin to rely on signals alone.

Binding notes (Phoenix 20.26.1): PHOENIX_HOST only applies to the HTTP server; Phoenix's gRPC server
always binds [::]:PHOENIX_GRPC_PORT (all interfaces, dual stack), so the gRPC port is probed on the
wildcard address. A port taken between probing and Phoenix's bind shows as "address already in use"
and the start is retried with new ports (up to 3 times).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Backends"))
from backend_harness import HOST, Backend, environment_without, free_loopback_port, log, run  # noqa: E402


def _free_wildcard_port() -> int:
    """A port that is free on every interface, IPv4 and IPv6 (what Phoenix's gRPC server binds)."""
    if socket.has_ipv6:
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.bind(("::", 0))
                return s.getsockname()[1]
        except OSError:
            pass  # no IPv6 on this host: gRPC falls back to 0.0.0.0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


def pick_ports() -> tuple[int, int]:
    http_port = free_loopback_port()
    while True:
        grpc_port = _free_wildcard_port()
        if grpc_port != http_port:
            return http_port, grpc_port


# ---------------------------------------------------------------------------------------------
# Readiness probes


def http_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/readyz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class GrpcProbe:
    """Sends an empty OTLP ExportTraceServiceRequest; falls back to a TCP connect without grpcio."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.kind = "tcp connect"
        self._grpc = None
        try:
            import grpc  # noqa: PLC0415
            from opentelemetry.proto.collector.trace.v1 import (  # noqa: PLC0415
                trace_service_pb2,
                trace_service_pb2_grpc,
            )
        except ImportError:
            return
        self._grpc = grpc
        self._stub = trace_service_pb2_grpc.TraceServiceStub
        self._request = trace_service_pb2.ExportTraceServiceRequest()
        self.kind = "OTLP Export"

    def ready(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=2):
                pass
        except OSError:
            return False
        if self._grpc is None:
            return True
        # A fresh channel per try: a channel that once failed to connect waits out gRPC's
        # reconnect backoff (1 s, growing) before it tries again, which would delay READY.
        channel = self._grpc.insecure_channel(f"{HOST}:{self.port}")
        try:
            self._stub(channel).Export(self._request, timeout=5)
            return True
        except self._grpc.RpcError:
            return False
        finally:
            channel.close()


# ---------------------------------------------------------------------------------------------
# The server


def phoenix_env(work_dir: Path, http_port: int, grpc_port: int) -> dict[str, str]:
    return environment_without(
        ("PHOENIX_", "OTEL_"),
        {
            "PHOENIX_HOST": HOST,
            "PHOENIX_PORT": str(http_port),
            "PHOENIX_GRPC_PORT": str(grpc_port),
            "PHOENIX_WORKING_DIR": str(work_dir),
            "PHOENIX_SQL_DATABASE_URL": f"sqlite:///{work_dir}/phoenix.db",
            "PHOENIX_ENABLE_AUTH": "false",
            "PHOENIX_TELEMETRY_ENABLED": "false",
            # No web fonts, telemetry pixels or WASM sandbox download: the machine has no internet.
            "PHOENIX_ALLOW_EXTERNAL_RESOURCES": "false",
            "PHOENIX_LOG_MIGRATIONS": "false",
            "PYTHONUNBUFFERED": "1",
            # Phoenix also writes under $HOME for a few things; keep that inside the temp dir too.
            "HOME": str(work_dir / "home"),
        },
    )


class Phoenix(Backend):
    name = "phoenix"

    def __init__(self, python: str, work_dir: Path, log_path: Path) -> None:
        super().__init__(python, work_dir, log_path)
        self.http_port = 0
        self.grpc_port = 0

    def ready_line(self) -> str:
        return f"READY http={self.http_port} grpc={self.grpc_port}"

    def start(self, deadline: float, stop: threading.Event) -> float:
        self.http_port, self.grpc_port = pick_ports()
        (self.work_dir / "home").mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        proc = self.spawn(
            [self.python, "-m", "phoenix.server.main", "serve"],
            phoenix_env(self.work_dir, self.http_port, self.grpc_port),
        )
        log(
            f"started phoenix (pid {proc.pid}, http {self.http_port}, grpc {self.grpc_port}, "
            f"working dir {self.work_dir}, log {self.log_path})"
        )
        probe = GrpcProbe(self.grpc_port)
        answered: set[str] = set()
        checks = {
            f"HTTP GET /readyz on {HOST}:{self.http_port}": lambda: http_ready(self.http_port),
            f"gRPC {probe.kind} on {HOST}:{self.grpc_port}": probe.ready,
        }

        def ready() -> bool:
            for what, check in checks.items():
                if what not in answered and check():
                    answered.add(what)
                    log(f"{what} answered after {time.monotonic() - started:.1f}s")
            return len(answered) == len(checks)

        self.poll_until_ready(
            deadline,
            stop,
            ready,
            lambda: " and ".join(what for what in checks if what not in answered) + " never answered",
            clash_markers=("address already in use", "failed to bind"),
        )
        return time.monotonic() - started


if __name__ == "__main__":
    sys.exit(
        run("phoenix_server", __doc__.split("\n\n")[0], Phoenix, "PHOENIX_PYTHON", "arize-phoenix")
    )
