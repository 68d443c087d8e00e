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
  * prints exactly one line on stdout, `READY http=<port> grpc=<port>`, and nothing else on stdout
    (progress, timings and errors go to stderr; Phoenix's own output goes to a log file whose tail is
    printed on stderr when something goes wrong);
  * keeps running until its stdin reaches end-of-file (the parent closed the pipe or died) or it gets
    SIGTERM/SIGINT/SIGHUP, then stops Phoenix (SIGTERM to its process group, SIGKILL after
    --stop-timeout) and removes the temp dir. If Phoenix dies on its own, it exits 1.

Start it with a pipe on stdin (Foundation's Process with a Pipe, bash coproc, subprocess.PIPE). With
stdin at /dev/null it would stop at once; pass --ignore-stdin to rely on signals alone.

Exit status: 0 after a requested stop, 1 when Phoenix failed to start in time or died, 2 on bad usage.

Binding notes (Phoenix 20.26.1): PHOENIX_HOST only applies to the HTTP server; Phoenix's gRPC server
always binds [::]:PHOENIX_GRPC_PORT (all interfaces, dual stack), so the gRPC port is probed on the
wildcard address. A port taken between probing and Phoenix's bind shows as "address already in use"
and the start is retried with new ports (up to 3 times).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

PROG = "phoenix_server"
HOST = "127.0.0.1"
START_ATTEMPTS = 3


def log(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


class StartupError(Exception):
    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


# ---------------------------------------------------------------------------------------------
# Ports


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


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
    http_port = _free_loopback_port()
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
# Child process


try:
    _prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl  # resolved before any fork
except (OSError, AttributeError):
    _prctl = None


def _die_with_parent() -> None:
    """preexec_fn: PR_SET_PDEATHSIG so Phoenix gets SIGTERM even if this script is SIGKILLed.

    Runs between fork and exec, so it only calls the already-resolved libc function."""
    if _prctl is not None:
        _prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 == PR_SET_PDEATHSIG


def phoenix_env(work_dir: Path, http_port: int, grpc_port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # A CI or developer environment must not point the throw-away server at a real database,
        # turn auth on, or make it export its own traces somewhere.
        if not k.startswith(("PHOENIX_", "OTEL_"))
    }
    env.update(
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
        }
    )
    return env


def rss_mib(pid: int) -> Optional[float]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:]) if text else "(phoenix printed nothing)"


class Phoenix:
    def __init__(self, python: str, work_dir: Path, log_path: Path) -> None:
        self.python = python
        self.work_dir = work_dir
        self.log_path = log_path
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.http_port = 0
        self.grpc_port = 0

    def start(self, deadline: float, stop: threading.Event) -> float:
        """Starts Phoenix and waits until it is ready; returns the seconds that took."""
        self.http_port, self.grpc_port = pick_ports()
        (self.work_dir / "home").mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                [self.python, "-m", "phoenix.server.main", "serve"],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=phoenix_env(self.work_dir, self.http_port, self.grpc_port),
                cwd=self.work_dir,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        log(
            f"started phoenix (pid {self.proc.pid}, http {self.http_port}, grpc {self.grpc_port}, "
            f"working dir {self.work_dir}, log {self.log_path})"
        )
        probe = GrpcProbe(self.grpc_port)
        http_ok = grpc_ok = False
        delay = 0.05
        while True:
            if stop.is_set():
                raise StartupError("stop requested while phoenix was starting")
            code = self.proc.poll()
            if code is not None:
                tail = log_tail(self.log_path)
                in_use = "address already in use" in tail.lower() or "failed to bind" in tail.lower()
                raise StartupError(
                    f"phoenix exited with status {code} before it was ready; log tail:\n{tail}",
                    retryable=in_use,
                )
            if not http_ok and http_ready(self.http_port):
                http_ok = True
                log(f"HTTP /readyz answered after {time.monotonic() - started:.1f}s")
            if not grpc_ok and probe.ready():
                grpc_ok = True
                log(f"gRPC {probe.kind} answered after {time.monotonic() - started:.1f}s")
            if http_ok and grpc_ok:
                return time.monotonic() - started
            if time.monotonic() >= deadline:
                missing = " and ".join(
                    what
                    for what, ok in (
                        (f"HTTP GET /readyz on {HOST}:{self.http_port}", http_ok),
                        (f"gRPC {probe.kind} on {HOST}:{self.grpc_port}", grpc_ok),
                    )
                    if not ok
                )
                raise StartupError(
                    f"phoenix was not ready within the startup timeout ({missing} never "
                    f"answered); log tail:\n{log_tail(self.log_path)}"
                )
            stop.wait(delay)
            delay = min(delay * 2, 0.5)

    def stop(self, timeout: float) -> Optional[int]:
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log(f"phoenix did not stop within {timeout:g}s of SIGTERM; sending SIGKILL")
        # Whatever is left of its process group (workers, or phoenix itself after the timeout).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log(f"phoenix (pid {proc.pid}) survived SIGKILL for 10s")
        self.proc = None
        return proc.returncode


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python",
        default=os.environ.get("PHOENIX_PYTHON") or sys.executable,
        help="interpreter that has arize-phoenix installed (default: $PHOENIX_PYTHON, else this one)",
    )
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="seconds (default 120)")
    parser.add_argument("--stop-timeout", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument(
        "--log-file",
        help="also keep Phoenix's output here (default: only in the temp dir, removed at exit)",
    )
    parser.add_argument(
        "--keep-dir", action="store_true", help="do not remove the temp working dir (debugging)"
    )
    parser.add_argument(
        "--ignore-stdin", action="store_true", help="run until a signal, whatever stdin does"
    )
    args = parser.parse_args()
    if args.startup_timeout <= 0 or args.stop_timeout <= 0:
        parser.error("timeouts must be positive")

    stop = threading.Event()
    why: list[str] = []

    def request_stop(reason: str) -> None:
        if not stop.is_set():
            why.append(reason)
            stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: request_stop(signal.Signals(signum).name))
    # A reader that has gone away must not kill us with SIGPIPE before cleanup.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    if not args.ignore_stdin:

        def watch_stdin() -> None:
            try:
                while os.read(sys.stdin.fileno(), 65536):
                    pass
            except OSError:
                pass
            request_stop("stdin closed")

        threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()

    work_dir = Path(tempfile.mkdtemp(prefix="phoenix-test-"))
    log_path = Path(args.log_file).resolve() if args.log_file else work_dir / "phoenix.log"
    phoenix = Phoenix(args.python, work_dir, log_path)
    status = 0
    try:
        deadline = time.monotonic() + args.startup_timeout
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                took = phoenix.start(deadline, stop)
                break
            except StartupError as error:
                phoenix.stop(args.stop_timeout)
                if error.retryable and attempt < START_ATTEMPTS and time.monotonic() < deadline:
                    log(f"port clash on attempt {attempt}; retrying with new ports")
                    continue
                raise
        assert phoenix.proc is not None
        rss = rss_mib(phoenix.proc.pid)
        log(
            f"phoenix ready in {took:.1f}s (pid {phoenix.proc.pid}"
            + (f", RSS {rss:.0f} MiB" if rss is not None else "")
            + ")"
        )
        try:
            print(f"READY http={phoenix.http_port} grpc={phoenix.grpc_port}", flush=True)
        except BrokenPipeError:
            request_stop("stdout closed")

        while not stop.wait(0.5):
            code = phoenix.proc.poll()
            if code is not None:
                log(f"phoenix exited on its own with status {code}; log tail:\n{log_tail(log_path)}")
                status = 1
                break
        if why:
            log(f"stopping phoenix ({why[0]})")
    except StartupError as error:
        if why:
            log(f"startup aborted ({why[0]})")
        else:
            log(f"error: {error}")
            status = 1
    finally:
        phoenix.stop(args.stop_timeout)
        if args.keep_dir:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
