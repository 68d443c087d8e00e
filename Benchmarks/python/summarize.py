#!/usr/bin/env python3
"""Reads the JSON results of scripts/compare-python.sh and prints the comparison table (Markdown).

Standard library only. Spans lost for the Python reference come from the receiver (it has no counter):
produced − received. For Swift they come from status() and are checked against the receiver.
Sustained export is reported per transport (OTLP/gRPC, OTLP/HTTP) in a second table, from the run
with the median spans/s of the repetitions (all runs' rates shown).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys


def load(directory: str, name: str) -> dict | None:
    path = os.path.join(directory, name)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path, encoding="utf-8") as f:
        return json.loads(f.read().strip().splitlines()[-1])


def us(value: float) -> str:
    return f"{value:.2f} µs" if value < 10 else f"{value:.1f} µs" if value < 100 else f"{value:.0f} µs"


def ratio(python: float | None, swift: float | None, higher_is_better: bool = False) -> str:
    if python is None or swift is None:
        return "—"
    if higher_is_better:
        python, swift = swift, python
    if swift == 0:
        return "∞" if python else "="
    value = python / swift
    return f"{value:,.1f}×" if value >= 1 else f"{value:.2g}×"


def print_transports(sustained: dict[tuple[str, str], dict], transports: list[str], label: dict[str, str]) -> None:
    """The sustained-export table: each implementation over each transport, same workload and receiver."""
    names = {"swift": "Swift (ObservabilitySinks)", "python": "Python reference (rlm-code 0.1.13)"}
    n = max(len(entry["runs"]) for entry in sustained.values())
    print(f"\nSustained export by transport (3 s of 50-step runs, queue 65,536, producer paused while half of it is "
          f"pending, then a flush; one process and one fresh count-only receiver per run; "
          f"{'the run with the median spans/s of ' + str(n) + ', all rates in brackets' if n > 1 else 'one run'}):\n")
    print("| implementation | transport | spans/s delivered | delivered / produced | lost (how counted) | "
          "CPU, whole process (user + sys) | CPU per span | peak RSS | requests (wire bytes/span) | receiver CPU |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for impl in ("swift", "python"):
        for transport in sorted(transports, key=lambda t: t != "http"):
            entry = sustained.get((impl, transport))
            if not entry:
                continue
            run = entry["median"]
            report, received = run["report"], run["received"]
            rates = ", ".join(f"{r['rate']:,.0f}" for r in entry["runs"])
            rate = f"{run['rate']:,.0f}/s" + (f" ({rates})" if len(entry["runs"]) > 1 else "")
            delivered = f"{received['spans']:,} / {report['spans_produced']:,}"
            if impl == "swift":
                status = report["status"]
                counted = status["spans_dropped"] + status["spans_failed"]
                how = (f"status(): {status['spans_dropped']:,} dropped, {status['spans_failed']:,} failed, "
                       f"{status['export_failures']:,} export failures")
                lost = f"{run['lost']:,}; {how}" + ("" if counted == run["lost"] else " (**disagrees**)")
            else:
                lost = f"{run['lost']:,}; queue-full warnings: {report.get('queue_full_warnings', 0)}"
            cpu = report.get("cpu_user_seconds", 0) + report.get("cpu_system_seconds", 0)
            cpu_text = (f"{cpu:.2f} s ({report.get('cpu_user_seconds', 0):.2f} + "
                        f"{report.get('cpu_system_seconds', 0):.2f}) in {report['window_seconds']:.2f} s")
            per_span = us(cpu / received["spans"] * 1e6) if received["spans"] else "—"
            rss = f"{report['peak_rss_kb'] / 1024:.1f} MiB"
            per = received["bytes"] / received["spans"] if received["spans"] else 0
            requests = f"{received['calls']:,} ({per:,.0f} B)"
            receiver_cpu = received.get("cpu_seconds")
            receiver_text = f"{receiver_cpu:.2f} s" if isinstance(receiver_cpu, (int, float)) else "—"
            print(f"| {names[impl]} | {label[transport]} | {rate} | {delivered} | {lost} | {cpu_text} | {per_span} | "
                  f"{rss} | {requests} | {receiver_text} |")
    for impl in ("swift", "python"):
        grpc, http = sustained.get((impl, "grpc")), sustained.get((impl, "http"))
        if grpc and http and grpc["median"]["rate"]:
            print(f"\n{names[impl]}: OTLP/HTTP ÷ OTLP/gRPC spans/s = "
                  f"{http['median']['rate'] / grpc['median']['rate']:.2f}.")
    python_http = sustained.get(("python", "http"))
    if python_http:
        classes = python_http["median"]["report"].get("exporter_classes", [])
        grpc_loaded = python_http["median"]["report"].get("grpc_loaded")
        print(f"\nReference over OTLP/HTTP: span exporter installed {', '.join(classes) or '?'}; "
              f"grpcio imported: {grpc_loaded}. rlm-code 0.1.13 hard-codes the gRPC exporter and ignores "
              f"OTEL_EXPORTER_OTLP_PROTOCOL, so workload.py puts the SDK's HTTP exporter under the module name the "
              f"sink imports it from; the sink's own setup code is unchanged.")
    print("\nCPU is the workload process's (every thread: producing and exporting) over the whole window; the "
          "receiver's CPU covers its whole life (start-up included)."
          + (" Ours over OTLP/HTTP: OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, the same base endpoint form "
             "(the sink appends v1/traces, v1/metrics)." if "http" in transports else ""))


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--transports", nargs="+", choices=("grpc", "http"), default=["grpc"])
    args = p.parse_args(argv)
    d = args.results
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(figure: str, python: str, swift: str, r: str, target: str, met: bool | None) -> None:
        rows.append((figure, python, swift, r, target, "—" if met is None else ("yes" if met else "**NO**")))

    hooks = {impl: load(d, f"hooks-{impl}.json") for impl in ("swift", "python")}
    sw, py = hooks["swift"], hooks["python"]
    if sw and py:
        row("`onStep` p50 (metrics on, OTLP exporting)", us(py["on_step"]["p50_us"]), us(sw["on_step"]["p50_us"]),
            ratio(py["on_step"]["p50_us"], sw["on_step"]["p50_us"]), "≤ 0.5 µs", sw["on_step"]["p50_us"] <= 0.5)
        row("`onStep` p99", us(py["on_step"]["p99_us"]), us(sw["on_step"]["p99_us"]),
            ratio(py["on_step"]["p99_us"], sw["on_step"]["p99_us"]), "≤ 3 µs", sw["on_step"]["p99_us"] <= 3)
        row("`onStep` p99.9", us(py["on_step"]["p999_us"]), us(sw["on_step"]["p999_us"]),
            ratio(py["on_step"]["p999_us"], sw["on_step"]["p999_us"]), "—", None)
        row("`onRunStart` p50", us(py["on_run_start"]["p50_us"]), us(sw["on_run_start"]["p50_us"]),
            ratio(py["on_run_start"]["p50_us"], sw["on_run_start"]["p50_us"]), "≤ 1 µs",
            sw["on_run_start"]["p50_us"] <= 1)

        def flat(report: dict, prefix: str) -> str:
            first, last = report[f"{prefix}first_tenth"]["p50_us"], report[f"{prefix}last_tenth"]["p50_us"]
            return f"{us(first)} → {us(last)}"

        def is_flat(report: dict, prefix: str) -> bool:
            first, last = report[f"{prefix}first_tenth"]["p50_us"], report[f"{prefix}last_tenth"]["p50_us"]
            return last <= max(1.25 * first, first + 0.1)

        row("`onRunStart` p50, runs 1–100 → 901–1000 (each ended)", flat(py, "on_run_start_"),
            flat(sw, "on_run_start_"), "—", "flat", is_flat(sw, "on_run_start_"))
        row("`onRunStart` p50, 0–200 → 1800–2000 runs still active", flat(py, "on_run_start_active_"),
            flat(sw, "on_run_start_active_"), "—", "flat", is_flat(sw, "on_run_start_active_"))
        row("`onRunEnd` p50 / p99", f"{us(py['on_run_end']['p50_us'])} / {us(py['on_run_end']['p99_us'])}",
            f"{us(sw['on_run_end']['p50_us'])} / {us(sw['on_run_end']['p99_us'])}",
            ratio(py["on_run_end"]["p50_us"], sw["on_run_end"]["p50_us"]), "—", None)

    def lost(name: str, impl: str) -> tuple[int, dict, dict] | None:
        report = load(d, f"{name}-{impl}.json")
        received = load(d, f"{name}-{impl}.receiver.json")
        if report is None or received is None:
            return None
        return report["spans_produced"] - received["spans"], report, received

    bursts: dict[str, list[tuple[int, dict, dict]]] = {}
    for impl in ("swift", "python"):
        bursts[impl] = [r for i in range(1, args.repeat + 1) if (r := lost(f"burst-default-{i}", impl))]
    if bursts["swift"] and bursts["python"]:
        def describe(items: list[tuple[int, dict, dict]], impl: str) -> str:
            values = sorted(item[0] for item in items)
            median = statistics.median_low(values)
            spread = f" (runs: {', '.join(f'{v:,}' for v in values)})" if len(values) > 1 else ""
            if impl == "swift":
                counted = all(item[1]["status"]["spans_dropped"] + item[1]["status"]["spans_failed"] == item[0]
                              for item in items)
                how = "all counted in status()" if counted else "**status() disagrees with the receiver**"
            else:
                warnings = sorted(item[1].get("queue_full_warnings", 0) for item in items)
                how = f"queue-full log warnings: {', '.join(map(str, warnings))}"
            return f"{median:,} of 10,455{spread}; {how}"

        sw_lost = statistics.median_low(sorted(i[0] for i in bursts["swift"]))
        py_lost = statistics.median_low(sorted(i[0] for i in bursts["python"]))
        row("spans lost, 205×50 burst, default settings (median)", describe(bursts["python"], "python"),
            describe(bursts["swift"], "swift"), ratio(py_lost, sw_lost), "< reference (1,330), all counted",
            sw_lost < 1330 and sw_lost <= py_lost)
        sw_burst = statistics.median_low(sorted(i[1]["burst_seconds"] for i in bursts["swift"]))
        py_burst = statistics.median_low(sorted(i[1]["burst_seconds"] for i in bursts["python"]))
        row("burst duration (producing 10,455 spans)", f"{py_burst * 1000:,.1f} ms", f"{sw_burst * 1000:,.1f} ms",
            ratio(py_burst, sw_burst), "—", None)
        sw_rss = statistics.median_low(sorted(i[1]["peak_rss_kb"] for i in bursts["swift"])) / 1024
        py_rss = statistics.median_low(sorted(i[1]["peak_rss_kb"] for i in bursts["python"])) / 1024
        row("peak RSS during the burst (VmHWM)", f"{py_rss:.1f} MiB", f"{sw_rss:.1f} MiB", ratio(py_rss, sw_rss),
            "≤ 30 MB", sw_rss * 1.048576 <= 30)
    sized = {impl: lost("burst-sized", impl) for impl in ("swift", "python")}
    if sized["swift"] and sized["python"]:
        row("spans lost, same burst, queue 10,455", f"{sized['python'][0]:,}", f"{sized['swift'][0]:,}", "—", "0",
            sized["swift"][0] == 0)
        rss_sw = sized["swift"][1]["peak_rss_kb"] / 1024
        rss_py = sized["python"][1]["peak_rss_kb"] / 1024
        row("peak RSS, burst with queue 10,455", f"{rss_py:.1f} MiB", f"{rss_sw:.1f} MiB", ratio(rss_py, rss_sw),
            "≤ 30 MB", rss_sw * 1.048576 <= 30)

    # Sustained export, per (implementation, transport): every repetition's rate, and the run with
    # the median rate (the row's other figures come from that same run).
    label = {"grpc": "OTLP/gRPC", "http": "OTLP/HTTP"}
    sustained: dict[tuple[str, str], dict] = {}
    for transport in args.transports:
        for impl in ("swift", "python"):
            runs = []
            for i in range(1, args.repeat + 1):
                report = load(d, f"sustained-{transport}-{i}-{impl}.json")
                received = load(d, f"sustained-{transport}-{i}-{impl}.receiver.json")
                if report and received:
                    runs.append({"report": report, "received": received,
                                 "rate": received["spans"] / report["window_seconds"],
                                 "lost": report["spans_produced"] - received["spans"]})
            if runs:
                by_rate = sorted(runs, key=lambda run: run["rate"])
                sustained[(impl, transport)] = {"median": by_rate[(len(by_rate) - 1) // 2], "runs": runs}
    for transport in args.transports:
        py_s, sw_s = sustained.get(("python", transport)), sustained.get(("swift", transport))
        if py_s and sw_s:
            n = len(sw_s["runs"])
            (py_rate, py_lost), (sw_rate, sw_lost) = ((x["median"]["rate"], x["median"]["lost"]) for x in (py_s, sw_s))
            suffix = f", median of {n}" if n > 1 else ""
            if transport == "grpc":
                row(f"sustained export to the counting receiver (spans/s, 3 s{suffix})",
                    f"{py_rate:,.0f}/s, {py_lost:,} lost", f"{sw_rate:,.0f}/s, {sw_lost:,} lost",
                    ratio(py_rate, sw_rate, higher_is_better=True), "≥ 400,000/s, 0 lost",
                    sw_rate >= 400_000 and sw_lost == 0)
            else:
                row(f"sustained export over OTLP/HTTP (spans/s, 3 s{suffix}; reference: the SDK's HTTP exporter)",
                    f"{py_rate:,.0f}/s, {py_lost:,} lost", f"{sw_rate:,.0f}/s, {sw_lost:,} lost",
                    ratio(py_rate, sw_rate, higher_is_better=True), "—", None)

    build = load(d, "build-timing.json")
    if build:
        row("clean release build of the library", "—",
            f"{build['build_seconds']:.1f} s (+ {build['resolve_seconds']:.1f} s resolving)", "—", "≤ 60 s",
            build["build_seconds"] <= 60)

    capacity = load(d, "capacity.receiver.json")
    print("| figure | Python reference (rlm-code 0.1.13) | Swift (ObservabilitySinks) | ratio (Python ÷ Swift; "
          "throughput Swift ÷ Python) | target | met |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if sustained:
        print_transports(sustained, args.transports, label)
    capacity_http = load(d, "capacity-http.receiver.json")
    for name, report in (("OTLP/gRPC", capacity), ("OTLP/HTTP, one keep-alive connection", capacity_http)):
        if report:
            spans_per_s = report["spans"] / report["elapsed_s"] if report.get("elapsed_s") else 0
            print(f"\nReceiver capacity over {name} (count-only, one Python client re-sending one 4096-span "
                  f"request, a lower bound): {spans_per_s:,.0f} spans/s ({report['spans']:,} spans in "
                  f"{report['elapsed_s']:.2f} s).")
    if sw:
        print(f"\nTimer overhead (two clock_gettime calls, included in every per-call figure): "
              f"{sw['timer_overhead_ns']:.0f} ns (Swift).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
