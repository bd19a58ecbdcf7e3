"""A call never outlives its timeout: each attempt is bounded end to end (connect, send,
the whole answer), however slowly a server drips its bytes — sync and async."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from dataforce.api import APITimeoutError

from .conftest import ORBITS_PATH, Connect, FakeService
from .hostile import HostileServer, Received

TIMEOUT = 0.5


def _drip(connection: socket.socket, prefix: bytes, stop: threading.Event) -> None:
    """Send ``prefix``, then one byte every 50 ms until the client goes away."""
    connection.sendall(prefix)
    try:
        while not stop.wait(0.05):
            connection.sendall(b"x" if prefix.endswith(b"\r\n\r\n") else b"X")
    except OSError:
        pass


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def _dripping_body(stop: threading.Event) -> HostileServer:
    def misbehave(connection: socket.socket, request: Received) -> None:
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        _drip(connection, head, stop)

    return HostileServer(misbehave)


def _dripping_headers(stop: threading.Event) -> HostileServer:
    def misbehave(connection: socket.socket, request: Received) -> None:
        _drip(connection, b"HTTP/1.1 200 OK\r\nX-Slow: ", stop)

    return HostileServer(misbehave)


@pytest.mark.parametrize("make", [_dripping_body, _dripping_headers], ids=["body", "headers"])
def test_a_dripping_server_cannot_stretch_an_attempt(
    connect: Connect, stop: threading.Event, make: object
) -> None:
    server = make(stop)  # type: ignore[operator]
    try:
        dfs = connect(base_url=server.url, timeout=TIMEOUT, max_retries=0, ready=False)
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            dfs.orbits.list()
        elapsed = time.monotonic() - started
        assert elapsed < 2 * TIMEOUT
        assert server.paths()[-1] == ("GET", ORBITS_PATH)
    finally:
        server.close()


def test_the_worst_case_of_a_call_follows_from_timeout_and_retries(
    connect: Connect, stop: threading.Event
) -> None:
    # README: at most (max_retries + 1) * timeout + the waits between attempts, each at
    # most the backoff cap (8 s; here 0.25-0.5 s, then 0.5-1 s).
    server = _dripping_body(stop)
    try:
        dfs = connect(base_url=server.url, timeout=0.3, max_retries=2, ready=False)
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            dfs.orbits.list()
        elapsed = time.monotonic() - started
        assert server.paths().count(("GET", ORBITS_PATH)) == 3
        assert elapsed < 3 * 0.3 + 0.5 + 1.0 + 0.5  # the bound, plus scheduling slack
    finally:
        server.close()


@pytest.mark.parametrize("retry_after", ["0", "-1", "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_retry_after_zero_or_past_still_backs_off(
    connect: Connect, service: FakeService, retry_after: str
) -> None:
    dfs = connect()
    before = service.requests.count(("GET", ORBITS_PATH))
    for _ in range(2):
        service.once(ORBITS_PATH).respond_with_data(
            "busy", status=503, headers={"Retry-After": retry_after}
        )
    started = time.monotonic()
    assert len(dfs.orbits.list()) == 1
    elapsed = time.monotonic() - started
    assert service.requests.count(("GET", ORBITS_PATH)) - before == 3
    assert elapsed >= 0.25 + 0.5  # the least the two backoffs wait (jitter: 50-100%)


@pytest.mark.parametrize(
    "retry_after",
    [
        "Fri, 01 Jan 99999 00:00:00 GMT",
        "Fri, 01 Jan 99999999999999999999 00:00:00 GMT",
        "Fri, 01 Jan 2030 00:00:00 +9999",
        "Fri, 01 Jan 2030 00:00:00 -99999999999999999999",
        "-1e999",
        "nan",
    ],
)
def test_a_retry_after_beyond_any_date_is_ignored_not_raised(
    connect: Connect, service: FakeService, retry_after: str
) -> None:
    # A year or zone offset a datetime cannot hold made the date parser raise
    # OverflowError; any Retry-After is clamped to [backoff, 60 s] or ignored.
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_data(
        "busy", status=503, headers={"Retry-After": retry_after}
    )
    started = time.monotonic()
    assert len(dfs.orbits.list()) == 1
    assert time.monotonic() - started < 5  # the backoff, not Retry-After's cap
