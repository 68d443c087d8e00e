#!/usr/bin/env bash
# Creates <repo>/.venv-mlflow with the pinned MLflow tracking server of Tests/MLflow/requirements.txt
# (the real MLflow server the MLflow integration test exports to over OTLP/HTTP). Idempotent: when the
# venv exists and was built from the current requirements file (same checksum in the stamp file) it
# does nothing but print the interpreter.
#
# Usage: scripts/setup-mlflow-env.sh         (PYTHON=/path/to/python3 to pick the base interpreter)
# Then:  Tests/MLflow/selftest.sh             (or Tests/MLflow/mlflow_server.py with that python)
#
# A clean install (empty pip cache) takes ~2 minutes on 2 cores and fills ~355 MB (68 packages,
# all wheels on CPython 3.11 / linux x86_64); later runs with an unchanged requirements file return
# at once.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv-mlflow"
requirements="$repo/Tests/MLflow/requirements.txt"
stamp="$venv/.requirements.sha256"
base_python="${PYTHON:-python3}"

want="$(sha256sum "$requirements" | cut -d' ' -f1)"

# Fast path: the stamp matches and the interpreter still runs (a moved/deleted base interpreter
# leaves a venv whose bin/python is a dangling link).
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && "$venv/bin/python" -c '' 2>/dev/null; then
  echo "$venv/bin/python"
  exit 0
fi

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
  if ! "$base_python" -m venv "$venv" 2>/dev/null; then
    # Debian ships venv/ensurepip separately; install it when we are allowed to.
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      echo "python3 -m venv failed; installing python3-venv" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
      rm -rf "$venv"
      "$base_python" -m venv "$venv"
    else
      echo "error: '$base_python -m venv' failed; install python3-venv (e.g. apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
# Prove the pieces the harness uses are really there before stamping: the server's ASGI app with
# its OTLP router (importing it pulls in the Flask REST app and the SQLAlchemy store too), and the
# OTLP/HTTP exporter Tests/MLflow/selftest.sh sends its trace with.
MLFLOW_DISABLE_TELEMETRY=true "$venv/bin/python" -W ignore -c '
import mlflow.server.fastapi_app, mlflow.server.otel_api, mlflow.store.tracking.sqlalchemy_store
import opentelemetry.exporter.otlp.proto.http.trace_exporter' >&2
echo "$want" >"$stamp"
echo "$venv/bin/python"
