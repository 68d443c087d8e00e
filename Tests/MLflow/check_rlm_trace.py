"""Checks what MLflow stored for a recursive RLM run rlm-otel-replay sent over OTLP/HTTP:
mlflow_traces.py output on stdin. Usage: check_rlm_trace.py RUNS SPANS

One trace; every span present; the tree intact (each span's parent stored; each child rlm.run under
an rlm.step of the run its rlm.parent_run_id names, a delegating one). Prints one summary line of
what MLflow's API returned; exits 1 with every failed check."""
import json
import sys

runs_expected, spans_expected = int(sys.argv[1]), int(sys.argv[2])
doc = json.load(sys.stdin)
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


check(doc["trace_count"] == 1, f"expected 1 trace, got {doc['trace_count']}")
spans = [s for t in doc["traces"] for s in t["spans"]]
check(len(spans) == spans_expected, f"expected {spans_expected} spans, got {len(spans)}")
by_id = {s["span_id"]: s for s in spans}
roots = [s for s in spans if s["parent_id"] is None]
check(len(roots) == 1 and roots[0]["name"] == "rlm.run", f"roots: {[r['name'] for r in roots]}")
for s in spans:
    check(s["parent_id"] is None or s["parent_id"] in by_id, f"{s['name']}: parent {s['parent_id']} not stored")
runs = [s for s in spans if s["name"] == "rlm.run"]
check(len(runs) == runs_expected, f"expected {runs_expected} rlm.run spans, got {len(runs)}")
for run in runs:
    a = run["attributes"]
    parent_run = a.get("rlm.parent_run_id")
    if parent_run is None:
        continue
    step = by_id.get(run["parent_id"], {})
    check(step.get("name") == "rlm.step", f"{a.get('rlm.run_id')}: parent is {step.get('name')}")
    check(step.get("attributes", {}).get("rlm.run_id") == parent_run, f"{a.get('rlm.run_id')}: under another run")
    check(str(step.get("attributes", {}).get("rlm.action_type", "")).startswith("delegate"),
          f"{a.get('rlm.run_id')}: under {step.get('attributes', {}).get('rlm.action_type')}")
    check(type(a.get("rlm.depth")) is int, f"{a.get('rlm.run_id')}: rlm.depth {a.get('rlm.depth')!r}")
steps = [s for s in spans if s["name"] == "rlm.step"]
check(all(type(s["attributes"].get("rlm.usage.prompt_tokens")) is int for s in steps), "a step without usage")
if problems:
    print(json.dumps(doc, indent=2)[:20000], file=sys.stderr)
    for p in problems:
        print(f"mlflow: FAILED CHECK: {p}", file=sys.stderr)
    sys.exit(1)
trace = doc["traces"][0]
print(f"mlflow: trace {trace['mlflow_trace_id']} state {trace['state']}: {len(spans)} spans, "
      f"{len(runs)} rlm.run, {len(steps)} rlm.step, tree intact")
