#!/usr/bin/env python3
"""The spool soak (scripts/soak.sh --spool): producer processes (SpoolChild) recording runs into one
spool directory are killed at random (SIGKILL, SIGABRT) or end on their own, one after another,
while the OTLP receiver behind them is stopped and restarted at random. A last process drains
the spool (rlm-otel-replay --spool). Then, over all generations:

  delivered (distinct spans) + counted (discarded, as the surviving processes said) <= produced
  produced - delivered - counted <= what the kills could lose: the spans recorded in the 250 ms
      before each kill (the 50 ms write interval and the 10 ms between the producer's notes of
      its count, with room for a loaded machine; the losses measured are ~25 ms a kill)
  duplicates (received - distinct) <= (kills + receiver restarts) x one batch (512)
  the spool's size, sampled every 0.2 s, stays under twice the bound plus two segments (a
      recovering process copies a dead stream before deleting it)

Loopback only; receivers in store mode (the official opentelemetry-proto decoder) so that span
ids can be counted. Exit 0 when every check holds, 1 on a violation, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECEIVER = os.path.join(REPO, "Tests", "Receiver", "otlp_receiver.py")
MAX_BYTES = 16 << 20  # small next to the default, large enough that an outage here never reaches it
SEGMENT = MAX_BYTES // 4
BATCH = 512
WINDOW_SECONDS = 0.25  # the 50 ms write interval and the 10 ms note, with room for a loaded machine


def log(message: str) -> None:
    print(f"spool soak: {message}", file=sys.stderr, flush=True)


class Receivers:
    """Store-mode receivers on one port, restarted at random by a thread of their own."""

    def __init__(self, python: str, workdir: str, rng: random.Random) -> None:
        self.python, self.workdir, self.rng = python, workdir, rng
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.outs: list[str] = []
        self.restarts = 0
        self.stop_chaos = threading.Event()
        self.lock = threading.Lock()

    def start(self) -> None:
        out = os.path.join(self.workdir, f"receiver-{len(self.outs)}")
        os.makedirs(out)
        for attempt in range(100):  # the port may linger a moment after the last receiver
            process = subprocess.Popen(
                [self.python, RECEIVER, "--out", out, "--port", str(self.port), "--watch-stdin"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            line = process.stdout.readline().decode().strip()
            if line.startswith("READY "):
                self.port = int(line.split()[1])
                self.process = process
                self.outs.append(out)
                return
            process.kill()
            process.wait()
            time.sleep(0.1)
        raise RuntimeError("a receiver did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.process.stdin.close()
        self.process.stdout.close()
        self.process = None

    def chaos(self) -> None:
        while not self.stop_chaos.wait(self.rng.uniform(1.0, 6.0)):
            with self.lock:
                self.stop()
                self.restarts += 1
            if self.stop_chaos.wait(self.rng.uniform(0.3, 3.0)):
                with self.lock:
                    self.start()
                return
            with self.lock:
                self.start()

    def spans(self) -> list[tuple[str, str]]:
        ids = []
        for out in self.outs:
            path = os.path.join(out, "traces.jsonl")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                for line in f:
                    request = json.loads(line)
                    for resource_spans in request.get("resource_spans", []):
                        for scope_spans in resource_spans.get("scope_spans", []):
                            for span in scope_spans.get("spans", []):
                                ids.append((span["trace_id"], span["span_id"]))
        return ids


def directory_bytes(path: str) -> int:
    total = 0
    for name in os.listdir(path) if os.path.isdir(path) else []:
        try:
            total += os.path.getsize(os.path.join(path, name))
        except OSError:
            pass
    return total


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--child", required=True, help="the SpoolChild executable")
    p.add_argument("--replay", required=True, help="the rlm-otel-replay executable")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--rate", type=float, default=2000, help="spans a second each producer records")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--python", default=sys.executable)
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time()) % 100_000
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="spool-soak-") as workdir:
        spool = os.path.join(workdir, "spool")
        receivers = Receivers(args.python, workdir, rng)
        receivers.start()
        chaos = threading.Thread(target=receivers.chaos, daemon=True)
        chaos.start()
        env = {
            "PATH": "/usr/bin:/bin", "DSPY_RLM_OTEL_ENABLED": "true",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receivers.port}",
            "DSPY_RLM_OTEL_SPOOL_DIR": spool, "DSPY_RLM_OTEL_SPOOL_MAX_BYTES": str(MAX_BYTES),
            "DSPY_RLM_OTEL_METRICS_ENABLED": "false", "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2000",
            # Swift's backtracer catches a SIGABRT sent from outside and can leave the process
            # running after its report; without it the signal ends the process as it would a C one.
            "SWIFT_BACKTRACE": "enable=no",
        }
        largest = 0
        generations = []
        began = time.monotonic()
        while time.monotonic() - began < args.seconds:
            trail = os.path.join(workdir, f"trail-{len(generations)}")
            open(trail, "w").close()
            fate = rng.choices(["SIGKILL", "SIGABRT", "ends"], weights=[70, 20, 10])[0]
            life = rng.uniform(1.0, 6.0)
            produce = life if fate == "ends" else life + 60
            child = subprocess.Popen(
                [args.child, f"produce:{produce:.2f}:{args.rate:.0f}:{trail}", "shutdown:3", "status"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + life
            while time.monotonic() < deadline or (fate == "ends" and child.poll() is None):
                largest = max(largest, directory_bytes(spool))
                time.sleep(0.2)  # pacing the chaos and sampling the disk, not synchronisation
            if fate != "ends":
                child.send_signal(signal.SIGKILL if fate == "SIGKILL" else signal.SIGABRT)
            out = child.communicate(timeout=60)[0].decode()
            with open(trail, encoding="utf-8") as f:
                noted = int(f.read().strip() or 0)
            status = {}
            for line in out.splitlines():
                if line.startswith("status "):
                    status = dict(pair.split("=") for pair in line.split()[1:])
            generations.append({"fate": fate, "produced": noted, "status": status})
        receivers.stop_chaos.set()
        chaos.join(timeout=60)
        # The last word: a receiver that is up, and a drain of what the killed ones left.
        with receivers.lock:
            if receivers.process is None:
                receivers.start()
        drain = subprocess.run([args.replay, "--spool", spool, "--no-progress"], env=env,
                               capture_output=True, text=True, timeout=600)
        log(drain.stderr.strip().splitlines()[-1] if drain.stderr.strip() else "(the drain said nothing)")
        largest = max(largest, directory_bytes(spool))
        receivers.stop()
        ids = receivers.spans()

    kills = sum(g["fate"] != "ends" for g in generations)
    produced = sum(g["produced"] for g in generations)
    counted = sum(int(g["status"].get("discarded", 0)) + int(g["status"].get("dropped", 0)) for g in generations)
    distinct = len(set(ids))
    duplicates = len(ids) - distinct
    window = kills * (args.rate * WINDOW_SECONDS + 10)  # + the runs in progress, rebuilt
    lost = produced - distinct - counted
    bound = 2 * MAX_BYTES + 2 * SEGMENT
    checks = [
        # Not vacuous: something was produced, killed, delivered and recovered.
        ("producers ran, were killed and delivered", produced > 0 and kills > 0 and distinct > 0,
         f"{produced} produced, {kills} kills, {distinct} delivered"),
        ("the drain exited 0", drain.returncode == 0, f"status {drain.returncode}"),
        ("nothing delivered that was not produced", distinct <= produced + kills,
         f"{distinct} distinct vs {produced} produced (+{kills} rebuilt runs at most)"),
        ("what is lost is within the loss window of the kills", -kills <= lost <= window,
         f"{lost} lost, window {window:.0f} over {kills} kills"),
        ("duplicates within one batch per kill and receiver restart",
         duplicates <= (kills + receivers.restarts) * BATCH, f"{duplicates} duplicates"),
        ("the spool stayed within its bound", largest <= bound, f"largest {largest:,} bytes, bound {bound:,}"),
    ]
    print(f"spool soak: {args.seconds:.0f} s, seed {seed}, {len(generations)} producers "
          f"({kills} killed: {sum(g['fate'] == 'SIGKILL' for g in generations)} SIGKILL, "
          f"{sum(g['fate'] == 'SIGABRT' for g in generations)} SIGABRT), {receivers.restarts} receiver restarts")
    print(f"  produced {produced:,}, delivered {distinct:,} distinct ({len(ids):,} received, "
          f"{duplicates:,} twice), counted {counted:,}, lost {lost:,}")
    failed = [c for c in checks if not c[1]]
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'}  {name}: {detail}")
    print("spool soak: PASS" if not failed else f"spool soak: FAIL ({len(failed)} violation(s))")
    return 0 if not failed else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        log(f"could not run: {error}")
        sys.exit(2)
