"""What ``client.orbits.with_raw_response.<method>(...)`` returns, and the request id.

A :class:`RawResponse` is the final HTTP answer of a call (after any retries) with the
value the plain method returns. It keeps no httpx object: an ``httpx.Request`` carries
the ``Authorization`` header, and a raw response is the kind of object that gets logged.
So it holds copies — the status, the answer's headers, a summary of the request with
the key replaced by ``[redacted]`` — and the value, decoded when the call returned
(the flows decode as they go: ``parse()`` hands that value back, it does not decode).
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import httpx

from ._transport import Call

if TYPE_CHECKING:
    from ._transport import Outcome, SendOptions, Step

__all__ = ["RawResponse", "RequestSummary", "request_id_of"]

T = TypeVar("T")

#: Where a request id is looked for, in this order: ``x-request-id`` is the common
#: convention (OpenAI's too), ``request-id`` Anthropic's and Stripe's.
REQUEST_ID_HEADERS: Final = ("x-request-id", "request-id")
_MAX_REQUEST_ID: Final = 200
_REDACTED: Final = "[redacted]"


def request_id_of(headers: httpx.Headers) -> str | None:
    """The service's id of the request, if it sent one (bounded: it ends up in messages)."""
    for name in REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value[:_MAX_REQUEST_ID]
    return None


def safe_headers(headers: httpx.Headers, options: SendOptions) -> httpx.Headers:
    """``headers`` as they came, unless a value echoes the API key: then a copy with the
    key redacted (a header is as likely to be logged as a body)."""
    redact = options.redact
    if all(redact(value) == value for value in headers.values()):
        return headers
    return httpx.Headers([(name, redact(value)) for name, value in headers.multi_items()])


class RequestSummary:
    """The request a response answers: method, URL and headers, ``Authorization``'s
    value replaced by ``[redacted]``."""

    __slots__ = ("headers", "method", "url")

    def __init__(self, method: str, url: str, headers: httpx.Headers) -> None:
        self.method = method
        self.url = url
        self.headers = headers

    @classmethod
    def of(cls, request: httpx.Request) -> RequestSummary:
        """The summary of ``request``, its credentials redacted."""
        shown = [
            (name, _REDACTED if name.lower() in ("authorization", "proxy-authorization") else value)
            for name, value in request.headers.multi_items()
        ]
        return cls(request.method, str(request.url), httpx.Headers(shown))

    def __repr__(self) -> str:
        return f"RequestSummary(method={self.method!r}, url={self.url!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (RequestSummary, (self.method, self.url, httpx.Headers(self.headers)))


class RawResponse(Generic[T]):
    """The HTTP answer of a call, and the value the method returns (:meth:`parse`).

    Attributes:
        status_code: the final answer's status (after retries; 404 for a ``get`` that
            found nothing, whose :meth:`parse` is ``None``).
        headers: its headers (``httpx.Headers``: case-insensitive).
        http_request: a :class:`RequestSummary` of the request it answers.
        request_id: the ``x-request-id`` (or ``request-id``) header, ``None`` if absent.
        elapsed: from sending the request to the end of the body, for that attempt.
        retries_taken: how many retries the call took before this answer.

    Example:
        >>> response = dfs.orbits.with_raw_response.get("Default Orbit")
        >>> response.status_code, response.retries_taken, response.parse().name
        (200, 0, 'Default Orbit')
    """

    __slots__ = (
        "_value",
        "elapsed",
        "headers",
        "http_request",
        "request_id",
        "retries_taken",
        "status_code",
    )

    def __init__(
        self,
        value: T,
        *,
        status_code: int,
        headers: httpx.Headers,
        http_request: RequestSummary,
        elapsed: timedelta | None,
        retries_taken: int,
    ) -> None:
        self._value = value
        self.status_code = status_code
        self.headers = headers
        self.http_request = http_request
        self.request_id = request_id_of(headers)
        self.elapsed = elapsed
        self.retries_taken = retries_taken

    def parse(self) -> T:
        """What the method itself returns (decoded and checked when the call returned)."""
        return self._value

    def __repr__(self) -> str:
        request = self.http_request
        return (
            f"<RawResponse [{self.status_code}] {request.method} {request.url} "
            f"request_id={self.request_id!r}>"
        )


def recorded(
    flow: Generator[Step, Outcome, T], options: SendOptions
) -> Generator[Step, Outcome, RawResponse[T]]:
    """``flow``, driven as it is, then its last HTTP answer with its value.

    A wrapper around the flow, not a change to the drivers: the plain methods pay
    nothing for raw responses.
    """
    last: httpx.Response | None = None
    outcome: Outcome = None
    call: object = None
    attempts = 0
    try:
        while True:
            step = flow.send(outcome)
            if isinstance(step, Call):
                # A retry yields the same Call again; another request, a new one.
                attempts = attempts + 1 if step is call else 1
                call = step
            outcome = yield step
            if isinstance(outcome, httpx.Response):
                last = outcome
    except StopIteration as done:
        value: T = done.value
    assert last is not None, "every flow sends at least one request"
    try:
        elapsed: timedelta | None = last.elapsed
    except RuntimeError:  # a transport that never closed the response
        elapsed = None
    return RawResponse(
        value,
        status_code=last.status_code,
        headers=safe_headers(last.headers, options),
        http_request=RequestSummary.of(last.request),
        elapsed=elapsed,
        retries_taken=attempts - 1,
    )
