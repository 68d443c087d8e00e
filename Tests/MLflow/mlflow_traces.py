#!/usr/bin/env python3
"""Reads traces back from a running MLflow tracking server through its REST API, prints them as JSON.

    mlflow_traces.py --http-port P --experiment-id E [--expect-spans N] [--expect-traces T]
                     [--timeout S] [--trace-id HEX ...] [--raw]

Standard library only (any python3 runs it). Polls until the experiment holds at least T traces with
at least N spans in all (MLflow writes what it receives over OTLP/HTTP before the export call
returns, so in practice the first read already sees it), then prints one JSON object on stdout:

    {"experiment_id": "1", "trace_count": 1, "span_count": 3, "traces": [<trace>, ...]}

traces oldest first, each <trace> as

    {"trace_id": "<32 hex>",                  the OTel trace id as sent
     "mlflow_trace_id": "tr-<32 hex>",        MLflow's id of it ("tr-" + the OTel trace id)
     "state": "OK" | "ERROR" | "IN_PROGRESS", from the root span's status; IN_PROGRESS = no root yet
     "request_time": "2026-01-01T12:00:00.123Z", "execution_duration": "0.005s",
     "trace_metadata": {...}, "tags": {...},  MLflow's own (e.g. mlflow.trace.tokenUsage, service.name)
     "spans": [<span>, ...]}                  sorted by start time

and each <span> as

    {"name": "llm", "trace_id": "<32 hex>", "span_id": "<16 hex>", "parent_id": "<16 hex>" | null,
     "status": {"code": "OK" | "ERROR" | "UNSET", "message": ""},
     "start_time_unix_nano": 1767268800123456789, "end_time_unix_nano": ...,
     "attributes": {"llm.model_name": "gpt-4o", "llm.token_count.prompt": 12, ...},
     "events": [{"name": ..., "time_unix_nano": ..., "attributes": {...}}]}

Attribute values come back typed (str, int, float, bool, list, dict for a kvlist); see the notes.
With --raw, each trace is {"trace_info": <as search returned it>, "trace": <as get returned it>}.

Exit status: 0 when the expectation was met, 3 when the timeout passed first (the JSON of what was
found is still printed), 1 on an HTTP or connection error that outlasted the timeout, 2 on usage.

The REST calls (MLflow 3.17.2, mlflow/server/handlers.py):

    POST /api/3.0/mlflow/traces/search
         {"locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "1"}}],
          "max_results": 500, "order_by": ["timestamp_ms ASC"], "page_token": "<next_page_token>"}
      -> 200 {"traces": [<TraceInfo>, ...], "next_page_token": "..."}   (no key when empty/last)
         <TraceInfo> = {"trace_id": "tr-<hex>", "trace_location": {"type": "MLFLOW_EXPERIMENT",
           "mlflow_experiment": {"experiment_id": "1"}}, "request_time": "<RFC 3339>",
           "execution_duration": "0.005s", "state": "OK", "trace_metadata": {...}, "tags": {...}}
         (max_results is capped at 500; "filter": "<search expression>" narrows it down)
    GET  /api/3.0/mlflow/traces/get?trace_id=tr-<hex>&allow_partial=true
      -> 200 {"trace": {"trace_info": <TraceInfo>, "spans": [<OTLP Span as proto JSON>, ...]}}
         <OTLP Span> = {"trace_id": "<base64>", "span_id": "<base64>", "parent_span_id": "<base64>",
           "name": "child", "start_time_unix_nano": 1767..., "end_time_unix_nano": 1767...,
           "attributes": [{"key": "k", "value": {"string_value": "v"}}, ...],
           "status": {"code": "STATUS_CODE_ERROR", "message": "boom"} ({} when UNSET),
           "events": [...]}
      -> 404 {"error_code": "RESOURCE_DOES_NOT_EXIST", ...} for an unknown trace id
         Without allow_partial=true the server itself retries (sleeping 1 s + 2 s) while the trace
         is IN_PROGRESS (root span not received yet) and then answers 404 "not fully exported yet".

Notes (what MLflow does to what it received over OTLP):
  * ids are base64 in the span JSON (protobuf's JSON mapping of bytes) and hex nowhere but in
    MLflow's trace id "tr-<32 hex>"; this script turns them into lowercase hex.
  * MLflow stores every attribute as a JSON string and decodes it again on the way out, so int,
    float, bool and array types survive. But a *string* attribute whose text is itself a JSON
    object, array or string ('{"a": 1}', '[1, 2]', '"x"') comes back parsed (a dict / list / str:
    mlflow/tracing/otel/translation sanitize_attributes strips what it takes for double encoding);
    strings like "42" or "true" stay strings.
  * MLflow adds attributes: "mlflow.traceRequestId" (= the "tr-..." id) on every span; for
    attributes it recognizes (OpenInference, GenAI semconv, ...) "mlflow.spanInputs" /
    "mlflow.spanOutputs" (from input.value / output.value), "mlflow.llm.model" (from
    llm.model_name), "mlflow.chat.tokenUsage" (a kvlist {"input_tokens", "output_tokens",
    "total_tokens"} from llm.token_count.* / gen_ai.usage.*) on the span, and
    "mlflow.trace.tokenUsage" (a JSON string, summed) in the trace's trace_metadata.
  * span kind and the resource are not kept per span (resource attributes such as service.name end
    up as trace tags).
  * spans sent for a trace id that already exists are added to that trace, even when the export
    named another experiment; a span sent twice (same span id) is stored once.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Backends"))
from backend_api import NotFound, poll, request_json  # noqa: E402

PROG = "mlflow_traces"
PAGE_LIMIT = 500  # the search endpoint's maximum


def log(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def search_trace_infos(base: str, experiment_id: str) -> list[dict[str, Any]]:
    """Every trace of the experiment (following next_page_token), oldest first."""
    infos: list[dict[str, Any]] = []
    token: Optional[str] = None
    while True:
        body: dict[str, Any] = {
            "locations": [
                {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": experiment_id}}
            ],
            "max_results": PAGE_LIMIT,
            "order_by": ["timestamp_ms ASC"],
        }
        if token:
            body["page_token"] = token
        page = request_json(base, "/api/3.0/mlflow/traces/search", body=body)
        infos.extend(page.get("traces", []))
        token = page.get("next_page_token")
        if not token:
            return infos


def get_trace(base: str, mlflow_trace_id: str) -> dict[str, Any]:
    return request_json(
        base,
        "/api/3.0/mlflow/traces/get",
        {"trace_id": mlflow_trace_id, "allow_partial": "true"},
    )["trace"]


# ---------------------------------------------------------------------------------------------
# Normalization


def _b64_to_hex(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    return base64.b64decode(value).hex()


def decode_any_value(value: dict[str, Any]) -> Any:
    """An OTLP AnyValue in protobuf JSON form ({"string_value": "x"} ...) as a plain value."""
    if "string_value" in value:
        return value["string_value"]
    if "bool_value" in value:
        return bool(value["bool_value"])
    if "int_value" in value:
        return int(value["int_value"])  # int64: a number here, a string in canonical proto JSON
    if "double_value" in value:
        return float(value["double_value"])
    if "array_value" in value:
        return [decode_any_value(v) for v in value["array_value"].get("values", [])]
    if "kvlist_value" in value:
        return {kv["key"]: decode_any_value(kv.get("value", {}))
                for kv in value["kvlist_value"].get("values", [])}
    if "bytes_value" in value:
        return value["bytes_value"]  # base64, as it came
    return None


def decode_attributes(attributes: list[dict[str, Any]]) -> dict[str, Any]:
    return {a["key"]: decode_any_value(a.get("value", {})) for a in attributes}


_STATUS = {"STATUS_CODE_OK": "OK", "STATUS_CODE_ERROR": "ERROR", "STATUS_CODE_UNSET": "UNSET",
           1: "OK", 2: "ERROR", 0: "UNSET"}


def normalize_span(raw: dict[str, Any]) -> dict[str, Any]:
    status = raw.get("status", {})
    return {
        "name": raw.get("name"),
        "trace_id": _b64_to_hex(raw.get("trace_id")),
        "span_id": _b64_to_hex(raw.get("span_id")),
        "parent_id": _b64_to_hex(raw.get("parent_span_id")),
        "status": {"code": _STATUS.get(status.get("code", 0), str(status.get("code"))),
                   "message": status.get("message", "")},
        "start_time_unix_nano": int(raw.get("start_time_unix_nano", 0)),
        "end_time_unix_nano": int(raw.get("end_time_unix_nano", 0)),
        "attributes": decode_attributes(raw.get("attributes", [])),
        "events": [
            {"name": e.get("name"), "time_unix_nano": int(e.get("time_unix_nano", 0)),
             "attributes": decode_attributes(e.get("attributes", []))}
            for e in raw.get("events", [])
        ],
    }


def normalize_trace(info: dict[str, Any], trace: dict[str, Any]) -> dict[str, Any]:
    full_info = trace.get("trace_info", info)
    spans = sorted((normalize_span(s) for s in trace.get("spans", [])),
                   key=lambda s: (s["start_time_unix_nano"], s["span_id"] or ""))
    mlflow_id = full_info.get("trace_id", info.get("trace_id"))
    otel_id = spans[0]["trace_id"] if spans else None
    if otel_id is None and isinstance(mlflow_id, str) and mlflow_id.startswith("tr-"):
        otel_id = mlflow_id[3:]
    return {
        "trace_id": otel_id,
        "mlflow_trace_id": mlflow_id,
        "state": full_info.get("state"),
        "request_time": full_info.get("request_time"),
        "execution_duration": full_info.get("execution_duration"),
        "trace_metadata": full_info.get("trace_metadata", {}),
        "tags": full_info.get("tags", {}),
        "spans": spans,
    }


# ---------------------------------------------------------------------------------------------


def read_all(base: str, experiment_id: str, trace_ids: list[str], raw: bool) -> list[dict[str, Any]]:
    infos = search_trace_infos(base, experiment_id)
    if trace_ids:
        wanted = {f"tr-{t.lower()}" for t in trace_ids}
        infos = [i for i in infos if i.get("trace_id") in wanted]
    traces = []
    for info in infos:
        try:
            trace = get_trace(base, info["trace_id"])
        except NotFound:
            continue  # deleted between search and get
        traces.append({"trace_info": info, "trace": trace} if raw else normalize_trace(info, trace))
    return traces


def span_count(traces: list[dict[str, Any]], raw: bool) -> int:
    if raw:
        return sum(len(t["trace"].get("spans", [])) for t in traces)
    return sum(len(t["spans"]) for t in traces)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--experiment-id", required=True, help="e.g. from create_experiment.py")
    parser.add_argument("--expect-spans", type=int, default=0, metavar="N",
                        help="poll until the traces hold at least N spans in all (default 0)")
    parser.add_argument("--expect-traces", type=int, default=0, metavar="T",
                        help="poll until there are at least T traces (default 0)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to poll (default 30)")
    parser.add_argument("--trace-id", action="append", default=[], metavar="HEX",
                        help="only this trace (32 hex OTel trace id; repeatable)")
    parser.add_argument("--raw", action="store_true",
                        help="print trace info and trace exactly as the REST API returned them")
    args = parser.parse_args()
    if args.expect_spans < 0 or args.expect_traces < 0 or args.timeout < 0:
        parser.error("--expect-spans, --expect-traces and --timeout must not be negative")
    for t in args.trace_id:
        try:
            if len(bytes.fromhex(t)) != 16:
                raise ValueError
        except ValueError:
            parser.error(f"--trace-id {t!r} is not 32 hex digits")

    base = f"http://{args.host}:{args.http_port}"
    traces, last_error = poll(
        lambda: read_all(base, args.experiment_id, args.trace_id, args.raw),
        lambda traces: len(traces) >= args.expect_traces
        and span_count(traces, args.raw) >= args.expect_spans,
        args.timeout,
        empty=[],
    )

    if last_error is not None:
        log(f"error: {last_error}")
        return 1

    spans = span_count(traces, args.raw)
    result = {"experiment_id": args.experiment_id, "trace_count": len(traces),
              "span_count": spans, "traces": traces}
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if len(traces) < args.expect_traces or spans < args.expect_spans:
        log(f"timeout: {len(traces)} of {args.expect_traces} expected traces and {spans} of "
            f"{args.expect_spans} expected spans after {args.timeout:g}s")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
