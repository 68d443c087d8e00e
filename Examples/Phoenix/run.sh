#!/usr/bin/env bash
# Shows RLM-native traces in a real Arize Phoenix UI: starts Phoenix on 127.0.0.1:6006 (OTLP/gRPC on
# 4317), sends it the scripted recursive demo run (scripts/demo.sh) and a recorded recursion of the
# real rlm-code runtime (rlm-otel-replay --trajectory), both with the OpenInference conventions on,
# then keeps Phoenix running until Ctrl-C.
#
# Usage: Examples/Phoenix/run.sh [--no-wait]
#   --no-wait  send, print the span kinds Phoenix stored (read back through its REST API), stop.
#
# The first run installs Phoenix into .venv-phoenix (scripts/setup-phoenix-env.sh, ~2 min); Phoenix
# then starts in ~20 s. Its data lives in a temp dir that is removed when the script ends.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

wait_for_ctrl_c=true
case "${1:-}" in
  "") ;;
  --no-wait) wait_for_ctrl_c=false ;;
  -h | --help) sed -n '2,11s/^# \{0,1\}//p' "$0" && exit 0 ;;
  *) echo "usage: $0 [--no-wait]" >&2 && exit 2 ;;
esac

http_port=6006
grpc_port=4317
ui="http://127.0.0.1:$http_port"
trajectory=Tests/ObservabilitySinksTests/Fixtures/rlm-code/trajectory/recursive.jsonl

# Fixed ports, so the URL and the endpoint are the ones the docs name: refuse to start beside
# another Phoenix or collector instead of sending our spans to it.
for port in $http_port $grpc_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: something already listens on port $port (another Phoenix or collector?); stop it first" >&2
    exit 1
  fi
done

python="$(scripts/setup-phoenix-env.sh)"
work="$(mktemp -d "${TMPDIR:-/tmp}/phoenix-demo.XXXXXX")"
phoenix_pid=""

cleanup() {
  local rc=$?
  set +e
  trap - INT TERM HUP
  if [[ -n "$phoenix_pid" ]] && kill -0 "$phoenix_pid" 2>/dev/null; then
    echo "stopping Phoenix" >&2
    # Phoenix runs in a session of its own: stop its whole process group, SIGKILL after 20 s.
    kill -TERM -- "-$phoenix_pid" 2>/dev/null
    for _ in $(seq 1 200); do kill -0 "$phoenix_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$phoenix_pid" 2>/dev/null
    wait "$phoenix_pid" 2>/dev/null
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Phoenix as Tests/Phoenix/phoenix_server.py runs it, on the fixed ports: SQLite in the temp dir, no
# auth, no telemetry, nothing fetched from the internet, and no OTEL_*/PHOENIX_* variable of ours
# (which would make it export its own traces or use another database). setsid: Ctrl-C reaches this
# script, which then stops Phoenix in order.
mkdir -p "$work/home"
unset_ours=()
for name in $(compgen -e); do
  [[ "$name" == OTEL_* || "$name" == PHOENIX_* ]] && unset_ours+=(-u "$name")
done
env "${unset_ours[@]}" HOME="$work/home" PYTHONUNBUFFERED=1 \
  PHOENIX_HOST=127.0.0.1 PHOENIX_PORT=$http_port PHOENIX_GRPC_PORT=$grpc_port \
  PHOENIX_WORKING_DIR="$work" PHOENIX_SQL_DATABASE_URL="sqlite:///$work/phoenix.db" \
  PHOENIX_ENABLE_AUTH=false PHOENIX_TELEMETRY_ENABLED=false PHOENIX_ALLOW_EXTERNAL_RESOURCES=false \
  setsid "$python" -m phoenix.server.main serve </dev/null >"$work/phoenix.log" 2>&1 &
phoenix_pid=$!
echo "starting Phoenix (pid $phoenix_pid, log $work/phoenix.log)" >&2

# Build while Phoenix starts.
scripts/install-system-deps.sh
swift build --product ScriptedRun 2>&1 | tail -n 1 >&2
swift build --product rlm-otel-replay 2>&1 | tail -n 1 >&2
bin="$(swift build --show-bin-path)"

# Ready means GET /readyz answers 200 and the gRPC port takes an (empty) OTLP Export call: the
# probes of phoenix_server.py, polled until they pass, Phoenix dies, or 120 s have gone by.
started=$SECONDS
if ! "$python" - "$phoenix_pid" "$http_port" "$grpc_port" <<'EOF'; then
import os, sys, time
sys.path.insert(0, "Tests/Phoenix")
from phoenix_server import GrpcProbe, http_ready

pid, http_port, grpc_port = (int(arg) for arg in sys.argv[1:])
probe, deadline = GrpcProbe(grpc_port), time.monotonic() + 120
while not (http_ready(http_port) and probe.ready()):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("Phoenix exited while starting")
    if time.monotonic() > deadline:
        sys.exit("Phoenix was not ready within 120 s")
    time.sleep(0.2)
EOF
  echo "error: Phoenix did not start; the end of its log:" >&2
  tail -n 30 "$work/phoenix.log" >&2
  exit 1
fi
echo "Phoenix ready (waited $((SECONDS - started)) s after the builds)" >&2

# Both senders with the same environment: the OpenInference attributes Phoenix renders (AGENT runs,
# CHAIN steps, LLM calls with token counts), prompts and answers on the LLM spans, no metrics
# (Phoenix takes traces only).
send() {
  env DSPY_RLM_OTEL_ENABLED=true OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$grpc_port" \
    DSPY_RLM_OTEL_CONVENTIONS=openinference OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true \
    OTEL_METRICS_EXPORTER=none "$@"
}
echo "== the scripted recursive run (Examples/ScriptedRun)"
send "$bin/ScriptedRun" | tee "$work/demo.txt"
echo "== a recorded rlm-code recursion ($trajectory)"
send "$bin/rlm-otel-replay" --trajectory "$trajectory"

if ! $wait_for_ctrl_c; then
  # What Phoenix stored, as its UI shows it: every trace as a tree of span kinds and names, with
  # the tokens Phoenix rolls up to the top of each.
  demo_spans=$(sed -n 's/.*spans recorded \([0-9]*\),.*/\1/p' "$work/demo.txt")
  replay_spans=$(grep -cE '"event_type": "(run_start|iteration_end|llm_response|sub_llm_response)"' "$trajectory")
  echo "== spans in Phoenix (project default)"
  "$python" Tests/Phoenix/phoenix_spans.py --http-port $http_port --project default \
    --expect-spans $((demo_spans + replay_spans)) --timeout 60 --cumulative >"$work/spans.json"
  "$python" - "$work/spans.json" <<'EOF'
import collections, json, sys

spans = json.load(open(sys.argv[1]))["spans"]
children = collections.defaultdict(list)
for span in spans:
    children[span["parent_id"]].append(span)

def show(span, depth):
    attributes = span["attributes"]
    label = {"rlm.run": attributes.get("rlm.run_id"), "rlm.step": attributes.get("rlm.step")}
    detail = "" if label.get(span["name"]) is None else f" {label[span['name']]}"
    print(f"{'   ' * depth}{span['phoenix']['span_kind']:<6} {span['name']}{detail}")
    for child in children[span["context"]["span_id"]]:
        show(child, depth + 1)

for root in children[None]:
    tokens = root["phoenix"]["cumulative_token_count"]["total"]
    print(f"trace {root['context']['trace_id']}  ({tokens} tokens in all)")
    show(root, 1)
kinds = collections.Counter(span["phoenix"]["span_kind"] for span in spans)
print("kinds:", ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
EOF
  exit 0
fi

# The UI's address of the scripted run's trace: /projects/<project id>/traces/<trace id>.
project_id="$("$python" -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "/v1/projects/default"))["data"]["id"])' "$ui")"
demo_trace="$(sed -n 's/^trace id \([0-9a-f]*\).*/\1/p' "$work/demo.txt")"
echo
echo "Phoenix UI: $ui  (project default: one trace per recursion)"
echo "the scripted run: $ui/projects/$project_id/traces/$demo_trace"
echo "Ctrl-C stops Phoenix (its data goes with it)."
wait "$phoenix_pid" || true
echo "error: Phoenix stopped on its own; the end of its log:" >&2
tail -n 30 "$work/phoenix.log" >&2
phoenix_pid=""
exit 1
