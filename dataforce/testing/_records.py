"""What the stand-in remembers for a test to inspect: requests received, spec violations
(its own answers), request violations (the client's requests).

Both are immutable values, appended under one lock by :class:`Journal` from the serving
threads and copied out on read, so a test can hold a list while the server keeps serving.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

__all__ = [
    "Journal",
    "RecordedRequest",
    "RequestViolation",
    "ResponseValidationError",
    "SpecViolation",
]


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received, in arrival order, whatever it was answered.

    ``path`` is the raw (still percent-encoded) path without the query string, ``query``
    the raw query string without ``?``, ``headers`` maps lower-cased header names to values
    (a repeated header's values joined with ``,``) and ``body`` holds the exact bytes
    received (de-chunked when sent with ``Transfer-Encoding: chunked``).
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)

    @property
    def query_params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)


@dataclass(frozen=True)
class SpecViolation:
    """A response the server sent (or was about to send) that its spec does not allow.

    Also recorded for an unhandled exception inside the stand-in itself: both mean the
    server, not the client under test, misbehaved, and both make the pytest fixture fail.
    A record, not an exception: nothing raises it.
    """

    method: str
    path: str
    operation_id: str | None
    status: int
    problems: tuple[str, ...]
    body: bytes

    def __str__(self) -> str:
        op = f" ({self.operation_id})" if self.operation_id else ""
        listed = "; ".join(self.problems)
        return f"{self.method} {self.path}{op} -> {self.status}: {listed}"


ResponseValidationError = SpecViolation
"""The former name of :class:`SpecViolation`, kept so that existing imports still work."""


@dataclass(frozen=True)
class RequestViolation:
    """A request of the client under test that the spec does not allow: to a path or with
    a method it does not document (``operation_id`` None), or whose parameters or body
    break the operation's schema. The server answered it as the service would (404, 405,
    307, 422); this record is what tells a client that swallows errors that it was wrong.

    ``problems`` name where (``$.members[0].role`` in the body, ``path parameter
    orbit_id``) and what the spec requires, in the service's words.
    """

    method: str
    path: str
    operation_id: str | None
    problems: tuple[str, ...]

    def __str__(self) -> str:
        op = f" ({self.operation_id})" if self.operation_id else ""
        return f"{self.method} {self.path}{op}: {'; '.join(self.problems)}"


class Journal:
    """The request log and the violations, shared by every serving thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._violations: list[SpecViolation] = []
        self._request_violations: list[RequestViolation] = []

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def violation(self, violation: SpecViolation) -> None:
        with self._lock:
            self._violations.append(violation)

    def request_violation(self, violation: RequestViolation) -> None:
        with self._lock:
            self._request_violations.append(violation)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def violations(self) -> list[SpecViolation]:
        with self._lock:
            return list(self._violations)

    @property
    def request_violations(self) -> list[RequestViolation]:
        with self._lock:
            return list(self._request_violations)

    def clear_request_violations(self) -> None:
        with self._lock:
            self._request_violations.clear()

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def clear_violations(self) -> None:
        with self._lock:
            self._violations.clear()
