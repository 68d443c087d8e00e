#!/usr/bin/env bash
# Arize Phoenix shows the RLM-native traces: a real Phoenix (PyPI arize-phoenix, in .venv-phoenix,
# `phoenix serve` on 127.0.0.1 with SQLite in a temp dir) receives, over OTLP/gRPC and OTLP/HTTP, recordings of the
# real rlm-code runtime replayed by rlm-otel-replay with DSPY_RLM_OTEL_CONVENTIONS=openinference,
# and its REST and GraphQL APIs must return each recursive run as one trace: AGENT runs, CHAIN
# steps, children under the step that started them, LLM spans with token counts that Phoenix rolls
# up to the root. Exits 0 when every check passed.
#
# Usage: scripts/test-phoenix.sh          (builds rlm-otel-replay; first run installs Phoenix, ~2 min)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if ! python="$(scripts/setup-phoenix-env.sh)"; then
  echo "phoenix: SKIPPED: Arize Phoenix could not be installed from PyPI (scripts/setup-phoenix-env.sh failed above)" >&2
  exit 0
fi
swift build --product rlm-otel-replay 2>&1 | tail -n 1 >&2
replay="$(swift build --show-bin-path)/rlm-otel-replay"
fixtures=Tests/ObservabilitySinksTests/Fixtures/rlm-code
source scripts/lib/backend-server.sh
backend_start phoenix 150 "$python" Tests/Phoenix/phoenix_server.py --startup-timeout 120
http_port="$(backend_port http)"
grpc_port="$(backend_port grpc)"

# One project per recording (resource attribute openinference.project.name), so each is read alone.
send() {
  local project=$1
  shift
  env -i PATH="$PATH" DSPY_RLM_OTEL_ENABLED=true OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$grpc_port" \
    OTEL_METRICS_EXPORTER=none DSPY_RLM_OTEL_CONVENTIONS=openinference \
    OTEL_RESOURCE_ATTRIBUTES="openinference.project.name=$project" "$replay" "$@"
}
check() {
  local project=$1 spans=$2
  shift 2
  "$python" Tests/Phoenix/phoenix_spans.py --http-port "$http_port" --project "$project" \
    --expect-spans "$spans" --timeout 60 --cumulative >"$work/$project.json"
  "$python" Tests/Phoenix/check_rlm_trace.py "$@" <"$work/$project.json"
}

send rlm-sequential "$fixtures/recursive_sequential/script.json" --sleep-scale 0
send rlm-concurrent "$fixtures/recursive_concurrent/script.json" --sleep-scale 0
send rlm-trajectory --trajectory "$fixtures/trajectory/recursive.jsonl"
# OTLP/HTTP on Phoenix's HTTP port: POST /v1/traces (exactly application/x-protobuf); /v1/metrics
# answers 405, a trace-only backend, so the replay still exits 0.
env -i PATH="$PATH" DSPY_RLM_OTEL_ENABLED=true OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$http_port" OTEL_EXPORTER_OTLP_COMPRESSION=gzip \
  DSPY_RLM_OTEL_CONVENTIONS=openinference OTEL_RESOURCE_ATTRIBUTES="openinference.project.name=rlm-http" \
  "$replay" "$fixtures/recursive_sequential/script.json" --sleep-scale 0
# Span counts: runs + steps (+ model calls), as the sink exported them.
check rlm-sequential 14 4
check rlm-concurrent 14 4
check rlm-http 14 4
trajectory_spans=$(grep -cE '"event_type": "(run_start|iteration_end|llm_response|sub_llm_response)"' \
  "$fixtures/trajectory/recursive.jsonl")
check rlm-trajectory "$trajectory_spans" 4 --model-calls
