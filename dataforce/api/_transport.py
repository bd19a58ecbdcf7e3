"""How one API call is sent: retries, backoff, error mapping and logging — without I/O.

The policy is written once, as generators that *yield* what they need done (send this
request, sleep this long) and receive the outcome. The sync and async clients drive the
same generators; they differ only in how they wait (``time.sleep`` vs ``asyncio.sleep``,
``Client.send`` vs ``await AsyncClient.send``). See ``_client.py`` for the drivers.

Retry policy (also in the README):

* Retried for every call: connection failures, timeouts on reads, 408, 429, 502, 503, 504.
* Reads (GET) are also retried on 500.
* ``create`` is not idempotent — the service has no idempotency keys and allows duplicate
  names — so it is retried only when the request provably never reached the service (the
  connection could not be opened) or the service said so (429/503 with ``Retry-After``).
  Never after a read timeout, a dropped connection or a 5xx to a sent request.
* Exponential backoff with jitter, capped at :data:`MAX_RETRY_DELAY`; ``Retry-After``
  (seconds or HTTP date) is honoured up to :data:`MAX_RETRY_AFTER`, and never waits less
  than the backoff would (a ``Retry-After: 0`` or a date in the past must not turn the
  retries into a tight loop).

Each attempt is bounded end to end by the client's timeout (see ``_attempt``), so a call
lasts at most ``(max_retries + 1) * timeout + max_retries * MAX_RETRY_AFTER`` seconds.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import time
from collections.abc import Generator
from http import HTTPStatus
from typing import Any, Final, Protocol, TextIO

import httpx

from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    EndpointNotFoundError,
    describe_detail,
    status_error_class,
)
from ._nesting import loads as strict_loads

logger = logging.getLogger("dataforce")

DEFAULT_MAX_RETRIES: Final = 2
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
MAX_RETRY_AFTER: Final = 60.0

_STANDARD_REASONS: Final = {status.value: status.phrase for status in HTTPStatus}
_RETRYABLE_STATUSES: Final = frozenset({408, 429, 502, 503, 504})
# Failures that happen before a byte of the request reached the service.
_NEVER_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Call:
    """One HTTP request to make, and what the caller needs to know to retry it."""

    __slots__ = ("deletes", "idempotent", "json", "method", "not_found_ok", "path")

    def __init__(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        idempotent: bool = True,
        not_found_ok: bool = False,
        deletes: bool = False,
    ) -> None:
        self.method = method
        self.path = path
        self.json = json
        self.idempotent = idempotent
        #: A 404 is an answer, not an error: :func:`execute` returns :data:`NOT_FOUND`.
        self.not_found_ok = not_found_ok
        #: The call deletes what its path names: a 404 to a retry after an attempt that
        #: may have reached the service is that attempt's success, its answer lost.
        self.deletes = deletes


class Sleep:
    """Ask the driver to wait ``seconds`` before resuming the flow."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class _NotFound:
    def __repr__(self) -> str:
        return "NOT_FOUND"


#: What :func:`execute` returns for a 404 when the call allows it (``not_found_ok``).
NOT_FOUND: Final = _NotFound()

#: What a flow yields, and what the driver sends back for a :class:`Call`: the response
#: or the transport error it raised. (For a :class:`Sleep` the driver sends ``None``.)
Step = Call | Sleep
Outcome = httpx.Response | httpx.RequestError | None
Flow = Generator[Step, Outcome, Any]


class SendOptions(Protocol):
    """What :func:`execute` needs of a client's options."""

    @property
    def base_url(self) -> str: ...

    @property
    def max_retries(self) -> int: ...

    @property
    def request_log_level(self) -> int: ...

    @property
    def via_proxy(self) -> str:
        """What a connection error's message adds when requests go through a proxy."""
        ...

    def redact(self, text: str) -> str:
        """``text`` without the API key (a server may echo it back)."""
        ...


def request_log_level() -> int:
    """``DFS_LOG=info|debug`` logs each request at INFO; otherwise at DEBUG only."""
    verbose = os.environ.get("DFS_LOG", "").lower() in ("info", "debug")
    return logging.INFO if verbose else logging.DEBUG


def configure_logging_from_env() -> None:
    """Honour ``DFS_LOG``: set the ``dataforce`` logger's level, and give it a stderr
    handler for programs that configured no logging of their own."""
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        os.environ.get("DFS_LOG", "").lower()
    )
    if level is None or any(isinstance(h, _FallbackHandler) for h in logger.handlers):
        return
    handler = _FallbackHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


class _FallbackHandler(logging.StreamHandler[TextIO]):
    """``DFS_LOG``'s stderr handler, which writes a record only when no other handler
    would: an application that configured logging (``logging.basicConfig()``, before or
    after the client was made) gets each record once, through its own handlers and
    format, instead of once from each."""

    def emit(self, record: logging.LogRecord) -> None:
        if not _handled_elsewhere(self):
            super().emit(record)


def _handled_elsewhere(ours: logging.Handler) -> bool:
    """Whether a record of the ``dataforce`` logger reaches a handler other than ``ours``
    (the walk ``Logger.callHandlers`` makes)."""
    current: logging.Logger | None = logger
    while current is not None:
        if any(handler is not ours for handler in current.handlers):
            return True
        if not current.propagate:
            return False
        current = current.parent
    return False


def execute(call: Call, options: SendOptions) -> Generator[Step, Outcome, Any]:
    """Send ``call`` until it succeeds or the policy gives up.

    Returns the 2xx response, its body read (the caller decodes it: see ``_models``), or
    :data:`NOT_FOUND` for a 404 when ``call.not_found_ok`` (or ``call.deletes`` and an
    earlier attempt may have reached the service). Raises the SDK's typed errors
    otherwise.
    """
    attempt, max_retries, log_level = 0, options.max_retries, options.request_log_level
    # Whether an attempt whose answer was lost or is unknown may have acted on the call.
    may_have_acted = False
    while True:
        logged = logger.isEnabledFor(log_level)
        started = time.perf_counter() if logged else 0.0
        outcome = yield call
        if logged:
            _log_attempt(log_level, call, outcome, attempt, time.perf_counter() - started)
        if isinstance(outcome, httpx.Response):
            if outcome.status_code < 300:
                return _decode_success(call, outcome)
            delay = _delay_after_status(call, outcome, attempt, max_retries)
            if delay is None:
                return _decode_failure(call, outcome, options, may_have_acted)
            # A 5xx (a proxy's 502/504 among them) does not say the service did nothing;
            # a 408 or 429 does.
            may_have_acted = may_have_acted or outcome.status_code >= 500
            reason = f"status {outcome.status_code}"
        else:
            assert outcome is not None
            delay = _delay_after_error(call, outcome, attempt, max_retries)
            if delay is None:
                raise _transport_error(call, outcome, options) from None
            may_have_acted = may_have_acted or not isinstance(outcome, _NEVER_SENT)
            reason = type(outcome).__name__
        attempt += 1
        logger.info(
            "retrying %s %s after %s in %.2fs (retry %d of %d)",
            call.method,
            call.path,
            reason,
            delay,
            attempt,
            max_retries,
        )
        yield Sleep(delay)


def _delay_after_status(
    call: Call, response: httpx.Response, attempt: int, max_retries: int
) -> float | None:
    if attempt >= max_retries:
        return None
    status = response.status_code
    retry_after = _retry_after(response)
    if not call.idempotent:
        # The service saw this request; only its own word makes a retry safe.
        if status in (429, 503) and retry_after is not None:
            return max(retry_after, _backoff(attempt))
        return None
    if status in _RETRYABLE_STATUSES or (status == 500 and call.method == "GET"):
        backoff = _backoff(attempt)
        return backoff if retry_after is None else max(retry_after, backoff)
    return None


def _delay_after_error(
    call: Call, error: httpx.RequestError, attempt: int, max_retries: int
) -> float | None:
    if attempt >= max_retries or not isinstance(error, httpx.TransportError):
        return None
    if call.idempotent or isinstance(error, _NEVER_SENT):
        return _backoff(attempt)
    return None


# Past this many doublings the delay is at its cap anyway; 2**attempt for a huge attempt
# number would overflow a float.
_MAX_DOUBLINGS: Final = 16


def _backoff(attempt: int) -> float:
    # Full-range jitter in the upper half keeps concurrent clients from retrying in step.
    delay: float = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2 ** min(attempt, _MAX_DOUBLINGS))
    return delay * (0.5 + random.random() / 2)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            # A year or zone offset beyond what a datetime holds: ignored, not raised.
            return None
        try:
            seconds = when.timestamp() - time.time()
        except (OverflowError, OSError, ValueError):
            return None
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _decode_success(call: Call, response: httpx.Response) -> httpx.Response:
    # Decoding is the caller's: it knows which model the body must match (``_models``).
    return response


#: The body of the 404 the service's framework answers for a path it has no route for;
#: the API's own 404s name what was not found (``Orbit not found``).
_NO_ROUTE_DETAIL: Final = "Not Found"


def _decode_failure(
    call: Call, response: httpx.Response, options: SendOptions, may_have_acted: bool = False
) -> Any:
    status = response.status_code
    no_route = status == 404 and _is_no_route(response)
    if status == 404 and not no_route and (call.not_found_ok or (call.deletes and may_have_acted)):
        return NOT_FOUND
    from ._response import request_id_of, safe_headers

    body = _error_body(response, options)
    reason = _STANDARD_REASONS.get(status) or response.reason_phrase or "error"
    headers = safe_headers(response.headers, options)
    fields: dict[str, Any] = {
        "status_code": status,
        "method": call.method,
        "path": call.path,
        "body": body,
        "detail": options.redact(describe_detail(body, reason)),
        "headers": headers,
        "request_id": request_id_of(headers),
    }
    if no_route:
        raise EndpointNotFoundError(url=options.base_url + call.path, **fields)
    raise status_error_class(status)(**fields)


def _is_no_route(response: httpx.Response) -> bool:
    """Whether a 404 is the framework's "no such path" rather than the API's answer."""
    content = response.content
    if len(content) > 64 or b"Not Found" not in content:  # most 404s stop here
        return False
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return False
    return isinstance(body, dict) and body == {"detail": _NO_ROUTE_DETAIL}


def _error_body(response: httpx.Response, options: SendOptions) -> Any:
    """The error's body, decoded if it is JSON, with the API key taken out of it."""
    if not response.content:
        return None
    text = options.redact(response.text)
    try:
        # Strict and bounded (``_nesting``): a body nested too deep, or holding NaN, is
        # kept as the text it is.
        body = strict_loads(text)
    except (ValueError, RecursionError):
        return text
    # A key escaped in JSON (``\u0064fs_...``) survives the redaction of the text.
    try:
        dumped = json.dumps(body, ensure_ascii=False)
        redacted = options.redact(dumped)
        return body if redacted == dumped else json.loads(redacted)
    except (ValueError, RecursionError):
        return "[the body of this answer is withheld: it could not be redacted]"


def _transport_error(
    call: Call, error: httpx.RequestError, options: SendOptions
) -> APIConnectionError:
    # Only the class name and message of the httpx error are kept, not the error itself:
    # its request object carries the Authorization header.
    kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    message = options.redact(str(error) or type(error).__name__)
    return kind(
        f"{call.method} {call.path} failed{options.via_proxy}: {type(error).__name__}: {message}"
    )


def _log_attempt(level: int, call: Call, outcome: Outcome, attempt: int, duration: float) -> None:
    status = outcome.status_code if isinstance(outcome, httpx.Response) else type(outcome).__name__
    logger.log(
        level,
        "%s %s -> %s in %.1fms (attempt %d)",
        call.method,
        call.path,
        status,
        duration * 1000,
        attempt + 1,
        extra={"method": call.method, "path": call.path, "attempt": attempt + 1},
    )
