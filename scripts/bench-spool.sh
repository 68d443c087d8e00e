#!/usr/bin/env bash
# The spool's benchmarks (issue 17), on and off side by side in one run, with the release
# SinkWorkload against the count-only OTLP receiver on loopback:
#   hooks      onRunStart / onStep / onRunEnd p50 and p99 (1,000 runs x 50 steps), in 9 rounds
#              of three sinks taken in turn: spool off at the default queue (which drops most of
#              this burst), spool off with a queue as large as the spool's hand-off (which keeps
#              it all, as the spool does), and spool on. Each sink runs the burst four times: the
#              first pass is a cold process's (its queue memory still to be faulted in), the last
#              a warm one's. Every figure is the median of the rounds, with their range: the noise.
#   paced      3,000 runs x 50 steps at a runtime's pace (20 µs spun after each call, ~50,000 spans/s),
#              where neither sink drops anything: spool off and on, 5 rounds
#   sustained  spans exported per second over 5 s, and the CPU it took
#   burst      205 runs x 50 steps at the default queue size: spans lost
#   recovery   1,000,000 spans left in a spool by a process whose collector was down, then the
#              time a new sink takes to send them all (spans/s)
# Prints one table; the JSON of every case stays in .build/bench-spool/. Not a test: figures go
# to docs/performance.md.
#
# Usage: scripts/bench-spool.sh [RECOVERY_SPANS]    (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
recovery_spans="${1:-1000000}"
rounds="${HOOK_ROUNDS:-9}"

scripts/install-system-deps.sh python3-venv
python="$(scripts/setup-python-env.sh)"
swift build -c release --package-path Benchmarks --product SinkWorkload >&2
workload="$(swift build -c release --package-path Benchmarks --show-bin-path)/SinkWorkload"
results=.build/bench-spool
rm -rf "$results"
mkdir -p "$results"
spool_root="$(mktemp -d)"
receiver_pid=""
cleanup() {
  if [[ -n "$receiver_pid" ]]; then kill -TERM "$receiver_pid" 2>/dev/null || true; fi
  rm -rf "$spool_root"
}
trap cleanup EXIT

start_receiver() {
  "$python" Tests/Receiver/otlp_receiver.py --count-only >"$results/receiver.log" 2>"$results/receiver.err" &
  receiver_pid=$!
  for _ in $(seq 200); do
    grep -q '^READY ' "$results/receiver.log" 2>/dev/null && break
    sleep 0.05
  done
  endpoint="http://127.0.0.1:$(awk '/^READY /{print $2; exit}' "$results/receiver.log")"
}
stop_receiver() {
  kill -TERM "$receiver_pid"
  wait "$receiver_pid" || true
  receiver_pid=""
}

run() { # name, then workload arguments
  local name="$1"
  shift
  echo "  $name: $*" >&2
  "$workload" "$@" >"$results/$name.json"
}

start_receiver
hooks=(hooks --endpoint "$endpoint" --runs 1000 --steps 50 --active-runs 200 --warm-up 3)
for round in $(seq "$rounds"); do
  run "hooks-off-$round" "${hooks[@]}"
  run "hooks-keep-$round" "${hooks[@]}" --queue 65536
  run "hooks-on-$round" "${hooks[@]}" --spool "$spool_root/hooks-$round"
  rm -rf "$spool_root/hooks-$round"
done
paced=(hooks --endpoint "$endpoint" --runs 3000 --steps 50 --active-runs 200 --warm-up 1 --pace-us 20)
for round in $(seq 5); do
  run "paced-off-$round" "${paced[@]}"
  run "paced-on-$round" "${paced[@]}" --spool "$spool_root/paced-$round"
  rm -rf "$spool_root/paced-$round"
done
for mode in off on; do
  spool=()
  run "sustained-$mode" sustained --endpoint "$endpoint" --seconds 5 --steps 50 "${spool[@]}"
  if [[ "$mode" == on ]]; then spool=(--spool "$spool_root/$mode-$RANDOM"); fi
  run "burst-$mode" burst --endpoint "$endpoint" --runs 205 --steps 50 "${spool[@]}"
done
# A collector that is down: what the first process records stays in the spool.
steps=99
runs=$(((recovery_spans + steps) / (steps + 1)))
run spoolgen spoolgen --endpoint "http://127.0.0.1:9" --runs "$runs" --steps "$steps" --spool "$spool_root/recovery"
du -sb "$spool_root/recovery" | awk '{print $1}' >"$results/recovery-bytes"
run recover recover --endpoint "$endpoint" --spool "$spool_root/recovery"
stop_receiver

"$python" - "$results" <<'PY'
import json, sys, pathlib
r = pathlib.Path(sys.argv[1])
j = lambda n: json.loads((r / f"{n}.json").read_text())
import statistics
modes = {"off": "spool off", "keep": "spool off, queue 65,536", "on": "spool on"}
rounds = {m: [json.loads(p.read_text()) for p in sorted(r.glob(f"hooks-{m}-*.json"))] for m in modes}
print(f"Hooks, µs: median of {len(rounds['on'])} rounds [min–max]")
print()
print("| hook | " + " | ".join(modes.values()) + " |")
print("|---|---|---|---|")
for prefix, label in (("", "warm"), ("cold_", "cold")):
    for hook in ("on_run_start", "on_step", "on_run_end"):
        for q in ("p50_us", "p99_us"):
            cells = []
            for m in modes:
                v = [x[prefix + hook][q] for x in rounds[m]]
                cells.append(f"{statistics.median(v):.3f} [{min(v):.2f}–{max(v):.2f}]")
            print(f"| {label} `{hook}` {q[:3]} | " + " | ".join(cells) + " |")
lost = {m: (statistics.median(x["status"]["spans_dropped"] for x in rounds[m]), rounds[m][0]["status"]["spans_recorded"]) for m in modes}
print("| spans dropped (both passes) | " + " | ".join(f"{d:,.0f} of {n:,}" for d, n in lost.values()) + " |")
print()
paced = {m: [json.loads(p.read_text()) for p in sorted(r.glob(f"paced-{m}-*.json"))] for m in ("off", "on")}
print(f"Hooks at a runtime's pace (20 µs between calls), µs: median of {len(paced['on'])} rounds [min–max]")
print()
print("| hook | spool off | spool on |")
print("|---|---|---|")
for hook in ("on_run_start", "on_step", "on_run_end"):
    for q in ("p50_us", "p99_us"):
        cells = []
        for m in ("off", "on"):
            v = [x[hook][q] for x in paced[m]]
            cells.append(f"{statistics.median(v):.3f} [{min(v):.2f}–{max(v):.2f}]")
        print(f"| `{hook}` {q[:3]} | " + " | ".join(cells) + " |")
dropped = {m: sum(x["status"]["spans_dropped"] for x in paced[m]) for m in ("off", "on")}
print(f"| spans dropped, all rounds | {dropped['off']:,} | {dropped['on']:,} |")
print()
print("| | spool off | spool on |")
print("|---|---|---|")
off, on = j("sustained-off"), j("sustained-on")
print(f"| sustained export (spans/s) | {off['spans_per_second']:,.0f} | {on['spans_per_second']:,.0f} "
      f"({on['spans_per_second'] / off['spans_per_second']:.0%}) |")
print(f"| sustained CPU, user + system (s) | {off['cpu_user_seconds'] + off['cpu_system_seconds']:.2f} | "
      f"{on['cpu_user_seconds'] + on['cpu_system_seconds']:.2f} |")
off, on = j("burst-off"), j("burst-on")
print(f"| burst 205 x 50 at the default queue: lost | {off['spans_lost']:,} of {off['spans_produced']:,} | "
      f"{on['spans_lost']:,} of {on['spans_produced']:,} |")
gen, rec = j("spoolgen"), j("recover")
size = int((r / "recovery-bytes").read_text())
print(f"| spool written by a process whose collector is down: {gen['status']['spool_spans']:,} spans, "
      f"{size / 2**20:.0f} MiB, in {gen['write_seconds']:.1f} s (dropped {gen['status']['spans_dropped']:,}) | | |")
print(f"| recovery by the next process: {rec['spans_recovered']:,} spans sent | | "
      f"{rec['recover_seconds']:.1f} s, {rec['spans_per_second']:,.0f} spans/s |")
PY
