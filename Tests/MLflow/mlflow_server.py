#!/usr/bin/env python3
"""Runs a real, throw-away MLflow tracking server for the MLflow integration test.

    <repo>/.venv-mlflow/bin/python Tests/MLflow/mlflow_server.py [--startup-timeout 120]

(the venv comes from scripts/setup-mlflow-env.sh; this script itself needs only the standard
library, and runs MLflow with the interpreter it was started with unless --python says otherwise).

What it does:
  * picks a free loopback port;
  * starts `python -m mlflow server --backend-store-uri sqlite:///<tmp>/mlflow.db
    --default-artifact-root <tmp>/artifacts --no-serve-artifacts --host 127.0.0.1 --port <port>
    --workers 1` (the module behind the `mlflow server` console script) with a fresh temp dir as its
    working directory and $HOME, telemetry off (MLFLOW_DISABLE_TELEMETRY, DO_NOT_TRACK), the job
    runner off (MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false: no huey consumer processes), and no
    inherited MLFLOW_* / OTEL_* variable;
  * waits until it is really ready: GET /health answers 200, GET
    /api/2.0/mlflow/experiments/get?experiment_id=0 answers 200 (the tracking store's database
    answers; experiment 0 is "Default", created with the schema) AND POST /v1/traces (with header
    x-mlflow-experiment-id: 0 and an empty application/x-protobuf body, which stores nothing)
    answers 400 "no spans found", i.e. the OTLP router is mounted. No fixed sleeps: all are polled,
    and the whole wait is bounded by --startup-timeout;
  * prints exactly one line on stdout, `READY http=<port>`, and nothing else on stdout (progress,
    timings and errors go to stderr; MLflow's own output goes to a log file whose tail is printed on
    stderr when something goes wrong);
  * keeps running until its stdin reaches end-of-file (the parent closed the pipe or died) or it gets
    SIGTERM/SIGINT/SIGHUP, then stops MLflow (SIGTERM to the `mlflow server` process, which forwards
    it to its uvicorn child; SIGKILL to the whole process group after --stop-timeout) and removes
    the temp dir. If MLflow dies on its own, it exits 1.

Start it with a pipe on stdin (Foundation's Process with a Pipe, bash coproc, subprocess.PIPE). With
stdin at /dev/null it would stop at once; pass --ignore-stdin to rely on signals alone.

Exit status: 0 after a requested stop, 1 when MLflow failed to start in time or died, 2 on bad usage.

Process notes (MLflow 3.17.2): `mlflow server` first creates/migrates the SQLite schema in its own
process (alembic; most of the startup time), then runs `python -m uvicorn ... --workers 1
mlflow.server.fastapi_app:app` as a child and waits for it. uvicorn serves the FastAPI app, which has
the OTLP route /v1/traces (mlflow/server/otel_api.py) and mounts the Flask REST API (/api/2.0/...,
/api/3.0/...) at "/". Both processes stay in the process group this script creates. A port taken
between probing and uvicorn's bind shows as "address already in use" and the start is retried with
a new port (up to 3 times).
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

PROG = "mlflow_server"
HOST = "127.0.0.1"
START_ATTEMPTS = 3


def log(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


class StartupError(Exception):
    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Readiness probes


def _status(request: urllib.request.Request) -> tuple[int, bytes]:
    """HTTP status and (start of the) body; 0 when nothing answered."""
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status, response.read(512)
    except urllib.error.HTTPError as error:
        return error.code, error.read(512)
    except (urllib.error.URLError, OSError, ValueError):
        return 0, b""


class Probes:
    """The three readiness conditions, each checked until it once held."""

    def __init__(self, port: int) -> None:
        base = f"http://{HOST}:{port}"
        self.checks = [
            ("GET /health", lambda: _status(urllib.request.Request(f"{base}/health"))[0] == 200),
            (
                "GET /api/2.0/mlflow/experiments/get?experiment_id=0",
                lambda: _status(
                    urllib.request.Request(f"{base}/api/2.0/mlflow/experiments/get?experiment_id=0")
                )[0]
                == 200,
            ),
            ("POST /v1/traces (empty OTLP request)", lambda: self._otlp(base)),
        ]
        self.done: set[str] = set()

    @staticmethod
    def _otlp(base: str) -> bool:
        request = urllib.request.Request(
            f"{base}/v1/traces",
            data=b"",
            method="POST",
            headers={"Content-Type": "application/x-protobuf", "x-mlflow-experiment-id": "0"},
        )
        code, body = _status(request)
        # MLflow rejects an export without spans (400 "Invalid OpenTelemetry format - no spans
        # found") after it validated the headers and parsed the body: the route is there.
        return code == 400 and b"no spans" in body

    def poll(self, started: float) -> bool:
        for name, check in self.checks:
            if name not in self.done and check():
                self.done.add(name)
                log(f"{name} answered after {time.monotonic() - started:.1f}s")
        return len(self.done) == len(self.checks)

    def missing(self) -> str:
        return " and ".join(name for name, _ in self.checks if name not in self.done)


# ---------------------------------------------------------------------------------------------
# Child process


try:
    _prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl  # resolved before any fork
except (OSError, AttributeError):
    _prctl = None


def _die_with_parent() -> None:
    """preexec_fn: PR_SET_PDEATHSIG so MLflow gets SIGTERM even if this script is SIGKILLed (the
    `mlflow server` process forwards it to uvicorn).

    Runs between fork and exec, so it only calls the already-resolved libc function."""
    if _prctl is not None:
        _prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 == PR_SET_PDEATHSIG


def mlflow_env(work_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # A CI or developer environment must not point the throw-away server at a real database or
        # artifact store, turn auth/workspaces on, pass gunicorn/uvicorn options, or make it export
        # its own traces somewhere.
        if not k.startswith(("MLFLOW_", "OTEL_"))
    }
    env.update(
        {
            "MLFLOW_DISABLE_TELEMETRY": "true",
            "DO_NOT_TRACK": "true",
            # The job runner (huey consumers for scorers, periodic tasks) is on by default and would
            # add processes and CPU; nothing the test uses needs it.
            "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
            "PYTHONUNBUFFERED": "1",
            # MLflow may write under $HOME (~/.mlflow, ~/.cache); keep that inside the temp dir too.
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


def group_rss_mib(pgid: int) -> Optional[float]:
    """Summed RSS of every process in the process group (mlflow CLI + uvicorn)."""
    total, seen = 0.0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
        except OSError:
            continue
        rss = rss_mib(int(entry.name))
        if rss is not None:
            total += rss
            seen = True
    return total if seen else None


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:]) if text else "(mlflow printed nothing)"


class MLflow:
    def __init__(self, python: str, work_dir: Path, log_path: Path) -> None:
        self.python = python
        self.work_dir = work_dir
        self.log_path = log_path
        self.proc: Optional[subprocess.Popen[bytes]] = None
        self.port = 0

    def command(self) -> list[str]:
        return [
            self.python, "-m", "mlflow", "server",
            "--backend-store-uri", f"sqlite:///{self.work_dir}/mlflow.db",
            "--default-artifact-root", str(self.work_dir / "artifacts"),
            "--no-serve-artifacts",
            "--host", HOST,
            "--port", str(self.port),
            "--workers", "1",
        ]  # fmt: skip

    def start(self, deadline: float, stop: threading.Event) -> float:
        """Starts MLflow and waits until it is ready; returns the seconds that took."""
        self.port = free_loopback_port()
        (self.work_dir / "home").mkdir(parents=True, exist_ok=True)
        (self.work_dir / "artifacts").mkdir(parents=True, exist_ok=True)
        # A retry after a port clash must not reuse a half-migrated database.
        for leftover in self.work_dir.glob("mlflow.db*"):
            leftover.unlink()
        started = time.monotonic()
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=mlflow_env(self.work_dir),
                cwd=self.work_dir,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        log(
            f"started mlflow server (pid {self.proc.pid}, http {self.port}, "
            f"working dir {self.work_dir}, log {self.log_path})"
        )
        probes = Probes(self.port)
        delay = 0.05
        while True:
            if stop.is_set():
                raise StartupError("stop requested while mlflow was starting")
            code = self.proc.poll()
            if code is not None:
                tail = log_tail(self.log_path)
                raise StartupError(
                    f"mlflow exited with status {code} before it was ready; log tail:\n{tail}",
                    retryable="address already in use" in tail.lower(),
                )
            if probes.poll(started):
                return time.monotonic() - started
            if time.monotonic() >= deadline:
                tail = log_tail(self.log_path)
                raise StartupError(
                    f"mlflow was not ready within the startup timeout ({probes.missing()} on "
                    f"{HOST}:{self.port} never answered as expected); log tail:\n{tail}",
                    # uvicorn's bind failure can leave the `mlflow server` parent waiting.
                    retryable="address already in use" in tail.lower(),
                )
            stop.wait(delay)
            delay = min(delay * 2, 0.5)

    def stop(self, timeout: float) -> Optional[int]:
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            # Only the `mlflow server` process: it forwards SIGTERM to uvicorn and waits for it.
            # (Signalling the whole group would hand uvicorn a second SIGTERM, its force-exit.)
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log(f"mlflow did not stop within {timeout:g}s of SIGTERM; sending SIGKILL")
        # Whatever is left of its process group (uvicorn, or mlflow itself after the timeout).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log(f"mlflow (pid {proc.pid}) survived SIGKILL for 10s")
        self.proc = None
        return proc.returncode


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python",
        default=os.environ.get("MLFLOW_PYTHON") or sys.executable,
        help="interpreter that has mlflow installed (default: $MLFLOW_PYTHON, else this one)",
    )
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="seconds (default 120)")
    parser.add_argument("--stop-timeout", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument(
        "--log-file",
        help="also keep MLflow's output here (default: only in the temp dir, removed at exit)",
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

    work_dir = Path(tempfile.mkdtemp(prefix="mlflow-test-"))
    log_path = Path(args.log_file).resolve() if args.log_file else work_dir / "mlflow.log"
    mlflow = MLflow(args.python, work_dir, log_path)
    status = 0
    try:
        deadline = time.monotonic() + args.startup_timeout
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                took = mlflow.start(deadline, stop)
                break
            except StartupError as error:
                mlflow.stop(args.stop_timeout)
                if error.retryable and attempt < START_ATTEMPTS and time.monotonic() < deadline:
                    log(f"port clash on attempt {attempt}; retrying with a new port")
                    continue
                raise
        assert mlflow.proc is not None
        rss = group_rss_mib(mlflow.proc.pid)
        log(
            f"mlflow ready in {took:.1f}s (pid {mlflow.proc.pid}"
            + (f", RSS {rss:.0f} MiB for mlflow server + uvicorn" if rss is not None else "")
            + ")"
        )
        try:
            print(f"READY http={mlflow.port}", flush=True)
        except BrokenPipeError:
            request_stop("stdout closed")

        while not stop.wait(0.5):
            code = mlflow.proc.poll()
            if code is not None:
                log(f"mlflow exited on its own with status {code}; log tail:\n{log_tail(log_path)}")
                status = 1
                break
        if why:
            log(f"stopping mlflow ({why[0]})")
    except StartupError as error:
        if why:
            log(f"startup aborted ({why[0]})")
        else:
            log(f"error: {error}")
            status = 1
    finally:
        mlflow.stop(args.stop_timeout)
        if args.keep_dir:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
