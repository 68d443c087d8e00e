#!/usr/bin/env bash
# End-to-end proof of the Phoenix harness: starts a real Phoenix (phoenix_server.py), sends one
# 3-span OpenInference trace to its OTLP/gRPC port (AGENT -> CHAIN -> LLM, with model name, int
# token counts and session.id), reads it back through the REST API (phoenix_spans.py) and checks
# kinds, parentage, attributes, Phoenix's cumulative token roll-up and the session. Exits 0 when
# everything came back, 1 otherwise; stops Phoenix and removes its temp files on any exit.
#
# Usage: Tests/Phoenix/selftest.sh        (creates/reuses <repo>/.venv-phoenix first)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="$("$repo/scripts/setup-phoenix-env.sh")"
work="$(mktemp -d "${TMPDIR:-/tmp}/phoenix-selftest.XXXXXX")"
server_pid=""
server_in=""

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$server_in" ]]; then
    exec {server_in}>&- # EOF on the server's stdin: it stops Phoenix and removes its temp dir
  fi
  if [[ -n "$server_pid" ]]; then
    for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "selftest: server still running 30s after stdin closed; sending SIGTERM" >&2
      kill -TERM "$server_pid" 2>/dev/null
      for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
  if [[ $rc == 0 ]]; then echo "selftest: PASS" >&2; else echo "selftest: FAIL" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

started=$SECONDS
coproc SERVER { exec "$python" "$here/phoenix_server.py" --startup-timeout 120; }
server_pid=$SERVER_PID
# Keep the coproc's pipe ends under our own names and close bash's copies, so that closing
# $server_in really is the last writer going away (EOF for the server).
exec {server_in}>&"${SERVER[1]}" {server_out}<&"${SERVER[0]}"
eval "exec ${SERVER[1]}>&- ${SERVER[0]}<&-"

ready=""
if ! read -r -t 150 ready <&"$server_out" || [[ "$ready" != READY* ]]; then
  echo "selftest: phoenix_server.py did not report READY (got: '${ready}')" >&2
  exit 1
fi
echo "selftest: $ready (after $((SECONDS - started))s)" >&2
http_port="$(sed -n 's/.*http=\([0-9]*\).*/\1/p' <<<"$ready")"
grpc_port="$(sed -n 's/.*grpc=\([0-9]*\).*/\1/p' <<<"$ready")"

# --- send: the OpenTelemetry SDK and OTLP/gRPC exporter are dependencies of arize-phoenix itself.
trace_id="$(
  "$python" - "$grpc_port" <<'EOF'
import sys, time
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

memory = InMemorySpanExporter()
provider = TracerProvider(resource=Resource.create({"service.name": "phoenix-selftest"}))
provider.add_span_processor(SimpleSpanProcessor(memory))
tracer = provider.get_tracer("phoenix-selftest")

with tracer.start_as_current_span("agent", attributes={
    "openinference.span.kind": "AGENT", "session.id": "selftest-session",
    "input.value": "what is 2+2?"}) as agent:
    with tracer.start_as_current_span("chain", attributes={"openinference.span.kind": "CHAIN"}):
        with tracer.start_as_current_span("llm", attributes={
            "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o-mini",
            "llm.token_count.prompt": 12, "llm.token_count.completion": 7,
            "llm.token_count.total": 19, "session.id": "selftest-session"}) as llm:
            time.sleep(0.01)
            llm.set_status(Status(StatusCode.OK))
    agent.set_attribute("output.value", "4")

spans = memory.get_finished_spans()
assert len(spans) == 3, spans
exporter = OTLPSpanExporter(endpoint=f"127.0.0.1:{sys.argv[1]}", insecure=True, timeout=10)
result = exporter.export(spans)
exporter.shutdown()
if result is not SpanExportResult.SUCCESS:
    sys.exit(f"selftest: OTLP/gRPC export failed: {result}")
print(format(spans[0].context.trace_id, "032x"))
EOF
)"
echo "selftest: sent trace $trace_id" >&2

# --- read back and check.
"$python" "$here/phoenix_spans.py" --http-port "$http_port" --expect-spans 3 --timeout 30 \
  --trace-id "$trace_id" --cumulative --sessions >"$work/spans.json"

"$python" - "$work/spans.json" "$trace_id" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
trace_id = sys.argv[2]
spans = {s["span_kind"]: s for s in doc["spans"]}
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)

check(doc["count"] == 3 and sorted(spans) == ["AGENT", "CHAIN", "LLM"],
      f"expected one AGENT, CHAIN and LLM span, got {[s['span_kind'] for s in doc['spans']]}")
if not problems:
    agent, chain, llm = spans["AGENT"], spans["CHAIN"], spans["LLM"]
    for s in doc["spans"]:
        check(s["context"]["trace_id"] == trace_id, f"{s['name']}: trace id {s['context']['trace_id']}")
    check(agent["parent_id"] is None, f"AGENT parent {agent['parent_id']}")
    check(chain["parent_id"] == agent["context"]["span_id"], "CHAIN is not the AGENT's child")
    check(llm["parent_id"] == chain["context"]["span_id"], "LLM is not the CHAIN's child")
    a = llm["attributes"]
    check(a.get("llm.model_name") == "gpt-4o-mini", f"llm.model_name {a.get('llm.model_name')!r}")
    for key, want in (("prompt", 12), ("completion", 7), ("total", 19)):
        got = a.get(f"llm.token_count.{key}")
        check(type(got) is int and got == want, f"llm.token_count.{key} = {got!r}, want int {want}")
    check(a.get("session.id") == "selftest-session", f"session.id {a.get('session.id')!r}")
    check("openinference.span.kind" not in a, "openinference.span.kind still in attributes")
    check(llm["status"]["code"] == "OK", f"LLM status {llm['status']}")
    check(agent["attributes"].get("output.value") == "4", "AGENT output.value")
    # Phoenix's roll-up: LLM spans' prompt/completion counts summed into every ancestor.
    for s in (agent, chain, llm):
        check(s["phoenix"]["span_kind"] == s["span_kind"],
              f"{s['name']}: Phoenix stored kind {s['phoenix']['span_kind']}")
        cum = s["phoenix"]["cumulative_token_count"]
        check(cum == {"prompt": 12, "completion": 7, "total": 19},
              f"{s['span_kind']} cumulative token count {cum}")
    check(agent["phoenix"]["token_count"]["total"] in (None, 0), "AGENT has own token count")
    sessions = [x for x in doc["sessions"] if x.get("session_id") == "selftest-session"]
    check(len(sessions) == 1, f"session selftest-session not found in {doc['sessions']}")

if problems:
    print(json.dumps(doc, indent=2), file=sys.stderr)
    for p in problems:
        print(f"selftest: FAILED CHECK: {p}", file=sys.stderr)
    sys.exit(1)
print("selftest: 3 spans back with kinds AGENT/CHAIN/LLM, parentage, int token counts 12/7/19, "
      "cumulative roll-up 19 on every ancestor, session selftest-session", file=sys.stderr)
EOF
