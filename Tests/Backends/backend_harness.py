"""What the throw-away backend servers of the integration tests share (Tests/Phoenix/phoenix_server.py,
Tests/MLflow/mlflow_server.py): the child process's lifetime, the command line, and the loop that
starts the backend, prints one READY line and stops it when asked. Standard library only.

A harness defines a `Backend` subclass (how to start it, when it is ready, what READY says) and
calls `run(backend_factory, ...)` from its main.

The contract every harness keeps (scripts/lib/backend-server.sh relies on it):
  * exactly one line on stdout, `READY key=<port> ...`; progress, timings and errors on stderr; the
    backend's own output in a log file whose tail is printed on stderr when something goes wrong;
  * it runs until its stdin reaches end-of-file (the parent closed the pipe or died) or it gets
    SIGTERM/SIGINT/SIGHUP, then stops the backend (SIGTERM, then SIGKILL to its process group after
    --stop-timeout) and removes its temp dir;
  * exit status 0 after a requested stop, 1 when the backend failed to start in time or died, 2 on
    bad usage. A port taken between probing and the backend's bind is retried (START_ATTEMPTS).
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
from pathlib import Path
from typing import Callable, Optional

HOST = "127.0.0.1"
START_ATTEMPTS = 3
_prog = "backend"


def log(message: str) -> None:
    print(f"{_prog}: {message}", file=sys.stderr, flush=True)


class StartupError(Exception):
    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> Optional[float]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def group_rss_mib(pgid: int) -> Optional[float]:
    """Summed RSS of every process in the process group (a server and its workers)."""
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
    return "\n".join(text[-lines:]) if text else "(the backend printed nothing)"


try:
    _prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl  # resolved before any fork
except (OSError, AttributeError):
    _prctl = None


def _die_with_parent() -> None:
    """preexec_fn: PR_SET_PDEATHSIG so the backend gets SIGTERM even if the harness is SIGKILLed.

    Runs between fork and exec, so it only calls the already-resolved libc function."""
    if _prctl is not None:
        _prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 == PR_SET_PDEATHSIG


def environment_without(prefixes: tuple[str, ...], extra: dict[str, str]) -> dict[str, str]:
    """This process's environment minus variables with the given prefixes, plus `extra`: a CI or
    developer environment must not point a throw-away server at a real database, turn auth on, or
    make it export its own traces somewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(extra)
    return env


class Backend:
    """One backend server process. Subclasses set `name`, implement `start`, `ready_line` and
    may override `signal_group_on_stop` and `rss`."""

    name = "backend"
    # SIGTERM to the whole process group (a server whose workers each take it), or to the main
    # process only (a server that forwards it to its workers, which a second SIGTERM force-exits).
    signal_group_on_stop = True

    def __init__(self, python: str, work_dir: Path, log_path: Path) -> None:
        self.python = python
        self.work_dir = work_dir
        self.log_path = log_path
        self.proc: Optional[subprocess.Popen[bytes]] = None

    def start(self, deadline: float, stop: threading.Event) -> float:
        """Starts the backend and waits until it is ready; returns the seconds that took."""
        raise NotImplementedError

    def ready_line(self) -> str:
        raise NotImplementedError

    def rss(self) -> str:
        assert self.proc is not None
        rss = rss_mib(self.proc.pid)
        return f", RSS {rss:.0f} MiB" if rss is not None else ""

    def spawn(self, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """Starts `command` in a session of its own, output to the log, dying with the harness."""
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.work_dir,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        return self.proc

    def poll_until_ready(
        self,
        deadline: float,
        stop: threading.Event,
        ready: Callable[[], bool],
        not_ready: Callable[[], str],
        clash_markers: tuple[str, ...] = ("address already in use",),
    ) -> None:
        """Polls `ready` (with a growing delay, no fixed sleep) until it holds, the process dies,
        a stop is requested or `deadline` passes; `not_ready` says what never answered."""
        assert self.proc is not None
        delay = 0.05
        while True:
            if stop.is_set():
                raise StartupError(f"stop requested while {self.name} was starting")
            code = self.proc.poll()
            if code is not None:
                tail = log_tail(self.log_path)
                raise StartupError(
                    f"{self.name} exited with status {code} before it was ready; log tail:\n{tail}",
                    retryable=any(marker in tail.lower() for marker in clash_markers),
                )
            if ready():
                return
            if time.monotonic() >= deadline:
                tail = log_tail(self.log_path)
                raise StartupError(
                    f"{self.name} was not ready within the startup timeout ({not_ready()}); "
                    f"log tail:\n{tail}",
                    # A failed bind can leave a parent process waiting instead of exiting.
                    retryable=any(marker in tail.lower() for marker in clash_markers),
                )
            stop.wait(delay)
            delay = min(delay * 2, 0.5)

    def stop(self, timeout: float) -> Optional[int]:
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                if self.signal_group_on_stop:
                    os.killpg(proc.pid, signal.SIGTERM)
                else:
                    proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} did not stop within {timeout:g}s of SIGTERM; sending SIGKILL")
        # Whatever is left of its process group (workers, or the server itself after the timeout).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log(f"{self.name} (pid {proc.pid}) survived SIGKILL for 10s")
        self.proc = None
        return proc.returncode


def run(
    prog: str,
    description: str,
    make_backend: Callable[[str, Path, Path], Backend],
    python_variable: str,
    package: str,
) -> int:
    """Parses the harness's command line, starts the backend (retrying port clashes), prints the
    READY line, and stops the backend when stdin closes or a signal comes."""
    global _prog
    _prog = prog
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--python",
        default=os.environ.get(python_variable) or sys.executable,
        help=f"interpreter that has {package} installed (default: ${python_variable}, else this one)",
    )
    parser.add_argument("--startup-timeout", type=float, default=120.0, help="seconds (default 120)")
    parser.add_argument("--stop-timeout", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument(
        "--log-file",
        help="also keep the backend's output here (default: only in the temp dir, removed at exit)",
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

    work_dir = Path(tempfile.mkdtemp(prefix=f"{prog}-"))
    log_path = Path(args.log_file).resolve() if args.log_file else work_dir / "backend.log"
    backend = make_backend(args.python, work_dir, log_path)
    status = 0
    try:
        deadline = time.monotonic() + args.startup_timeout
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                took = backend.start(deadline, stop)
                break
            except StartupError as error:
                backend.stop(args.stop_timeout)
                if error.retryable and attempt < START_ATTEMPTS and time.monotonic() < deadline:
                    log(f"port clash on attempt {attempt}; retrying with new ports")
                    continue
                raise
        assert backend.proc is not None
        log(f"{backend.name} ready in {took:.1f}s (pid {backend.proc.pid}{backend.rss()})")
        try:
            print(backend.ready_line(), flush=True)
        except BrokenPipeError:
            request_stop("stdout closed")

        while not stop.wait(0.5):
            code = backend.proc.poll()
            if code is not None:
                log(f"{backend.name} exited on its own with status {code}; log tail:\n{log_tail(log_path)}")
                status = 1
                break
        if why:
            log(f"stopping {backend.name} ({why[0]})")
    except StartupError as error:
        if why:
            log(f"startup aborted ({why[0]})")
        else:
            log(f"error: {error}")
            status = 1
    finally:
        backend.stop(args.stop_timeout)
        if args.keep_dir:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    return status
