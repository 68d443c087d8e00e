#!/usr/bin/env python3
"""Creates an MLflow experiment (or finds the one of that name) and prints its id on stdout.

    create_experiment.py --http-port P --name NAME [--host 127.0.0.1]

Standard library only (any python3 runs it). The id is what an OTLP/HTTP exporter sends in the
`x-mlflow-experiment-id` header of POST /v1/traces, and what Tests/MLflow/mlflow_traces.py reads back.

REST calls (MLflow 3.17.2, mlflow/server/handlers.py):

    POST /api/2.0/mlflow/experiments/create   {"name": "NAME"}
      -> 200 {"experiment_id": "1"}
      -> 400 {"error_code": "RESOURCE_ALREADY_EXISTS", "message": "Experiment(name=NAME) already
             exists. ...", ...} when the name is taken (also by a deleted experiment), then:
    GET  /api/2.0/mlflow/experiments/get-by-name?experiment_name=NAME
      -> 200 {"experiment": {"experiment_id": "1", "name": "NAME", "lifecycle_stage": "active", ...}}

Experiment ids are decimal strings; "0" is the "Default" experiment every new database has.

Exit status: 0 with the id printed, 1 on an HTTP or connection error, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional

PROG = "create_experiment"


class HTTPFailure(Exception):
    def __init__(self, code: int, body: dict[str, Any], text: str) -> None:
        super().__init__(f"HTTP {code}: {text[:500]}")
        self.code = code
        self.body = body


def request(base: str, path: str, body: Optional[dict[str, Any]] = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = {}
        raise HTTPFailure(error.code, parsed if isinstance(parsed, dict) else {}, text) from error


def create_or_get(base: str, name: str) -> str:
    try:
        return str(request(base, "/api/2.0/mlflow/experiments/create", {"name": name})["experiment_id"])
    except HTTPFailure as error:
        if error.body.get("error_code") != "RESOURCE_ALREADY_EXISTS":
            raise
    query = urllib.parse.urlencode({"experiment_name": name})
    experiment = request(base, f"/api/2.0/mlflow/experiments/get-by-name?{query}")["experiment"]
    if experiment.get("lifecycle_stage") != "active":
        raise RuntimeError(f"experiment {name!r} exists but is {experiment.get('lifecycle_stage')}")
    return str(experiment["experiment_id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--name", required=True, help="experiment name")
    args = parser.parse_args()
    if not args.name.strip():
        parser.error("--name must not be empty")
    try:
        experiment_id = create_or_get(f"http://{args.host}:{args.http_port}", args.name)
    except (HTTPFailure, RuntimeError, urllib.error.URLError, OSError, ValueError, KeyError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    print(experiment_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
