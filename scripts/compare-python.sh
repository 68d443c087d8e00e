#!/usr/bin/env bash
# Measures the benchmark issue's figures for our Swift OpenTelemetrySink and for the Python reference
# (rlm-code 0.1.13's OpenTelemetrySink) with the same workload, against the same counting receiver,
# in one run, and prints one table (both, and the ratio). Sustained export is measured over both
# transports, OTLP/gRPC and OTLP/HTTP (binary protobuf), against the same receiver (it serves both):
# ours chosen with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, the reference's with the SDK's
# OTLP/HTTP exporter put in place of the gRPC one it hard-codes (Benchmarks/python/workload.py
# says how). Works from a fresh clone; ~5–8 minutes on 2 cores. Raw results:
# Benchmarks/results/<scenario>-<impl>.json, the table: Benchmarks/results/table.md.
#
# Usage: scripts/compare-python.sh [--skip-build-timing] [--repeat N] [--no-http]
#   --skip-build-timing  do not time a clean release build of the library (saves ~30–60 s)
#   --repeat N           burst and sustained repetitions per implementation (and transport) (default
#                        3; the table shows the median)
#   --no-http            sustained export over OTLP/gRPC only
# Environment: PYTHON (base interpreter, default python3).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
results="$repo/Benchmarks/results"
build_timing=1
repeat=3
transports=(grpc http)
while (($#)); do
  case "$1" in
    --skip-build-timing) build_timing=0 ;;
    --no-http) transports=(grpc) ;;
    --repeat)
      repeat="${2:?--repeat needs a number}"
      shift
      ;;
    *)
      echo "usage: $0 [--skip-build-timing] [--repeat N] [--no-http]" >&2
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

step "the reference's venv (.venv-compare: rlm-code 0.1.13 + OpenTelemetry SDK + OTLP/gRPC and OTLP/HTTP exporters)"
compare_venv="$repo/.venv-compare"
requirements="$repo/Benchmarks/python/requirements.txt"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -f "$compare_venv/.requirements.sha256" || "$(cat "$compare_venv/.requirements.sha256")" != "$want" ]] \
  || ! "$compare_venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$compare_venv"
  "${PYTHON:-python3}" -m venv "$compare_venv"
  "$compare_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  "$compare_venv/bin/python" -c 'from rlm_code.rlm.observability_sinks import OpenTelemetrySink
import opentelemetry.sdk
import opentelemetry.exporter.otlp.proto.grpc.trace_exporter, opentelemetry.exporter.otlp.proto.http.trace_exporter' >&2
  echo "$want" >"$compare_venv/.requirements.sha256"
fi
reference_python="$compare_venv/bin/python"

if ((build_timing)); then
  # The library and what it depends on, as a package that depends on it compiles them. Not
  # `--product ObservabilitySinks`: Swift 6.3 builds every target of the package for it (the replay
  # tool, the fuzzers, the DocC plugin's tools), which no user of the library compiles.
  step "clean release build of the library (fresh scratch path .build-release-timing)"
  rm -rf .build-release-timing
  t0=$(date +%s.%N)
  swift package --scratch-path .build-release-timing resolve >&2
  t1=$(date +%s.%N)
  swift build -c release --scratch-path .build-release-timing --target ObservabilitySinks >&2
  t2=$(date +%s.%N)
  python3 -c "import json,sys; print(json.dumps({'resolve_seconds': $t1 - $t0, 'build_seconds': $t2 - $t1}))" \
    >"$results/build-timing.json"
  rm -rf .build-release-timing
fi

step "the Swift workload (release)"
swift build -c release --package-path Benchmarks --product SinkWorkload >&2
workload="$(swift build -c release --package-path Benchmarks --show-bin-path)/SinkWorkload"

receiver_pid=""
receiver_port=""      # OTLP/gRPC
receiver_http_port="" # OTLP/HTTP (the same receiver, the same counting)
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
  # READY <grpc-port> http=<http-port>
  receiver_http_port="$(awk '/^READY /{for (i = 3; i <= NF; i++) if (sub(/^http=/, "", $i)) print $i; exit}' \
    "$receiver_log")"
  if [[ ! "$receiver_http_port" =~ ^[0-9]+$ ]]; then
    echo "the receiver announced no OTLP/HTTP port: $(head -1 "$receiver_log")" >&2
    exit 1
  fi
}
clock_ticks="$(getconf CLK_TCK)"
stop_receiver() { # writes the receiver's STATS json, plus the CPU time it used (cpu_seconds), to $1
  local cpu
  # utime + stime (fields 14 and 15 of /proc/PID/stat; the command name has no spaces here).
  cpu="$(awk -v hz="$clock_ticks" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$receiver_pid/stat" 2>/dev/null \
    || echo null)"
  kill -TERM "$receiver_pid"
  wait "$receiver_pid" || true
  sed -n 's/^STATS //p' "$receiver_log" | sed "s/}\$/, \"cpu_seconds\": ${cpu:-null}}/" >"$1"
  receiver_pid=""
}
cleanup() { if [[ -n "$receiver_pid" ]]; then kill -TERM "$receiver_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

run_case() { # $1 name, $2 impl (swift|python), $3 transport (grpc|http), rest: workload arguments
  local name="$1" impl="$2" transport="$3"
  shift 3
  start_receiver "$results/$name-$impl.receiver.log"
  # Both take the base endpoint; over OTLP/HTTP the exporters append v1/traces and v1/metrics.
  local endpoint="http://127.0.0.1:$receiver_port" protocol=grpc
  if [[ "$transport" == http ]]; then
    endpoint="http://127.0.0.1:$receiver_http_port"
    protocol=http/protobuf
  fi
  echo "  $name ($impl, $protocol): $*" >&2
  if [[ "$impl" == swift ]]; then
    "$workload" "$@" --endpoint "$endpoint" --protocol "$protocol" >"$results/$name-$impl.json"
  else
    "$reference_python" "$repo/Benchmarks/python/workload.py" "$@" --endpoint "$endpoint" --protocol "$protocol" \
      >"$results/$name-$impl.json" 2>"$results/$name-$impl.stderr"
  fi
  stop_receiver "$results/$name-$impl.receiver.json"
}

step "receiver capacity (count-only receiver, a Python client re-sending one 4096-span request)"
start_receiver "$results/capacity.receiver.log"
"$receiver_python" "$repo/Tests/Receiver/send_sample.py" --port "$receiver_port" --spans 4096 --repeat 150 \
  >"$results/capacity.client.log"
stop_receiver "$results/capacity.receiver.json"
if [[ " ${transports[*]} " == *" http "* ]]; then
  step "receiver capacity over OTLP/HTTP (the same request 150 times on one keep-alive connection)"
  start_receiver "$results/capacity-http.receiver.log"
  "$receiver_python" "$repo/Tests/Receiver/send_http.py" --port "$receiver_http_port" --spans 4096 --repeat 150 \
    >"$results/capacity-http.client.log"
  stop_receiver "$results/capacity-http.receiver.json"
fi

step "workloads (one process and one fresh receiver per case)"
for impl in swift python; do
  run_case hooks "$impl" grpc hooks --runs 1000 --steps 50 --active-runs 2000
  for ((i = 1; i <= repeat; i++)); do
    run_case "burst-default-$i" "$impl" grpc burst --runs 205 --steps 50
  done
  run_case burst-sized "$impl" grpc burst --runs 205 --steps 50 --queue 10455
done
# Sustained export: each repetition runs every (transport, implementation) pair once, interleaved,
# so that a change in the machine's load falls on all of them alike.
for ((i = 1; i <= repeat; i++)); do
  for transport in "${transports[@]}"; do
    for impl in swift python; do
      run_case "sustained-$transport-$i" "$impl" "$transport" sustained --seconds 3 --steps 50 --queue 65536
    done
  done
done

step "table"
python3 "$repo/Benchmarks/python/summarize.py" "$results" --repeat "$repeat" --transports "${transports[@]}" \
  | tee "$results/table.md"
