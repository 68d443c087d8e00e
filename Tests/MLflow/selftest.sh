#!/usr/bin/env bash
# End-to-end proof of the MLflow harness: starts a real MLflow tracking server (mlflow_server.py),
# creates an experiment (create_experiment.py), sends one 3-span trace (root -> child -> grandchild,
# with string/int/float/bool/array attributes and an ERROR status) over OTLP/HTTP protobuf with the
# x-mlflow-experiment-id header, reads it back through the REST API (mlflow_traces.py) and checks the
# tree, ids, attributes and statuses; then pins down the OTLP/HTTP edge cases the sink depends on
# (gzip accepted; wrong Content-Type 400; no experiment header 422; unknown experiment 404;
# /v1/metrics 404). Exits 0 when everything held, 1 otherwise; stops MLflow and removes its temp
# files on any exit.
#
# Usage: Tests/MLflow/selftest.sh        (creates/reuses <repo>/.venv-mlflow first)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="$("$repo/scripts/setup-mlflow-env.sh")"
work="$(mktemp -d "${TMPDIR:-/tmp}/mlflow-selftest.XXXXXX")"
server_pid=""
server_in=""

cleanup() {
  local rc=$?
  set +e
  if [[ -n "$server_in" ]]; then
    exec {server_in}>&- # EOF on the server's stdin: it stops MLflow and removes its temp dir
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
coproc SERVER { exec "$python" "$here/mlflow_server.py" --startup-timeout 120; }
server_pid=$SERVER_PID
# Keep the coproc's pipe ends under our own names and close bash's copies, so that closing
# $server_in really is the last writer going away (EOF for the server).
exec {server_in}>&"${SERVER[1]}" {server_out}<&"${SERVER[0]}"
eval "exec ${SERVER[1]}>&- ${SERVER[0]}<&-"

ready=""
if ! read -r -t 150 ready <&"$server_out" || [[ "$ready" != READY* ]]; then
  echo "selftest: mlflow_server.py did not report READY (got: '${ready}')" >&2
  exit 1
fi
echo "selftest: $ready (after $((SECONDS - started))s)" >&2
http_port="$(sed -n 's/.*http=\([0-9]*\).*/\1/p' <<<"$ready")"

experiment_id="$("$python" "$here/create_experiment.py" --http-port "$http_port" --name selftest)"
# Idempotent: the same name gives the same id.
again="$("$python" "$here/create_experiment.py" --http-port "$http_port" --name selftest)"
if [[ "$again" != "$experiment_id" ]]; then
  echo "selftest: create_experiment.py gave $experiment_id, then $again for the same name" >&2
  exit 1
fi
echo "selftest: experiment selftest has id $experiment_id" >&2

# --- send: OpenTelemetry SDK (a dependency of mlflow-skinny) + the OTLP/HTTP protobuf exporter.
trace_id="$(
  "$python" - "$http_port" "$experiment_id" <<'EOF'
import sys
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

memory = InMemorySpanExporter()
provider = TracerProvider(resource=Resource.create({"service.name": "mlflow-selftest"}))
provider.add_span_processor(SimpleSpanProcessor(memory))
tracer = provider.get_tracer("mlflow-selftest")

with tracer.start_as_current_span("rlm.run", attributes={
    "rlm.depth": 0, "input.value": '{"question": "2+2?"}', "flag": True,
    "ratio": 0.25, "tags": ["a", "b"], "looks.numeric": "42", "looks.list": "[1, 2]",
    "plain": "hello"}) as root:
    with tracer.start_as_current_span("rlm.iteration", attributes={"rlm.iteration": 1}):
        with tracer.start_as_current_span("llm.call", attributes={
            "llm.model_name": "gpt-4o-mini", "llm.token_count.prompt": 12,
            "llm.token_count.completion": 7, "llm.token_count.total": 19}) as llm:
            llm.set_status(Status(StatusCode.ERROR, "rate limited"))
    root.set_status(Status(StatusCode.OK))

spans = memory.get_finished_spans()
assert len(spans) == 3, spans
exporter = OTLPSpanExporter(
    endpoint=f"http://127.0.0.1:{sys.argv[1]}/v1/traces",
    headers={"x-mlflow-experiment-id": sys.argv[2]},
    timeout=10,
)
result = exporter.export(spans)
exporter.shutdown()
if result is not SpanExportResult.SUCCESS:
    sys.exit(f"selftest: OTLP/HTTP export failed: {result}")
print(format(spans[0].context.trace_id, "032x"))
EOF
)"
echo "selftest: sent trace $trace_id" >&2

# --- read back and check.
"$python" "$here/mlflow_traces.py" --http-port "$http_port" --experiment-id "$experiment_id" \
  --expect-traces 1 --expect-spans 3 --timeout 30 >"$work/traces.json"

"$python" - "$work/traces.json" "$trace_id" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
trace_id = sys.argv[2]
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)

check(doc["trace_count"] == 1 and doc["span_count"] == 3,
      f"expected 1 trace with 3 spans, got {doc['trace_count']} traces / {doc['span_count']} spans")
if not problems:
    trace = doc["traces"][0]
    check(trace["trace_id"] == trace_id, f"trace id {trace['trace_id']}, sent {trace_id}")
    check(trace["mlflow_trace_id"] == f"tr-{trace_id}", f"MLflow trace id {trace['mlflow_trace_id']}")
    check(trace["state"] == "OK", f"trace state {trace['state']}")
    check(trace["tags"].get("service.name") == "mlflow-selftest", f"tags {trace['tags']}")
    spans = {s["name"]: s for s in trace["spans"]}
    check(sorted(spans) == ["llm.call", "rlm.iteration", "rlm.run"], f"span names {sorted(spans)}")
    root, it, llm = spans.get("rlm.run"), spans.get("rlm.iteration"), spans.get("llm.call")
    if root and it and llm:
        for s in trace["spans"]:
            check(s["trace_id"] == trace_id, f"{s['name']}: trace id {s['trace_id']}")
            check(len(s["span_id"]) == 16, f"{s['name']}: span id {s['span_id']}")
            check(0 < s["start_time_unix_nano"] <= s["end_time_unix_nano"], f"{s['name']}: times")
            check(s["attributes"].get("mlflow.traceRequestId") == f"tr-{trace_id}",
                  f"{s['name']}: mlflow.traceRequestId {s['attributes'].get('mlflow.traceRequestId')}")
        check(root["parent_id"] is None, f"root parent {root['parent_id']}")
        check(it["parent_id"] == root["span_id"], "rlm.iteration is not the root's child")
        check(llm["parent_id"] == it["span_id"], "llm.call is not rlm.iteration's child")
        a = root["attributes"]
        for key, want in (("rlm.depth", 0), ("flag", True), ("ratio", 0.25), ("tags", ["a", "b"]),
                          ("looks.numeric", "42"), ("plain", "hello")):
            got = a.get(key)
            check(type(got) is type(want) and got == want, f"root {key} = {got!r}, want {want!r}")
        # MLflow quirk (sanitize_attributes in mlflow/tracing/otel/translation): a *string*
        # attribute whose text is a JSON object/array/string comes back parsed; JSON numbers and
        # booleans stay strings (see "looks.numeric" above).
        for key, want in (("input.value", {"question": "2+2?"}), ("looks.list", [1, 2])):
            got = a.get(key)
            check(got == want, f"root {key} = {got!r}, want {want!r} (MLflow's JSON-string decoding changed?)")
        check(a.get("mlflow.spanInputs") == {"question": "2+2?"},
              f"root mlflow.spanInputs {a.get('mlflow.spanInputs')!r} (OpenInference input.value mapping)")
        check(it["attributes"].get("rlm.iteration") == 1, f"rlm.iteration {it['attributes']}")
        b = llm["attributes"]
        check(b.get("llm.model_name") == "gpt-4o-mini", f"llm.model_name {b.get('llm.model_name')!r}")
        for key, want in (("prompt", 12), ("completion", 7), ("total", 19)):
            got = b.get(f"llm.token_count.{key}")
            check(type(got) is int and got == want, f"llm.token_count.{key} = {got!r}, want int {want}")
        check(b.get("mlflow.chat.tokenUsage") == {"input_tokens": 12, "output_tokens": 7,
                                                  "total_tokens": 19},
              f"mlflow.chat.tokenUsage {b.get('mlflow.chat.tokenUsage')!r}")
        check(b.get("mlflow.llm.model") == "gpt-4o-mini", f"mlflow.llm.model {b.get('mlflow.llm.model')!r}")
        check(llm["status"] == {"code": "ERROR", "message": "rate limited"}, f"llm status {llm['status']}")
        check(root["status"]["code"] == "OK", f"root status {root['status']}")
        check(it["status"]["code"] == "UNSET", f"rlm.iteration status {it['status']}")

if problems:
    print(json.dumps(doc, indent=2), file=sys.stderr)
    for p in problems:
        print(f"selftest: FAILED CHECK: {p}", file=sys.stderr)
    sys.exit(1)
print("selftest: 1 trace, 3 spans back with OTel trace/span ids, parentage, typed attributes, "
      "statuses, mlflow.chat.tokenUsage 12/7/19, JSON-string attributes decoded", file=sys.stderr)
EOF

# --- OTLP/HTTP edge cases (sent to a separate experiment, so the checks above stay exact).
probe_experiment="$("$python" "$here/create_experiment.py" --http-port "$http_port" --name selftest-protocol)"
"$python" - "$http_port" "$probe_experiment" <<'EOF'
import gzip, os, sys, urllib.error, urllib.request
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
port, experiment = sys.argv[1], sys.argv[2]

def body() -> bytes:
    request = ExportTraceServiceRequest()
    span = request.resource_spans.add().scope_spans.add().spans.add()
    span.trace_id, span.span_id, span.name = os.urandom(16), os.urandom(8), "probe"
    span.start_time_unix_nano = 1_700_000_000_000_000_000
    span.end_time_unix_nano = span.start_time_unix_nano + 1_000
    return request.SerializeToString()

def post(path, data, headers):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code

proto = {"Content-Type": "application/x-protobuf"}
hdr = {"x-mlflow-experiment-id": experiment}
cases = [
    ("protobuf", "/v1/traces", body(), {**hdr, **proto}, 200),
    ("protobuf, gzip", "/v1/traces", gzip.compress(body()), {**hdr, **proto, "Content-Encoding": "gzip"}, 200),
    ("Content-Type with parameter", "/v1/traces", body(),
     {**hdr, "Content-Type": "application/x-protobuf; charset=utf-8"}, 200),
    ("Content-Type application/protobuf", "/v1/traces", body(),
     {**hdr, "Content-Type": "application/protobuf"}, 400),
    ("Content-Type application/octet-stream", "/v1/traces", body(),
     {**hdr, "Content-Type": "application/octet-stream"}, 400),
    ("Content-Encoding br", "/v1/traces", body(), {**hdr, **proto, "Content-Encoding": "br"}, 400),
    ("no spans", "/v1/traces", b"", {**hdr, **proto}, 400),
    ("no x-mlflow-experiment-id", "/v1/traces", body(), proto, 422),
    ("unknown experiment", "/v1/traces", body(), {"x-mlflow-experiment-id": "987654", **proto}, 404),
    ("/v1/metrics", "/v1/metrics", b"", {**hdr, **proto}, 404),
    ("/v1/logs", "/v1/logs", b"", {**hdr, **proto}, 404),
]
bad = [f"{name}: HTTP {got}, expected {want}"
       for name, path, data, headers, want in cases
       if (got := post(path, data, headers)) != want]
for b in bad:
    print(f"selftest: FAILED CHECK: {b}", file=sys.stderr)
if bad:
    sys.exit(1)
print(f"selftest: {len(cases)} OTLP/HTTP edge cases answered as expected", file=sys.stderr)
EOF
