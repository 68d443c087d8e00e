#!/usr/bin/env python3
"""The SinkWorkload scenarios, run through the Python reference ``OpenTelemetrySink`` (rlm-code 0.1.13).

Mirrors Benchmarks/Sources/SinkWorkload: same inputs, same loops, every hook call timed with
``time.perf_counter_ns()`` (CLOCK_MONOTONIC, like the Swift side), one JSON object on stdout.
The reference installs process-wide tracer/meter providers, so run one process per configuration.
Its BatchSpanProcessor takes its sizes from OTEL_BSP_* (the sink passes none), hence ``--queue``
sets OTEL_BSP_MAX_QUEUE_SIZE before the sink is built. Spans lost are counted by the caller from
the receiver (the reference has no counter); here we count the SDK's "queue full" warnings.

Transport: the reference always exports over OTLP/gRPC. Its ``__post_init__`` imports
``OTLPSpanExporter`` / ``OTLPMetricExporter`` from ``opentelemetry.exporter.otlp.proto.grpc.*``
by name and calls them with ``endpoint=<its endpoint>``; it does not read
``OTEL_EXPORTER_OTLP_PROTOCOL`` (nor does the SDK's gRPC exporter). So ``--protocol http/protobuf``
substitutes the SDK's OTLP/HTTP exporters (``opentelemetry-exporter-otlp-proto-http``, same SDK
version) under those two module names before the sink is built: the sink's own code then builds
its TracerProvider, BatchSpanProcessor, MeterProvider and PeriodicExportingMetricReader exactly as
it does for gRPC, around the HTTP exporters. The HTTP exporter takes ``endpoint=`` as the full
signal URL (only ``OTEL_EXPORTER_OTLP_ENDPOINT`` gets the path appended), so the substitute
appends ``v1/traces`` / ``v1/metrics`` to the base endpoint, as the specification does for the
shared endpoint. grpcio is then never imported (``grpc_loaded`` in the report says so).

  python workload.py hooks|burst|sustained --endpoint http://127.0.0.1:PORT [--no-metrics]
      [--protocol grpc|http/protobuf] [--runs N] [--steps N] [--active-runs N] [--queue N]
      [--batch N] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

TASK = "Answer the trivia question using the Python sandbox and report the final answer."
ENVIRONMENT = "dspy"
PARAMS = {"max_steps": 50, "model": "gpt-4o"}
CODE = "import math\nresult = sum(math.sqrt(i) for i in range(100))\n"
OUTPUT = "result = 661.4629471031477 (float), ok"


def run_id(index: int) -> str:
    return f"{(index * 2654435761) & 0xFFFFFFFF:08x}"


def step(number: int) -> dict:
    return {
        "step": number,
        "action": {"action": "run_python", "code": CODE},
        "observation": {"success": True, "output": OUTPUT},
        "reward": 0.1,
    }


def result(steps: int) -> SimpleNamespace:
    return SimpleNamespace(
        completed=True, steps=steps, total_reward=0.1 * steps, final_answer="42",
        started_at="2025-01-01T00:00:00+00:00", finished_at="2025-01-01T00:00:05+00:00",
    )


def percentiles(samples: list[int]) -> dict:
    ordered = sorted(samples)

    def rank(q: float) -> float:
        if not ordered:
            return 0.0
        # nearest rank: ceil(q * n) - 1
        index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
        return ordered[index] / 1000.0

    return {"count": len(ordered), "p50_us": rank(0.5), "p90_us": rank(0.9), "p99_us": rank(0.99),
            "p999_us": rank(0.999), "max_us": (ordered[-1] / 1000.0) if ordered else 0.0}


def vm_hwm_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class DropWarnings(logging.Handler):
    """Counts the SDK's log records about a full span queue (the reference's only loss signal)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "dropped" in record.getMessage().lower() or "queue" in record.getMessage().lower():
            self.count += 1


def signal_url(base: str | None, path: str) -> str | None:
    """The specification's rule for a shared base endpoint: append ``v1/<signal>``."""
    if base is None:
        return None
    return base if base.rstrip("/").endswith("/" + path) else base.rstrip("/") + "/" + path


def use_http_exporters() -> None:
    """Makes the reference's ``from opentelemetry.exporter.otlp.proto.grpc.… import OTLP…Exporter``
    bring the SDK's OTLP/HTTP exporters instead (see the module docstring)."""
    import types

    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    def span_exporter(endpoint: str | None = None, **kwargs):
        return OTLPSpanExporter(endpoint=signal_url(endpoint, "v1/traces"), **kwargs)

    def metric_exporter(endpoint: str | None = None, **kwargs):
        return OTLPMetricExporter(endpoint=signal_url(endpoint, "v1/metrics"), **kwargs)

    # Full dotted names in sys.modules: the import system returns them without importing the
    # gRPC exporter package (or grpcio) at all.
    for name, attribute, factory in (
        ("opentelemetry.exporter.otlp.proto.grpc.trace_exporter", "OTLPSpanExporter", span_exporter),
        ("opentelemetry.exporter.otlp.proto.grpc.metric_exporter", "OTLPMetricExporter", metric_exporter),
    ):
        module = types.ModuleType(name, "OTLP/HTTP exporters standing in for the gRPC ones (workload.py)")
        setattr(module, attribute, factory)
        sys.modules[name] = module


def make_sink(args: argparse.Namespace):
    if args.protocol == "http/protobuf":
        use_http_exporters()
    if args.queue is not None:
        os.environ["OTEL_BSP_MAX_QUEUE_SIZE"] = str(args.queue)
    if args.batch is not None:
        os.environ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = str(args.batch)
    from rlm_code.rlm.observability_sinks import OpenTelemetrySink

    sink = OpenTelemetrySink(enabled=True, service_name="rlm-bench", endpoint=args.endpoint,
                             metrics_enabled=args.metrics)
    if not sink.status()["available"]:
        raise SystemExit(f"reference sink unavailable: {sink.status()['detail']}")
    return sink


def shutdown() -> bool:
    from opentelemetry import metrics, trace

    flushed = trace.get_tracer_provider().force_flush(60_000)
    trace.get_tracer_provider().shutdown()
    provider = metrics.get_meter_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()
    return bool(flushed)


def span_queue():
    """The BatchSpanProcessor's deque (SDK internals; None if they moved)."""
    from opentelemetry import trace

    try:
        processors = trace.get_tracer_provider()._active_span_processor._span_processors
        return processors[0]._batch_processor._queue
    except (AttributeError, IndexError):
        return None


def hooks(args: argparse.Namespace, sink) -> dict:
    clock = time.perf_counter_ns
    starts: list[int] = []
    steps: list[int] = []
    ends: list[int] = []
    began = clock()
    for run in range(args.runs):
        rid = run_id(run)
        t0 = clock()
        sink.on_run_start(rid, task=TASK, environment=ENVIRONMENT, params=PARAMS)
        starts.append(clock() - t0)
        cumulative = 0.0
        for number in range(1, max(1, args.steps) + 1):
            event = step(number)
            cumulative += event["reward"]
            t0 = clock()
            sink.on_step(rid, event=event, cumulative_reward=cumulative)
            steps.append(clock() - t0)
        res = result(args.steps)
        path = Path(f"runs/{rid}.jsonl")
        t0 = clock()
        sink.on_run_end(rid, result=res, run_path=path)
        ends.append(clock() - t0)
    hooks_seconds = (clock() - began) / 1e9
    active: list[int] = []
    for run in range(args.active_runs):
        rid = run_id(args.runs + run)
        t0 = clock()
        sink.on_run_start(rid, task=TASK, environment=ENVIRONMENT, params=PARAMS)
        active.append(clock() - t0)
    for run in range(args.active_runs):
        rid = run_id(args.runs + run)
        sink.on_run_end(rid, result=result(0), run_path=Path(f"runs/{rid}.jsonl"))
    flushed = shutdown()
    tenth = max(1, args.runs // 10)
    active_tenth = max(1, args.active_runs // 10)
    return {
        "on_step": percentiles(steps), "on_run_start": percentiles(starts), "on_run_end": percentiles(ends),
        "on_run_start_first_tenth": percentiles(starts[:tenth]),
        "on_run_start_last_tenth": percentiles(starts[-tenth:]),
        "on_run_start_active_first_tenth": percentiles(active[:active_tenth]),
        "on_run_start_active_last_tenth": percentiles(active[-active_tenth:]),
        "hooks_seconds": hooks_seconds, "flushed": flushed,
        "spans_produced": args.runs * (args.steps + 1) + args.active_runs,
    }


def one_run(sink, index: int, steps: int) -> None:
    rid = run_id(index)
    sink.on_run_start(rid, task=TASK, environment=ENVIRONMENT, params=PARAMS)
    cumulative = 0.0
    for number in range(1, max(1, steps) + 1):
        event = step(number)
        cumulative += event["reward"]
        sink.on_step(rid, event=event, cumulative_reward=cumulative)
    sink.on_run_end(rid, result=result(steps), run_path=Path(f"runs/{rid}.jsonl"))


def burst(args: argparse.Namespace, sink) -> dict:
    began = time.monotonic_ns()
    for run in range(args.runs):
        one_run(sink, run, args.steps)
    produced = time.monotonic_ns()
    flushed = shutdown()
    done = time.monotonic_ns()
    return {"spans_produced": args.runs * (args.steps + 1), "burst_seconds": (produced - began) / 1e9,
            "drain_seconds": (done - produced) / 1e9, "flushed": flushed}


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU time of the whole process (every thread: the exporter's too)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def sustained(args: argparse.Namespace, sink) -> dict:
    queue = span_queue()
    limit = (args.queue or 65536) // 2
    cpu_before = cpu_seconds()
    began = time.monotonic_ns()
    deadline = began + int(args.seconds * 1e9)
    run = 0
    pauses = 0
    while time.monotonic_ns() < deadline:
        one_run(sink, run, args.steps)
        run += 1
        while queue is not None and len(queue) > limit and time.monotonic_ns() < deadline:
            pauses += 1
            time.sleep(0.00005)
    produced = time.monotonic_ns()
    flushed = shutdown()
    done = time.monotonic_ns()
    cpu_after = cpu_seconds()
    return {"spans_produced": run * (args.steps + 1), "window_seconds": (done - began) / 1e9,
            "produce_seconds": (produced - began) / 1e9, "backpressure_pauses": pauses,
            "backpressure": queue is not None,
            # The whole window (producing and the flush at shutdown), every thread of the process.
            "cpu_user_seconds": cpu_after[0] - cpu_before[0], "cpu_system_seconds": cpu_after[1] - cpu_before[1],
            "flushed": flushed}


def exporter_classes() -> list[str]:
    """The span exporters the sink really installed (module.class), to check the substitution."""
    from opentelemetry import trace

    try:
        processors = trace.get_tracer_provider()._active_span_processor._span_processors
        return [f"{type(p._batch_processor._exporter).__module__}.{type(p._batch_processor._exporter).__name__}"
                for p in processors]
    except AttributeError:
        return []


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=("hooks", "burst", "sustained"))
    p.add_argument("--endpoint", required=True, help="base endpoint, e.g. http://127.0.0.1:4317 (or :4318)")
    p.add_argument("--protocol", choices=("grpc", "http/protobuf"), default="grpc")
    p.add_argument("--no-metrics", dest="metrics", action="store_false")
    p.add_argument("--runs", type=int)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--active-runs", type=int, default=2000)
    p.add_argument("--queue", type=int)
    p.add_argument("--batch", type=int)
    p.add_argument("--seconds", type=float, default=3.0)
    args = p.parse_args(argv)
    if args.runs is None:
        args.runs = 205 if args.scenario == "burst" else 1000
    if args.scenario == "sustained" and args.queue is None:
        args.queue = 65536
    warnings = DropWarnings()
    logging.getLogger("opentelemetry").addHandler(warnings)
    sink = make_sink(args)
    fields = {"hooks": hooks, "burst": burst, "sustained": sustained}[args.scenario](args, sink)
    report = {"implementation": "python", "scenario": args.scenario, "metrics": args.metrics, "exporter": "otlp",
              "protocol": args.protocol, "runs": args.runs, "steps": args.steps, "queue": args.queue}
    report.update(fields)
    report["exporter_classes"] = exporter_classes()
    report["grpc_loaded"] = "grpc" in sys.modules
    report["queue_full_warnings"] = warnings.count
    report["peak_rss_kb"] = vm_hwm_kb()
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
