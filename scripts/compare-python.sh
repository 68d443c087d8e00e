#!/usr/bin/env bash
# Measures the benchmark issue's figures for our Swift OpenTelemetrySink and for the Python reference
# (rlm-code 0.1.13's OpenTelemetrySink) with the same workload, against the same counting receiver,
# in one run, and prints one table (both, and the ratio). Works from a fresh clone; ~5–8 minutes on
# 2 cores. Raw results: Benchmarks/results/<scenario>-<impl>.json, the table: Benchmarks/results/table.md.
#
# Usage: scripts/compare-python.sh [--skip-build-timing] [--repeat N]
#   --skip-build-timing  do not time a clean release build of the library (saves ~30–60 s)
#   --repeat N           burst repetitions per implementation (default 3; the table shows the median)
# Environment: PYTHON (base interpreter, default python3).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
results="$repo/Benchmarks/results"
build_timing=1
repeat=3
while (($#)); do
  case "$1" in
    --skip-build-timing) build_timing=0 ;;
    --repeat)
      repeat="${2:?--repeat needs a number}"
      shift
      ;;
    *)
      echo "usage: $0 [--skip-build-timing] [--repeat N]" >&2
      exit 2
      ;;
  esac
  shift
done
[[ "$repeat" =~ ^[1-9][0-9]?$ ]] || { echo "--repeat must be 1..99" >&2; exit 2; }
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*" >&2; }

step "system packages (libgrpc-dev, libprotobuf-c-dev) and the receiver's venv (.venv)"
if [[ -x scripts/install-system-deps.sh ]]; then scripts/install-system-deps.sh >&2; fi
receiver_python="$(scripts/setup-python-env.sh)"

step "the reference's venv (.venv-compare: rlm-code 0.1.13 + OpenTelemetry SDK + OTLP/gRPC exporter)"
compare_venv="$repo/.venv-compare"
requirements="$repo/Benchmarks/python/requirements.txt"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -f "$compare_venv/.requirements.sha256" || "$(cat "$compare_venv/.requirements.sha256")" != "$want" ]] \
  || ! "$compare_venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$compare_venv"
  "${PYTHON:-python3}" -m venv "$compare_venv"
  "$compare_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  "$compare_venv/bin/python" -c 'from rlm_code.rlm.observability_sinks import OpenTelemetrySink; import opentelemetry.sdk, opentelemetry.exporter.otlp.proto.grpc' >&2
  echo "$want" >"$compare_venv/.requirements.sha256"
fi
reference_python="$compare_venv/bin/python"

if ((build_timing)); then
  step "clean release build of the library (fresh scratch path .build-release-timing)"
  rm -rf .build-release-timing
  t0=$(date +%s.%N)
  swift package --scratch-path .build-release-timing resolve >&2
  t1=$(date +%s.%N)
  swift build -c release --scratch-path .build-release-timing --product ObservabilitySinks >&2
  t2=$(date +%s.%N)
  python3 -c "import json,sys; print(json.dumps({'resolve_seconds': $t1 - $t0, 'build_seconds': $t2 - $t1}))" \
    >"$results/build-timing.json"
  rm -rf .build-release-timing
fi

step "the Swift workload (release)"
swift build -c release --package-path Benchmarks --product SinkWorkload >&2
workload="$(swift build -c release --package-path Benchmarks --show-bin-path)/SinkWorkload"

receiver_pid=""
receiver_port=""
receiver_log=""
start_receiver() { # $1: log file
  receiver_log="$1"
  "$receiver_python" "$repo/Tests/Receiver/otlp_receiver.py" --count-only >"$receiver_log" 2>"$receiver_log.err" &
  receiver_pid=$!
  local tries=0
  until grep -q '^READY ' "$receiver_log" 2>/dev/null; do
    tries=$((tries + 1))
    if ((tries > 200)) || ! kill -0 "$receiver_pid" 2>/dev/null; then
      echo "receiver did not start:" >&2
      cat "$receiver_log.err" >&2
      exit 1
    fi
    sleep 0.05
  done
  receiver_port="$(awk '/^READY /{print $2; exit}' "$receiver_log")"
}
stop_receiver() { # writes the receiver's STATS json to $1
  kill -TERM "$receiver_pid"
  wait "$receiver_pid" || true
  sed -n 's/^STATS //p' "$receiver_log" >"$1"
  receiver_pid=""
}
cleanup() { if [[ -n "$receiver_pid" ]]; then kill -TERM "$receiver_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

run_case() { # $1 name, $2 impl (swift|python), rest: workload arguments
  local name="$1" impl="$2"
  shift 2
  start_receiver "$results/$name-$impl.receiver.log"
  local endpoint="http://127.0.0.1:$receiver_port"
  echo "  $name ($impl): $*" >&2
  if [[ "$impl" == swift ]]; then
    "$workload" "$@" --endpoint "$endpoint" >"$results/$name-$impl.json"
  else
    "$reference_python" "$repo/Benchmarks/python/workload.py" "$@" --endpoint "$endpoint" \
      >"$results/$name-$impl.json" 2>"$results/$name-$impl.stderr"
  fi
  stop_receiver "$results/$name-$impl.receiver.json"
}

step "receiver capacity (count-only receiver, a Python client re-sending one 4096-span request)"
start_receiver "$results/capacity.receiver.log"
"$receiver_python" "$repo/Tests/Receiver/send_sample.py" --port "$receiver_port" --spans 4096 --repeat 150 \
  >"$results/capacity.client.log"
stop_receiver "$results/capacity.receiver.json"

step "workloads (one process and one fresh receiver per case)"
for impl in swift python; do
  run_case hooks "$impl" hooks --runs 1000 --steps 50 --active-runs 2000
  for ((i = 1; i <= repeat; i++)); do
    run_case "burst-default-$i" "$impl" burst --runs 205 --steps 50
  done
  run_case burst-sized "$impl" burst --runs 205 --steps 50 --queue 10455
  run_case sustained "$impl" sustained --seconds 3 --steps 50 --queue 65536
done

step "table"
python3 "$repo/Benchmarks/python/summarize.py" "$results" --repeat "$repeat" | tee "$results/table.md"
