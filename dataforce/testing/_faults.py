"""Injected faults: which request one applies to, and the one place deciding what it does.

A fault (:class:`InjectedFault`, queued by ``LocalDataForce.inject_fault``) turns into an
ordered list of small composable effects (:func:`plan`), in the spirit of
pytest-httpserver's response hooks. Every request, faulty or not, runs through such a list
(:func:`run`); a request without a fault runs just ``[Handle()]``. The order is::

    Handle()            only with after_handling: the service acts first (an orbit is stored)
    Delay(seconds)      sleep; cut short (and the connection dropped) when the server stops
    Drop()              close the connection without an answer
    Truncate(...)       malformed: the real answer cut in half, or a truncated JSON body
      or Replace(...)   status: that status with the given or the status's usual body
    Validate()          only with validate_response: check the injected answer
    AddHeader(...)      Retry-After, on whatever answer goes out
    Handle()            answer with the service unless something above already answered

so that "before" and "after handling" are the same misbehaviour with ``Handle`` moved.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dataforce.testing._answers import (
    JSON,
    MALFORMED_JSON,
    Answer,
    default_body,
    encode_body,
)
from dataforce.testing._records import RecordedRequest

__all__ = ["Exchange", "FaultQueue", "InjectedFault", "make_fault", "plan", "run"]


@dataclass(eq=False)
class InjectedFault:
    """A fault queued with :meth:`LocalDataForce.inject_fault`; ``hits`` counts its uses."""

    method: str | None
    path: str | re.Pattern[str] | None
    times: int | None
    status: int | None
    body: Any
    content_type: str | None
    retry_after: str | None
    delay: float
    drop: bool
    malformed: bool
    after_handling: bool
    validate_response: bool
    hits: int = 0

    @property
    def remaining(self) -> int | None:
        """Uses left; ``None`` for a fault that applies until cleared."""
        return None if self.times is None else max(0, self.times - self.hits)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path is None:
            return True
        if isinstance(self.path, re.Pattern):
            return self.path.search(path) is not None
        return fnmatch.fnmatchcase(path, self.path)


def make_fault(
    method: str | None,
    path: str | re.Pattern[str] | None,
    *,
    times: int | None,
    status: int | None,
    body: Any,
    content_type: str | None,
    retry_after: float | str | None,
    delay: float,
    drop: bool,
    malformed: bool,
    after_handling: bool,
    validate_response: bool,
) -> InjectedFault:
    """A checked :class:`InjectedFault` (``ValueError`` for a fault that makes no sense)."""
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for every matching request)")
    if status is not None and not 100 <= status <= 599:
        raise ValueError(f"status must be an HTTP status code, got {status}")
    if drop and (status is not None or malformed or body is not None):
        raise ValueError("drop closes the connection: it cannot also answer a status or body")
    if delay < 0:
        raise ValueError("delay must not be negative")
    if body is not None:
        try:
            encode_body(body)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"body must be bytes, str or JSON-serialisable: {exc}") from None
        if status is None and not malformed:
            status = 200
    if not (drop or malformed or delay or status is not None):
        raise ValueError("the fault does nothing: give status, delay, drop or malformed")
    return InjectedFault(
        method=method.upper() if method else None,
        path=path,
        times=times,
        status=status,
        body=body,
        content_type=content_type,
        retry_after=None if retry_after is None else _retry_after_value(retry_after),
        delay=float(delay),
        drop=drop,
        malformed=malformed,
        after_handling=after_handling,
        validate_response=validate_response,
    )


def _retry_after_value(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


class FaultQueue:
    """Pending faults in the order they were injected; the first match applies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[InjectedFault] = []

    def add(self, fault: InjectedFault) -> InjectedFault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> InjectedFault | None:
        """The fault for this request (counting the use, dropping a used-up fault)."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    @property
    def pending(self) -> list[InjectedFault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


# -- the pipeline ----------------------------------------------------------------------------


@dataclass
class Exchange:
    """One request on its way through the effects, and what it will be answered."""

    request: RecordedRequest
    service: Callable[[RecordedRequest], Answer]  # the service's (checked) answer
    check: Callable[[RecordedRequest, Answer], Answer]  # response validation
    stopping: threading.Event
    answer: Answer | None = None
    dropped: bool = False
    headers: dict[str, str] = field(default_factory=dict)


Effect = Callable[[Exchange], None]


@dataclass(frozen=True)
class Handle:
    def __call__(self, exchange: Exchange) -> None:
        if exchange.answer is None:
            exchange.answer = exchange.service(exchange.request)


@dataclass(frozen=True)
class Delay:
    seconds: float

    def __call__(self, exchange: Exchange) -> None:
        if exchange.stopping.wait(self.seconds):  # the server is stopping: give up
            exchange.dropped = True


@dataclass(frozen=True)
class Drop:
    def __call__(self, exchange: Exchange) -> None:
        exchange.dropped = True


@dataclass(frozen=True)
class Replace:
    status: int
    body: Any
    content_type: str | None

    def __call__(self, exchange: Exchange) -> None:
        if self.body is None:
            body, content_type = default_body(self.status)
        else:
            body, content_type = encode_body(self.body)
        exchange.answer = Answer(self.status, body, self.content_type or content_type)


@dataclass(frozen=True)
class Truncate:
    status: int | None
    content_type: str | None

    def __call__(self, exchange: Exchange) -> None:
        real = exchange.answer
        content_type = self.content_type or JSON
        if real is not None and self.status is None:  # after handling: cut the real answer
            body = real.body[: len(real.body) // 2] if real.body else b'{"'
            status = real.status if 200 <= real.status < 300 and real.status != 204 else 200
            exchange.answer = Answer(status, body, content_type)
        else:
            exchange.answer = Answer(self.status or 200, MALFORMED_JSON, content_type)


@dataclass(frozen=True)
class Validate:
    def __call__(self, exchange: Exchange) -> None:
        if exchange.answer is not None:
            exchange.answer = exchange.check(exchange.request, exchange.answer)


@dataclass(frozen=True)
class AddHeader:
    name: str
    value: str

    def __call__(self, exchange: Exchange) -> None:
        exchange.headers[self.name] = self.value


def plan(fault: InjectedFault | None) -> list[Effect]:
    """The ordered effects for a request with ``fault`` (None: just the service's answer)."""
    if fault is None:
        return [Handle()]
    effects: list[Effect] = []
    if fault.after_handling:
        effects.append(Handle())
    if fault.delay:
        effects.append(Delay(fault.delay))
    if fault.drop:
        effects.append(Drop())
    if fault.malformed:
        effects.append(Truncate(fault.status, fault.content_type))
    elif fault.status is not None:
        effects.append(Replace(fault.status, fault.body, fault.content_type))
    if fault.validate_response:
        effects.append(Validate())
    if fault.retry_after is not None:
        effects.append(AddHeader("Retry-After", fault.retry_after))
    effects.append(Handle())
    return effects


def run(effects: Sequence[Effect], exchange: Exchange) -> Answer | None:
    """Apply ``effects`` in order; the answer to send, or None to drop the connection."""
    for effect in effects:
        effect(exchange)
        if exchange.dropped:
            return None
    answer = exchange.answer
    assert answer is not None  # every plan ends with Handle()
    answer.headers.update(exchange.headers)
    return answer
