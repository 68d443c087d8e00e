#!/usr/bin/env bash
# The main job: a scripted recursive RLM run (a child run, sub-LM calls, token usage) traced end to end.
# Without OTEL_EXPORTER_OTLP_ENDPOINT it prints the trace tree and the metrics in the terminal;
# with it (e.g. http://localhost:4317) it exports over OTLP/gRPC to Jaeger, Tempo, Phoenix or a Collector.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh
swift build --product ScriptedRun >&2
exec .build/debug/ScriptedRun "$@"
