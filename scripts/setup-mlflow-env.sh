#!/usr/bin/env bash
# Creates <repo>/.venv-mlflow with the pinned MLflow tracking server of Tests/MLflow/requirements.txt
# (the real MLflow scripts/test-mlflow.sh exports to over OTLP/HTTP) and prints its interpreter; see
# scripts/setup-venv.sh. A clean install takes ~2 minutes on 2 cores and fills ~355 MB.
set -euo pipefail
# The check imports the server's ASGI app with its OTLP router (which pulls in the REST app and
# the SQLAlchemy store too).
MLFLOW_DISABLE_TELEMETRY=true exec "$(dirname "${BASH_SOURCE[0]}")/setup-venv.sh" .venv-mlflow \
  Tests/MLflow/requirements.txt \
  'import mlflow.server.fastapi_app, mlflow.server.otel_api, mlflow.store.tracking.sqlalchemy_store'
