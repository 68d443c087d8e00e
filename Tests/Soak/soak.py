#!/usr/bin/env python3
"""The soak of scripts/soak.sh: one OpenTelemetrySink (the SinkSoak driver) under steady load while
the OTLP receiver behind it is stopped and restarted at random, then checks that the driver's
process stayed flat and that every span was delivered or counted.

Loopback only. The receiver is Tests/Receiver/otlp_receiver.py in count-only mode, always on the
same port; each one writes its totals to a stats file when stopped (SIGTERM, graceful).

Timeline: warm-up (at least one restart), then `baseline` (the driver flushes and reads its own
/proc/self: RSS, open descriptors, threads), chaos until the end, a receiver known to be up, then
`finish` (flush, the same figures as `END`, stop producing, end the runs still active, shutdown,
`RESULT` with the sink's status). Checks:

  produced == recorded                      the driver's own count of the spans its calls make
  recorded == exported + dropped + failed + rejected + pending, and pending == 0
  delivered + dropped + failed + rejected == produced   (delivered: the receivers' totals)
  RSS, descriptors and threads at the end within a small tolerance of the baseline

Exit status 0 when every check holds, 1 on a violation, 2 when the soak itself could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECEIVER = os.path.join(REPO, "Tests", "Receiver", "otlp_receiver.py")

# Tolerances, end versus baseline (see docs/reliability-soak.md). RSS moves by up to ~3 MiB with
# what is queued and in flight at the moment it is read (600 s runs: 27.9-31.0, 30.1-32.3 MiB); a reconnect
# may briefly hold one more socket, gRPC one more thread.
RSS_TOLERANCE_KB = 6 * 1024
RSS_TOLERANCE_FRACTION = 0.10
FD_TOLERANCE = 2
THREAD_TOLERANCE = 2


class SoakError(Exception):
    """The soak could not run (not a violation of what it checks)."""


def log(message: str) -> None:
    print(f"soak: {message}", file=sys.stderr, flush=True)


class Receiver:
    """One count-only receiver process on 127.0.0.1."""

    def __init__(self, python: str, port: int, stats_path: str, stderr_path: str) -> None:
        self.stats_path = stats_path
        self._stderr = open(stderr_path, "ab")
        # --watch-stdin: if this orchestrator dies, the receiver sees EOF and exits too.
        self.process = subprocess.Popen(
            [python, RECEIVER, "--count-only", "--port", str(port), "--stats", stats_path, "--watch-stdin"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        line = read_line(self.process.stdout, timeout=30)
        if line is None or not line.startswith("READY "):
            self.process.kill()
            self.process.wait()
            raise SoakError(f"receiver did not start on port {port} (first line {line!r}; see {stderr_path})")
        self.port = int(line.split()[1])

    def stop(self) -> dict[str, Any]:
        """SIGTERM (graceful: calls in flight are answered), then its totals."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise SoakError("receiver ignored SIGTERM for 20 s; its totals are lost")
        finally:
            self.process.stdin.close()
            self.process.stdout.close()
            self._stderr.close()
        with open(self.stats_path, encoding="utf-8") as f:
            return json.load(f)


def read_line(stream: Any, timeout: float) -> str | None:
    """One line from a pipe within `timeout` seconds, or None."""
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        return None
    line = stream.readline()
    return line.decode("utf-8", "replace").strip() if line else None


class Driver:
    """The SinkSoak process; its stdout is read by a thread into a queue of protocol lines."""

    def __init__(self, binary: str, port: int, max_active_runs: int) -> None:
        self.process = subprocess.Popen(
            [binary, "--endpoint", f"http://127.0.0.1:{port}", "--max-active-runs", str(max_active_runs)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            self.lines.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self.lines.put(None)

    def send(self, command: str) -> None:
        self.process.stdin.write((command + "\n").encode())
        self.process.stdin.flush()

    def expect(self, keyword: str, timeout: float) -> str:
        """The rest of the next line starting with `keyword` (other lines are passed through)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SoakError(f"driver sent no {keyword} line within {timeout:.0f} s")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise SoakError(f"driver exited (status {self.process.wait()}) before {keyword}")
            if line.startswith(keyword):
                return line[len(keyword):].strip()
            log(f"driver: {line}")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


def proc_figures(pid: int) -> dict[str, int]:
    """RSS (kB), open descriptors and threads of `pid`, read from /proc."""
    rss = -1
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return {"rss_kb": rss, "fds": len(os.listdir(f"/proc/{pid}/fd")), "threads": len(os.listdir(f"/proc/{pid}/task"))}


class Soak:
    def __init__(self, args: argparse.Namespace, workdir: str) -> None:
        self.args = args
        self.workdir = workdir
        self.rng = random.Random(args.seed)
        self.receivers_started = 0
        self.totals = {"spans": 0, "points": 0, "calls": 0, "ok_calls": 0}
        self.downtime = 0.0
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.receiver: Receiver | None = None
        self.port = 0
        self.driver: Driver | None = None
        self.began = time.monotonic()

    def start_receiver(self) -> None:
        index = self.receivers_started
        stats = os.path.join(self.workdir, f"receiver-{index}.json")
        stderr = os.path.join(self.workdir, "receiver.stderr")
        for attempt in range(50):  # the port may linger a moment after the last receiver
            try:
                self.receiver = Receiver(self.args.python, self.port, stats, stderr)
                break
            except SoakError:
                if self.port == 0 or attempt == 49:
                    raise
                time.sleep(0.2)
        self.port = self.receiver.port
        self.receivers_started += 1

    def stop_receiver(self) -> None:
        stats = self.receiver.stop()
        self.receiver = None
        for key in self.totals:
            self.totals[key] += int(stats.get(key, 0))

    def pause(self, seconds: float, until: float) -> None:
        """Waits `seconds` (not past `until`), sampling the driver and watching it stay alive."""
        end = min(time.monotonic() + seconds, until)
        while True:
            if not self.driver.alive:
                raise SoakError(f"driver exited early (status {self.driver.process.returncode})")
            now = time.monotonic()
            if now >= end:
                return
            if not self.samples or now - self.samples[-1][0] >= self.args.sample_every:
                self.samples.append((now, proc_figures(self.driver.process.pid)))
            time.sleep(min(0.1, end - now))  # pacing the chaos, not synchronisation

    def chaos(self, until: float, force_restart: bool) -> None:
        """Stops and restarts the receiver at random until `until`; the receiver is up on return."""
        first = True
        while time.monotonic() < until:
            uptime = self.rng.uniform(0.5, 6.0)
            if first and force_restart:
                uptime = min(uptime, max(0.5, (until - time.monotonic()) / 2))
            first = False
            self.pause(uptime, until)
            if time.monotonic() >= until:
                break
            self.stop_receiver()
            down = self.rng.uniform(0.05, 3.0)
            started = time.monotonic()
            self.pause(down, until + 3.0)  # a restart in progress completes even near the end
            self.start_receiver()
            self.downtime += time.monotonic() - started

    def run(self) -> int:
        args = self.args
        self.start_receiver()
        self.driver = Driver(args.driver, self.port, args.max_active_runs)
        self.driver.expect("STARTED", timeout=60)
        warmup = warmup_seconds(args.seconds)
        end = self.began + args.seconds
        self.chaos(self.began + warmup, force_restart=True)
        self.driver.send("baseline")
        baseline = json.loads(self.driver.expect("BASELINE", timeout=90))
        self.chaos(end, force_restart=False)
        self.driver.send("finish")
        final = json.loads(self.driver.expect("END", timeout=90))
        result = json.loads(self.driver.expect("RESULT", timeout=120))
        status = self.driver.process.wait(timeout=30)
        self.stop_receiver()
        return self.report(baseline, final, result, status, time.monotonic() - self.began)

    def report(self, baseline: dict[str, Any], final: dict[str, Any], result: dict[str, int], driver_status: int,
               elapsed: float) -> int:
        r = result
        delivered = self.totals["spans"]
        counted = r["spans_dropped"] + r["spans_failed"] + r["spans_rejected"]
        settled = r["spans_exported"] + counted + r["spans_pending"]
        rss_limit = baseline["rss_kb"] + max(RSS_TOLERANCE_KB, int(baseline["rss_kb"] * RSS_TOLERANCE_FRACTION))
        checks = [
            ("driver exited 0", driver_status == 0, f"status {driver_status}"),
            ("produced == recorded", r["spans_produced"] == r["spans_recorded"],
             f"{r['spans_produced']} produced, {r['spans_recorded']} recorded"),
            ("recorded == exported + dropped + failed + rejected + pending", r["spans_recorded"] == settled,
             f"{r['spans_recorded']} == {r['spans_exported']} + {r['spans_dropped']} + {r['spans_failed']} + "
             f"{r['spans_rejected']} + {r['spans_pending']}"),
            ("nothing pending after shutdown", r["spans_pending"] == 0, f"{r['spans_pending']} pending"),
            ("no run left active", r["active_runs_at_end"] == 0, f"{r['active_runs_at_end']} active"),
            ("delivered + dropped + failed + rejected == produced", delivered + counted == r["spans_produced"],
             f"{delivered} + {counted} = {delivered + counted} vs {r['spans_produced']}"
             + ("" if delivered == r["spans_exported"] else
                f" (the receivers counted {delivered - r['spans_exported']:+d} spans against exported: "
                "an answer lost after the receiver accepted, or a retry of an accepted request)")),
            (f"RSS flat (end <= baseline + max({RSS_TOLERANCE_KB // 1024} MiB, {RSS_TOLERANCE_FRACTION:.0%}))",
             final["rss_kb"] <= rss_limit, f"{kib(baseline['rss_kb'])} -> {kib(final['rss_kb'])}"),
            (f"descriptors flat (end <= baseline + {FD_TOLERANCE})", final["fds"] <= baseline["fds"] + FD_TOLERANCE,
             f"{baseline['fds']} -> {final['fds']}"),
            (f"threads flat (end <= baseline + {THREAD_TOLERANCE})",
             final["threads"] <= baseline["threads"] + THREAD_TOLERANCE, f"{baseline['threads']} -> {final['threads']}"),
        ]
        print(f"soak: {elapsed:.0f} s (asked {self.args.seconds} s), seed {self.args.seed}, "
              f"{self.receivers_started - 1} receiver restarts, receiver down {self.downtime:.1f} s in all")
        print(f"  spans produced  {r['spans_produced']:>10,}   runs started {r['runs_started']:,}, "
              f"abandoned {r['runs_abandoned']:,}, evicted {r['runs_evicted']:,}, superseded {r['runs_superseded']:,}")
        print(f"  recorded        {r['spans_recorded']:>10,}")
        print(f"  exported        {r['spans_exported']:>10,}   delivered (receivers' count) {delivered:,} "
              f"in {self.totals['ok_calls']:,} of {self.totals['calls']:,} calls")
        print(f"  counted         {counted:>10,}   dropped {r['spans_dropped']:,}, failed {r['spans_failed']:,}, "
              f"rejected {r['spans_rejected']:,}; pending {r['spans_pending']}")
        print(f"  exports         failed calls {r['export_failures']:,}, retries {r['export_retries']:,}, "
              f"flushes {r['flushes']:,} ({r['flushes_delivered']:,} delivered), shutdown delivered: "
              f"{r['shutdown_delivered']}")
        print(f"  metrics         {r['metric_exports']:,} exports, points exported {r['data_points_exported']:,}, "
              f"failed {r['data_points_failed']:,}; receivers counted {self.totals['points']:,}")
        print(f"  process         baseline (after {warmup_seconds(self.args.seconds):.0f} s warm-up)"
              f" -> end:  RSS {kib(baseline['rss_kb'])} -> {kib(final['rss_kb'])}, "
              f"fds {baseline['fds']} -> {final['fds']}, threads {baseline['threads']} -> {final['threads']}")
        if self.samples:
            trail = ", ".join(f"{t - self.began:.0f}s {kib(s['rss_kb'])}/{s['fds']}/{s['threads']}"
                              for t, s in self.samples)
            print(f"  samples         (RSS/fds/threads) {trail}")
        failed = [c for c in checks if not c[1]]
        for name, ok, detail in checks:
            print(f"  {'ok  ' if ok else 'FAIL'}  {name}: {detail}")
        print("soak: PASS" if not failed else f"soak: FAIL ({len(failed)} violation(s))")
        return 0 if not failed else 1

    def cleanup(self) -> None:
        if self.driver is not None and self.driver.alive:
            self.driver.process.kill()
            self.driver.process.wait()
        if self.receiver is not None:
            try:
                self.receiver.stop()
            except SoakError:
                pass


def warmup_seconds(seconds: int) -> float:
    """A tenth of the run, at least 10 s (metric series and allocator pools fill up), at most 60 s."""
    return min(60.0, max(10.0, seconds * 0.1))


def kib(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.1f} MiB"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--driver", required=True, help="the SinkSoak executable")
    p.add_argument("--seconds", type=int, default=600, help="how long the soak runs (default 600)")
    p.add_argument("--seed", type=int, default=None, help="the chaos's random seed (default: from the clock)")
    p.add_argument("--max-active-runs", type=int, default=64, help="the driver sink's active-run bound")
    p.add_argument("--sample-every", type=float, default=None,
                   help="seconds between samples of the driver's /proc figures (default: a tenth of the run)")
    p.add_argument("--python", default=sys.executable, help="the interpreter for the receiver (default: this one)")
    args = p.parse_args(argv)
    if args.seconds < 20:
        p.error("--seconds must be at least 20 (10 s of it are warm-up)")
    if args.seed is None:
        args.seed = int(time.time()) % 100_000
    if args.sample_every is None:
        args.sample_every = args.seconds / 10
    with tempfile.TemporaryDirectory(prefix="sink-soak-") as workdir:
        soak = Soak(args, workdir)
        try:
            return soak.run()
        except (SoakError, subprocess.TimeoutExpired, OSError, ValueError) as error:
            log(f"could not complete: {error}")
            stderr = os.path.join(workdir, "receiver.stderr")
            if os.path.exists(stderr):
                with open(stderr, encoding="utf-8", errors="replace") as f:
                    tail = f.read()[-2000:]
                if tail:
                    log(f"receiver stderr (tail):\n{tail}")
            return 2
        finally:
            soak.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
