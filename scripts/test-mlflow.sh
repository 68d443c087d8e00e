#!/usr/bin/env bash
# MLflow shows a recursive RLM run sent over OTLP/HTTP: a real MLflow tracking server (PyPI
# mlflow-skinny with its server packages, in .venv-mlflow; SQLite in a temp dir) on 127.0.0.1
# receives a recording of the real rlm-code runtime from rlm-otel-replay with
# OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf and the x-mlflow-experiment-id header; its REST API
# (/api/3.0/mlflow/traces/search and /get) must return one trace with the tree intact. MLflow has no
# metrics endpoint (404): the replay must still exit 0. Skipped, saying so, only when MLflow cannot
# be installed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if ! python="$(scripts/setup-mlflow-env.sh)"; then
  echo "mlflow: SKIPPED: MLflow could not be installed from PyPI (scripts/setup-mlflow-env.sh failed above)" >&2
  exit 0
fi
swift build --product rlm-otel-replay 2>&1 | tail -n 1 >&2
replay="$(swift build --show-bin-path)/rlm-otel-replay"
fixtures=Tests/ObservabilitySinksTests/Fixtures/rlm-code
source scripts/lib/backend-server.sh
backend_start mlflow 180 "$python" Tests/MLflow/mlflow_server.py
port="$(backend_port http)"

for name in recursive_sequential recursive_concurrent; do
  experiment="$("$python" Tests/MLflow/create_experiment.py --http-port "$port" --name "rlm-$name")"
  # The shared endpoint is a base: v1/traces and v1/metrics are appended; MLflow answers 404 for
  # metrics, which is a trace-only backend, not a failure.
  env -i PATH="$PATH" DSPY_RLM_OTEL_ENABLED=true OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" \
    OTEL_EXPORTER_OTLP_HEADERS="x-mlflow-experiment-id=$experiment" OTEL_EXPORTER_OTLP_COMPRESSION=gzip \
    "$replay" "$fixtures/$name/script.json" --sleep-scale 0
  "$python" Tests/MLflow/mlflow_traces.py --http-port "$port" --experiment-id "$experiment" \
    --expect-spans 14 --timeout 60 >"$work/$name.json"
  "$python" Tests/MLflow/check_rlm_trace.py 4 14 <"$work/$name.json"
done
