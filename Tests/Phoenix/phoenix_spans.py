#!/usr/bin/env python3
"""Reads spans back from a running Phoenix server through its REST API and prints them as JSON.

    phoenix_spans.py --http-port P [--project default] [--expect-spans N] [--timeout S]
                     [--trace-id ID ...] [--cumulative] [--sessions] [--raw]

Standard library only (any python3 runs it). Polls until the project holds at least N spans (Phoenix
queues what it receives over OTLP and writes it to its database in batches, every ~0.1 s, so spans
show up shortly after the export returned), then prints one JSON object on stdout:

    {"project": "default", "count": 3, "spans": [<span>, ...]}          spans sorted by start time

with each <span> as

    {"id": "U3Bhbjox",                       Phoenix's GraphQL global id of the span row
     "name": "llm",
     "context": {"trace_id": "<32 hex>", "span_id": "<16 hex>"},
     "parent_id": "<16 hex>" | null,
     "span_kind": "LLM",                    openinference.span.kind as sent; "UNKNOWN" if none
     "status": {"code": "OK" | "ERROR" | "UNSET", "message": ""},
     "start_time": "2026-01-01T12:00:00.123456+00:00", "end_time": "...",
     "attributes": {"llm.model_name": "gpt-4o", "llm.token_count.prompt": 12, ...},
     "events": [{"name": ..., "timestamp": ..., "attributes": {...}}]}

and, with --cumulative, "phoenix": {"span_kind": "LLM", "token_count": {prompt, completion, total},
"cumulative_token_count": {prompt, completion, total}} on each span, read from Phoenix's GraphQL API
(POST /graphql, node(id: <id>) { ... on Span { spanKind tokenCount* cumulativeTokenCount* } }): what
its UI shows. Phoenix rolls LLM spans' token counts up to every ancestor; see the notes below. With
--sessions, a top-level "sessions" list as GET /v1/projects/{project}/sessions returns it.

Exit status: 0 when at least N spans were found, 3 when the timeout passed first (the JSON of what
was found is still printed), 1 on an HTTP or connection error that outlasted the timeout, 2 on usage.

The REST endpoint (Phoenix 20.26.1, phoenix/server/api/routers/v1/spans.py, operation "getSpans"):

    GET /v1/projects/{project_name_or_id}/spans?limit=1000&sort=start_time&order=asc
        [&cursor=<next_cursor>][&trace_id=..][&span_id=..][&parent_id=..|null][&name=..]
        [&span_kind=LLM][&status_code=OK][&attribute=key:json-value][&start_time=..][&end_time=..]
    -> 200 {"data": [<Span>, ...], "next_cursor": "<opaque>" | null}
    -> 404 {"detail": "..."} while the project does not exist (Phoenix creates a project when the
       first span naming it arrives; "default" exists from startup)

where <Span> is (raw, as the server sends it):

    {"id": "U3Bhbjox", "name": "llm",
     "context": {"trace_id": "fc67e4c2e688dcb4a11c3f457470736a", "span_id": "066b98f78d6d786d"},
     "span_kind": "LLM", "parent_id": "998c443403e5385f",
     "start_time": "2026-12-02T00:35:34.286687+00:00", "end_time": "2026-12-02T00:35:34.296911+00:00",
     "status_code": "OK", "status_message": "",
     "attributes": {"session.id": "selftest-session", "llm.model_name": "gpt-4o-mini",
                    "llm.token_count.prompt": 12, "llm.token_count.total": 19,
                    "llm.token_count.completion": 7},
     "events": []}

(an LLM span, as received). The sessions endpoint returns
{"data": [{"id", "session_id", "project_id", "start_time", "end_time", "traces": [{"id",
"trace_id", "start_time", "end_time"}], "token_count_prompt", "token_count_completion",
"token_count_total"}], "next_cursor"}; a trace joins the session named by the session.id of the
first of its spans that Phoenix stores with one.

Notes on that shape: trace/span/parent ids are lower-case hex; times are ISO 8601 with "+00:00"
(microseconds); "attributes" is already flattened to dotted keys (Phoenix stores them nested; lists
flatten to "key.0", "key.1", ...), and "openinference.span.kind" is moved OUT of it into "span_kind"
("UNKNOWN" when absent). That "span_kind" is the attribute's value AS SENT ("llm" stays "llm", an
unknown "RLM_ITERATION" stays "RLM_ITERATION"); the kind Phoenix stored and its UI shows is normalized
(upper-cased; UNKNOWN for anything else) and is what --cumulative adds as phoenix.span_kind. Int
attributes stay JSON numbers (and llm.token_count.prompt/completion/total sent as strings or doubles
are coerced to ints on ingest); the JSON strings of metadata, tool.parameters,
llm.prompt_template.variables and document.metadata come back parsed (objects); gen_ai.* attributes get OpenInference ones synthesized next to them (gen_ai.operation.name=chat ->
kind LLM, gen_ai.usage.* -> llm.token_count.*). The OTLP span kind (SERVER/CLIENT/...), resource
attributes, instrumentation scope and span links are not in it: Phoenix drops links and the OTLP
kind on ingest (its otlpv1 variant, GET /v1/projects/{p}/spans/otlpv1, reports every span as
SPAN_KIND_INTERNAL with "links": null), and uses resource attributes only to pick the project
(`openinference.project.name`, else "default").

Token counts: Phoenix only counts spans whose stored kind is LLM, taking llm.token_count.prompt and
llm.token_count.completion (llm.token_count.total is ignored: its total is prompt + completion). A
span's cumulative count is its own plus its children's cumulative counts, also when a child arrives
after its parent (the sums are then pushed up to every ancestor). Token attributes on a non-LLM
span (say a CHAIN) are kept as attributes but counted nowhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Backends"))
from backend_api import READ_ERRORS, NotFound, poll, request_json  # noqa: E402

PROG = "phoenix_spans"
PAGE_LIMIT = 1000  # the endpoint's maximum


def log(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def fetch_raw_spans(base: str, project: str, trace_ids: list[str]) -> list[dict[str, Any]]:
    """Every span of the project (following next_cursor), oldest start time first."""
    spans: list[dict[str, Any]] = []
    cursor: Optional[str] = None
    path = f"/v1/projects/{urllib.parse.quote(project, safe='')}/spans"
    while True:
        query = [("limit", str(PAGE_LIMIT)), ("sort", "start_time"), ("order", "asc")]
        query += [("trace_id", t) for t in trace_ids]
        if cursor:
            query.append(("cursor", cursor))
        page = request_json(base, path, query)
        spans.extend(page["data"])
        cursor = page.get("next_cursor")
        if not cursor:
            return spans


def normalize(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": raw.get("id"),
        "name": raw.get("name"),
        "context": {
            "trace_id": raw.get("context", {}).get("trace_id"),
            "span_id": raw.get("context", {}).get("span_id"),
        },
        "parent_id": raw.get("parent_id"),
        "span_kind": raw.get("span_kind"),
        "status": {"code": raw.get("status_code"), "message": raw.get("status_message", "")},
        "start_time": raw.get("start_time"),
        "end_time": raw.get("end_time"),
        "attributes": raw.get("attributes", {}),
        "events": raw.get("events", []),
    }


_TOKEN_FIELDS = (
    "spanKind tokenCountPrompt tokenCountCompletion tokenCountTotal "
    "cumulativeTokenCountPrompt cumulativeTokenCountCompletion cumulativeTokenCountTotal"
)


def _int_or_none(value: Any) -> Optional[int]:
    return None if value is None else int(value)


def add_cumulative(base: str, spans: list[dict[str, Any]]) -> None:
    """Adds Phoenix's own view of each span, from GraphQL: the span kind it stored (normalized:
    upper-cased, UNKNOWN for a value it does not know) and its own and cumulative token counts."""
    for start in range(0, len(spans), 100):
        chunk = spans[start:start + 100]
        fields = " ".join(
            f's{i}: node(id: {json.dumps(span["id"])}) {{ ... on Span {{ {_TOKEN_FIELDS} }} }}'
            for i, span in enumerate(chunk)
        )
        answer = request_json(base, "/graphql", body={"query": f"query {{ {fields} }}"})
        if answer.get("errors"):
            raise RuntimeError(f"GraphQL errors: {answer['errors']}")
        for i, span in enumerate(chunk):
            node = answer["data"][f"s{i}"]
            span["phoenix"] = {
                "span_kind": str(node["spanKind"]).upper(),
                "token_count": {
                    "prompt": _int_or_none(node["tokenCountPrompt"]),
                    "completion": _int_or_none(node["tokenCountCompletion"]),
                    "total": _int_or_none(node["tokenCountTotal"]),
                },
                "cumulative_token_count": {
                    "prompt": _int_or_none(node["cumulativeTokenCountPrompt"]),
                    "completion": _int_or_none(node["cumulativeTokenCountCompletion"]),
                    "total": _int_or_none(node["cumulativeTokenCountTotal"]),
                },
            }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--project", default="default", help="project name or id (default: default)")
    parser.add_argument("--expect-spans", type=int, default=0, metavar="N",
                        help="poll until at least N spans are there (default 0: read once)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to poll (default 30)")
    parser.add_argument("--trace-id", action="append", default=[], metavar="HEX",
                        help="only spans of this trace (repeatable)")
    parser.add_argument("--cumulative", action="store_true",
                        help="add Phoenix's per-span and cumulative token counts (GraphQL)")
    parser.add_argument("--sessions", action="store_true",
                        help="add the project's sessions (GET /v1/projects/{project}/sessions)")
    parser.add_argument("--raw", action="store_true",
                        help="print the spans exactly as the REST API returned them")
    args = parser.parse_args()
    if args.expect_spans < 0 or args.timeout < 0:
        parser.error("--expect-spans and --timeout must not be negative")

    base = f"http://{args.host}:{args.http_port}"
    raw, last_error = poll(
        lambda: fetch_raw_spans(base, args.project, args.trace_id),
        lambda spans: len(spans) >= args.expect_spans,
        args.timeout,
        empty=[],
        missing_is_empty=True,  # the project does not exist yet: no spans so far
    )

    if last_error is not None:
        log(f"error: {last_error}")
        return 1

    try:
        spans = raw if args.raw else [normalize(s) for s in raw]
        result: dict[str, Any] = {"project": args.project, "count": len(spans), "spans": spans}
        if args.cumulative:
            add_cumulative(base, spans)
        if args.sessions:
            path = f"/v1/projects/{urllib.parse.quote(args.project, safe='')}/sessions"
            try:
                result["sessions"] = request_json(base, path, [("limit", "1000")])["data"]
            except NotFound:
                result["sessions"] = []
    except READ_ERRORS as error:
        log(f"error: {error}")
        return 1

    json.dump(result, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
    if len(raw) < args.expect_spans:
        log(f"timeout: {len(raw)} of {args.expect_spans} expected spans after {args.timeout:g}s")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
