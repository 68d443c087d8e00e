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
  * prints exactly one line on stdout, `READY http=<port>`, and runs until stdin closes or a signal
    comes, then stops MLflow (SIGTERM to the `mlflow server` process, which forwards it to its
    uvicorn child; SIGKILL to the whole process group after --stop-timeout): the contract of every
    backend harness, in Tests/Backends/backend_harness.py.

Start it with a pipe on stdin (bash coproc, subprocess.PIPE). With stdin at /dev/null it would stop
at once; pass --ignore-stdin to rely on signals alone.

Process notes (MLflow 3.17.2): `mlflow server` first creates/migrates the SQLite schema in its own
process (alembic; most of the startup time), then runs `python -m uvicorn ... --workers 1
mlflow.server.fastapi_app:app` as a child and waits for it. uvicorn serves the FastAPI app, which has
the OTLP route /v1/traces (mlflow/server/otel_api.py) and mounts the Flask REST API (/api/2.0/...,
/api/3.0/...) at "/". Both processes stay in the process group this script creates. A port taken
between probing and uvicorn's bind shows as "address already in use" and the start is retried with
a new port (up to 3 times).
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Backends"))
from backend_harness import (  # noqa: E402
    HOST,
    Backend,
    environment_without,
    free_loopback_port,
    group_rss_mib,
    log,
    run,
)


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
# The server


def mlflow_env(work_dir: Path) -> dict[str, str]:
    # MLFLOW_* could also pass gunicorn/uvicorn options or turn workspaces on.
    return environment_without(
        ("MLFLOW_", "OTEL_"),
        {
            "MLFLOW_DISABLE_TELEMETRY": "true",
            "DO_NOT_TRACK": "true",
            # The job runner (huey consumers for scorers, periodic tasks) is on by default and would
            # add processes and CPU; nothing the test uses needs it.
            "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
            "PYTHONUNBUFFERED": "1",
            # MLflow may write under $HOME (~/.mlflow, ~/.cache); keep that inside the temp dir too.
            "HOME": str(work_dir / "home"),
        },
    )


class MLflow(Backend):
    name = "mlflow"
    # Only the `mlflow server` process: it forwards SIGTERM to uvicorn and waits for it.
    # (Signalling the whole group would hand uvicorn a second SIGTERM, its force-exit.)
    signal_group_on_stop = False

    def __init__(self, python: str, work_dir: Path, log_path: Path) -> None:
        super().__init__(python, work_dir, log_path)
        self.port = 0

    def ready_line(self) -> str:
        return f"READY http={self.port}"

    def rss(self) -> str:
        assert self.proc is not None
        rss = group_rss_mib(self.proc.pid)
        return f", RSS {rss:.0f} MiB for mlflow server + uvicorn" if rss is not None else ""

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
        self.port = free_loopback_port()
        (self.work_dir / "home").mkdir(parents=True, exist_ok=True)
        (self.work_dir / "artifacts").mkdir(parents=True, exist_ok=True)
        # A retry after a port clash must not reuse a half-migrated database.
        for leftover in self.work_dir.glob("mlflow.db*"):
            leftover.unlink()
        started = time.monotonic()
        proc = self.spawn(self.command(), mlflow_env(self.work_dir))
        log(
            f"started mlflow server (pid {proc.pid}, http {self.port}, "
            f"working dir {self.work_dir}, log {self.log_path})"
        )
        probes = Probes(self.port)
        self.poll_until_ready(
            deadline,
            stop,
            lambda: probes.poll(started),
            lambda: f"{probes.missing()} on {HOST}:{self.port} never answered as expected",
        )
        return time.monotonic() - started


if __name__ == "__main__":
    sys.exit(run("mlflow_server", __doc__.split("\n\n")[0], MLflow, "MLFLOW_PYTHON", "mlflow"))
