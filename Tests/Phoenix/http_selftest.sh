#!/usr/bin/env bash
# Proof that Phoenix takes OTLP/HTTP protobuf, not only OTLP/gRPC: starts a real Phoenix
# (phoenix_server.py), sends a 3-span OpenInference trace (AGENT -> CHAIN -> LLM) with the OTLP/HTTP
# exporter to POST http://127.0.0.1:<http port>/v1/traces (the UI/REST port; header x-project-name
# picks the project), and the same shape again gzip-compressed, reads both back through the REST API
# (phoenix_spans.py) and checks ids, parentage, kinds and typed attributes; then pins down the
# OTLP/HTTP edge cases (Content-Type must be exactly application/x-protobuf, else 415; gzip/deflate
# only, lower-case, else 415; a body that is not an ExportTraceServiceRequest 422; /v1/metrics and
# /v1/logs 405). Exits 0 when everything held, 1 otherwise; stops Phoenix and removes its temp files
# on any exit.
#
# Usage: Tests/Phoenix/http_selftest.sh        (creates/reuses <repo>/.venv-phoenix first)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="$("$repo/scripts/setup-phoenix-env.sh")"
work="$(mktemp -d "${TMPDIR:-/tmp}/phoenix-http-selftest.XXXXXX")"
project="http-selftest"
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
      echo "http_selftest: server still running 30s after stdin closed; sending SIGTERM" >&2
      kill -TERM "$server_pid" 2>/dev/null
      for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
  if [[ $rc == 0 ]]; then echo "http_selftest: PASS" >&2; else echo "http_selftest: FAIL" >&2; fi
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
  echo "http_selftest: phoenix_server.py did not report READY (got: '${ready}')" >&2
  exit 1
fi
echo "http_selftest: $ready (after $((SECONDS - started))s)" >&2
http_port="$(sed -n 's/.*http=\([0-9]*\).*/\1/p' <<<"$ready")"

# --- send: the OpenTelemetry SDK and the OTLP/HTTP exporter are dependencies of arize-phoenix
# (via opentelemetry-exporter-otlp). One trace plain, one gzip-compressed.
"$python" - "$http_port" "$project" >"$work/sent.json" <<'EOF'
import json, sys
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

port, project = sys.argv[1], sys.argv[2]
sent = {}
for compression in (Compression.NoCompression, Compression.Gzip):
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "phoenix-http-selftest"}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("phoenix-http-selftest")
    with tracer.start_as_current_span("agent", attributes={
        "openinference.span.kind": "AGENT", "input.value": "what is 2+2?",
        "compression": compression.value}) as agent:
        with tracer.start_as_current_span("chain", attributes={"openinference.span.kind": "CHAIN"}):
            with tracer.start_as_current_span("llm", attributes={
                "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o-mini",
                "llm.token_count.prompt": 12, "llm.token_count.completion": 7,
                "llm.token_count.total": 19}) as llm:
                llm.set_status(Status(StatusCode.OK))
        agent.set_attribute("output.value", "4")
    spans = memory.get_finished_spans()
    assert len(spans) == 3, spans
    exporter = OTLPSpanExporter(
        endpoint=f"http://127.0.0.1:{port}/v1/traces",
        headers={"x-project-name": project},  # Phoenix's project selector (else "default")
        compression=compression,
        timeout=10,
    )
    result = exporter.export(spans)
    exporter.shutdown()
    if result is not SpanExportResult.SUCCESS:
        sys.exit(f"http_selftest: OTLP/HTTP export ({compression.value}) failed: {result}")
    sent[compression.value] = format(spans[0].context.trace_id, "032x")
json.dump(sent, sys.stdout)
EOF
echo "http_selftest: sent traces $(cat "$work/sent.json")" >&2

# --- read back and check (Phoenix stores OTLP/HTTP spans from a background task: poll).
"$python" "$here/phoenix_spans.py" --http-port "$http_port" --project "$project" \
  --expect-spans 6 --timeout 30 >"$work/spans.json"

"$python" - "$work/spans.json" "$work/sent.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
sent = json.load(open(sys.argv[2]))
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)

check(doc["count"] == 6, f"expected 6 spans (2 traces x 3), got {doc['count']}")
for compression, trace_id in sent.items():
    spans = {s["span_kind"]: s for s in doc["spans"] if s["context"]["trace_id"] == trace_id}
    if sorted(spans) != ["AGENT", "CHAIN", "LLM"]:
        problems.append(f"{compression} trace {trace_id}: kinds {sorted(spans)}")
        continue
    agent, chain, llm = spans["AGENT"], spans["CHAIN"], spans["LLM"]
    check(agent["parent_id"] is None, f"{compression}: AGENT parent {agent['parent_id']}")
    check(chain["parent_id"] == agent["context"]["span_id"], f"{compression}: CHAIN not AGENT's child")
    check(llm["parent_id"] == chain["context"]["span_id"], f"{compression}: LLM not CHAIN's child")
    check(agent["attributes"].get("compression") == compression,
          f"{compression}: AGENT attribute compression {agent['attributes'].get('compression')!r}")
    check(agent["attributes"].get("output.value") == "4", f"{compression}: AGENT output.value")
    a = llm["attributes"]
    check(a.get("llm.model_name") == "gpt-4o-mini", f"{compression}: llm.model_name {a.get('llm.model_name')!r}")
    for key, want in (("prompt", 12), ("completion", 7), ("total", 19)):
        got = a.get(f"llm.token_count.{key}")
        check(type(got) is int and got == want,
              f"{compression}: llm.token_count.{key} = {got!r}, want int {want}")
    check(llm["status"]["code"] == "OK", f"{compression}: LLM status {llm['status']}")

if problems:
    print(json.dumps(doc, indent=2), file=sys.stderr)
    for p in problems:
        print(f"http_selftest: FAILED CHECK: {p}", file=sys.stderr)
    sys.exit(1)
print("http_selftest: both traces (plain and gzip) back in project http-selftest with kinds "
      "AGENT/CHAIN/LLM, parentage, int token counts", file=sys.stderr)
EOF

# --- OTLP/HTTP edge cases (to another project, so the checks above stay exact).
"$python" - "$http_port" <<'EOF'
import gzip, os, sys, urllib.error, urllib.request, zlib
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
port = sys.argv[1]

def body() -> bytes:
    request = ExportTraceServiceRequest()
    span = request.resource_spans.add().scope_spans.add().spans.add()
    span.trace_id, span.span_id, span.name = os.urandom(16), os.urandom(8), "probe"
    span.start_time_unix_nano = 1_700_000_000_000_000_000
    span.end_time_unix_nano = span.start_time_unix_nano + 1_000
    return request.SerializeToString()

def post(path, data, headers):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                     headers={"x-project-name": "http-selftest-protocol", **headers},
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code

proto = {"Content-Type": "application/x-protobuf"}
cases = [
    ("protobuf", "/v1/traces", body(), proto, 200),
    ("protobuf, gzip", "/v1/traces", gzip.compress(body()), {**proto, "Content-Encoding": "gzip"}, 200),
    ("protobuf, deflate", "/v1/traces", zlib.compress(body()), {**proto, "Content-Encoding": "deflate"}, 200),
    ("empty ExportTraceServiceRequest", "/v1/traces", b"", proto, 200),
    ("Content-Type with parameter", "/v1/traces", body(),
     {"Content-Type": "application/x-protobuf; charset=utf-8"}, 415),
    ("Content-Type application/protobuf", "/v1/traces", body(),
     {"Content-Type": "application/protobuf"}, 415),
    ("Content-Type application/json", "/v1/traces", b"{}", {"Content-Type": "application/json"}, 415),
    ("Content-Encoding GZIP (upper case)", "/v1/traces", gzip.compress(body()),
     {**proto, "Content-Encoding": "GZIP"}, 415),
    ("Content-Encoding identity", "/v1/traces", body(), {**proto, "Content-Encoding": "identity"}, 415),
    ("not protobuf", "/v1/traces", b"\xff\xff\xff\xff", proto, 422),
    ("/v1/metrics", "/v1/metrics", b"", proto, 405),
    ("/v1/logs", "/v1/logs", b"", proto, 405),
]
bad = [f"{name}: HTTP {got}, expected {want}"
       for name, path, data, headers, want in cases
       if (got := post(path, data, headers)) != want]
for b in bad:
    print(f"http_selftest: FAILED CHECK: {b}", file=sys.stderr)
if bad:
    sys.exit(1)
print(f"http_selftest: {len(cases)} OTLP/HTTP edge cases answered as expected", file=sys.stderr)
EOF
