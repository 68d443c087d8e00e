"""Checks what Arize Phoenix stored for a recursive RLM run that rlm-otel-replay sent with the
OpenInference conventions on: phoenix_spans.py --cumulative output on stdin.

Usage: check_rlm_trace.py RUNS [--model-calls]
  RUNS           how many rlm.run spans (AGENT) the recording holds
  --model-calls  the recording has model calls: LLM spans with token counts, rolled up by Phoenix

Prints one summary line of what Phoenix's API returned; exits 1 with every failed check."""
import json
import sys

runs_expected = int(sys.argv[1])
model_calls = "--model-calls" in sys.argv
doc = json.load(sys.stdin)
spans = doc["spans"]
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


by_id = {s["context"]["span_id"]: s for s in spans}
traces = {s["context"]["trace_id"] for s in spans}
check(len(traces) == 1, f"expected one trace, got {len(traces)}")
kinds = {}
for s in spans:
    kinds.setdefault(s["span_kind"], []).append(s)
    check(s["phoenix"]["span_kind"] == s["span_kind"], f"{s['name']}: stored as {s['phoenix']['span_kind']}")
agents = kinds.get("AGENT", [])
check(len(agents) == runs_expected, f"expected {runs_expected} AGENT spans, got {len(agents)}")
check(all(s["name"] == "rlm.run" for s in agents), "an AGENT span is not rlm.run")
check(all(s["name"] == "rlm.step" for s in kinds.get("CHAIN", [])), "a CHAIN span is not rlm.step")
check(len(kinds.get("CHAIN", [])) > 0, "no CHAIN spans")
roots = [s for s in spans if s["parent_id"] is None]
check(len(roots) == 1 and roots[0]["span_kind"] == "AGENT", f"expected one AGENT root, got {len(roots)}")
for agent in agents:
    a = agent["attributes"]
    check(isinstance(a.get("input.value"), str) and a["input.value"], f"{a.get('rlm.run_id')}: no input.value")
    parent_run = a.get("rlm.parent_run_id")
    if parent_run is None:
        continue
    step = by_id.get(agent["parent_id"])
    check(step is not None and step["span_kind"] == "CHAIN", f"{a.get('rlm.run_id')}: parent is not a step")
    if step is not None:
        check(step["attributes"].get("rlm.run_id") == parent_run, f"{a.get('rlm.run_id')}: under another run's step")
        check(str(step["attributes"].get("rlm.action_type", "")).startswith("delegate"),
              f"{a.get('rlm.run_id')}: under a {step['attributes'].get('rlm.action_type')} step")
    check(isinstance(a.get("rlm.depth"), int) and a["rlm.depth"] >= 1, f"{a.get('rlm.run_id')}: rlm.depth")

llms = kinds.get("LLM", [])
total = {"prompt": 0, "completion": 0}
if model_calls:
    check(len(llms) > 0, "no LLM spans")
    for llm in llms:
        a = llm["attributes"]
        check(llm["name"].startswith("chat "), f"LLM span named {llm['name']}")
        check(by_id.get(llm["parent_id"], {}).get("span_kind") == "CHAIN", f"{llm['name']}: parent is not a step")
        for key in ("prompt", "completion"):
            value = a.get(f"llm.token_count.{key}")
            check(type(value) is int and value >= 0, f"{llm['name']}: llm.token_count.{key} = {value!r}")
            total[key] += value if type(value) is int else 0
        check(isinstance(a.get("llm.model_name"), str), f"{llm['name']}: llm.model_name")
    root = roots[0] if roots else None
    if root is not None:
        cumulative = root["phoenix"]["cumulative_token_count"]
        check(cumulative.get("prompt") == total["prompt"] and cumulative.get("completion") == total["completion"],
              f"root cumulative tokens {cumulative}, LLM spans sum to {total}")
    for s in agents + kinds.get("CHAIN", []):
        check(not any(k.startswith("llm.token_count.") for k in s["attributes"]),
              f"{s['name']} carries llm.token_count (Phoenix would count it twice)")
else:
    check(not llms, "LLM spans in a recording without model calls")

if problems:
    print(json.dumps(doc, indent=2)[:20000], file=sys.stderr)
    for p in problems:
        print(f"phoenix: FAILED CHECK: {p}", file=sys.stderr)
    sys.exit(1)
summary = f"{len(spans)} spans in 1 trace: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(kinds.items()))
if model_calls and roots:
    summary += f"; root cumulative tokens {roots[0]['phoenix']['cumulative_token_count']}"
print(f"phoenix: {summary}")
