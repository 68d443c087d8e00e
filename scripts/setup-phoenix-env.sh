#!/usr/bin/env bash
# Creates <repo>/.venv-phoenix with the pinned Arize Phoenix of Tests/Phoenix/requirements.txt (the
# real Phoenix scripts/test-phoenix.sh exports to) and prints its interpreter; see
# scripts/setup-venv.sh. A clean install takes ~2 minutes on 2 cores and fills ~850 MB.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/setup-venv.sh" .venv-phoenix Tests/Phoenix/requirements.txt \
  'import phoenix.server.main, grpc, opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc'
