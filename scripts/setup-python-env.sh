#!/usr/bin/env bash
# Creates <repo>/.venv with the pinned packages of Tests/requirements.txt (the test receiver's
# independent OTLP decoder, and the Python SDK's sampler) and prints its interpreter; see scripts/setup-venv.sh.
# Then:  swift test   (TestSupport finds <repo>/.venv/bin/python by itself)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/setup-venv.sh" .venv Tests/requirements.txt \
  'import grpc, google.protobuf, opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc, opentelemetry.sdk.trace.sampling'
