"""What the readers of the backends' own APIs share (Tests/Phoenix/phoenix_spans.py,
Tests/MLflow/mlflow_traces.py): one JSON request, and polling until what was sent shows up.
Standard library only."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Optional, Sequence, TypeVar, Union

T = TypeVar("T")

# What a read can fail with while the backend is still ingesting, or for good.
READ_ERRORS = (RuntimeError, urllib.error.URLError, OSError, ValueError, KeyError)


class NotFound(Exception):
    pass


def request_json(
    base: str,
    path: str,
    query: Union[dict[str, str], Sequence[tuple[str, str]], None] = None,
    body: Optional[dict[str, Any]] = None,
) -> Any:
    """GET (or POST with a JSON `body`) `base + path`; the decoded JSON answer. A 404 raises
    NotFound, any other HTTP error RuntimeError with the start of the answer."""
    url = base + path + ("?" + urllib.parse.urlencode(query) if query else "")
    data = None
    headers = {"Accept": "application/json"}
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:500]
        if error.code == 404:
            raise NotFound(f"{url}: {detail}") from error
        method = "POST" if data is not None else "GET"
        raise RuntimeError(f"{method} {url} -> HTTP {error.code}: {detail}") from error


def poll(
    read: Callable[[], T],
    met: Callable[[T], bool],
    timeout: float,
    empty: T,
    missing_is_empty: bool = False,
) -> tuple[T, Optional[str]]:
    """Calls `read` until `met` holds for what it returns, or `timeout` seconds pass (a backend
    stores what it received asynchronously); returns the last value read and the last error, if
    the last read failed. With `missing_is_empty`, NotFound (e.g. a project not created yet)
    reads as `empty` rather than as an error."""
    deadline = time.monotonic() + timeout
    value, last_error = empty, None
    delay = 0.1
    while True:
        try:
            value, last_error = read(), None
        except NotFound as error:
            value, last_error = empty, (None if missing_is_empty else str(error))
        except READ_ERRORS as error:
            last_error = str(error)
        if (last_error is None and met(value)) or time.monotonic() >= deadline:
            return value, last_error
        time.sleep(delay)
        delay = min(delay * 1.5, 1.0)
