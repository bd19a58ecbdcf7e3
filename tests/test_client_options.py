"""The caller's own httpx client (``http_client=``), ``with_options`` and per-call
options (``extra_headers``, ``timeout``, ``max_retries``), sync and async."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dataforce import __version__
from dataforce.api import (
    APITimeoutError,
    AsyncDataForceClient,
    ConfigurationError,
    DataForceAPIError,
    DataForceClient,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)

from .conftest import (
    API_KEY,
    ORBIT_ID,
    ORBIT_PATH,
    ORBITS_PATH,
    ORG_ID,
    ORGS_PATH,
    OTHER_ORBIT_ID,
    Blocking,
    Connect,
    FakeService,
    orbit_json,
    org_json,
)
from .hostile import HostileServer, Received, answer, answer_json

ROOT = str(Path(__file__).resolve().parent.parent)
BASE_URL = "https://api.example.test/gateway"  # behind a path-routing proxy


# --- a service behind httpx.MockTransport --------------------------------------------------


class MockService:
    """The service's answers for one organization with one orbit, as a MockTransport
    handler; records every request it sees."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/gateway")
        if path == ORGS_PATH:
            return httpx.Response(200, json=[org_json()])
        if path == ORBITS_PATH:
            return httpx.Response(200, json=[orbit_json()])
        if path == ORBIT_PATH:
            return httpx.Response(200, json=dict(orbit_json(), members=[]))
        if path.startswith(ORBITS_PATH + "/"):
            return httpx.Response(404, json={"detail": "Orbit not found"})
        return httpx.Response(404, json={"detail": "Not Found"})  # no such route

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.answer)

    def async_transport(self) -> httpx.MockTransport:
        async def answer(request: httpx.Request) -> httpx.Response:
            return self.answer(request)

        return httpx.MockTransport(answer)


def _sdk_headers_and_url(request: httpx.Request, path: str) -> None:
    assert str(request.url) == BASE_URL + path  # absolute: the caller's base_url unused
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["user-agent"] == f"dataforce-python/{__version__}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["x-caller"] == "kept"  # the caller's own default header
    assert request.headers.get_list("authorization") == [f"Bearer {API_KEY}"]


def test_a_mock_transport_given_as_http_client_sees_the_sdks_requests() -> None:
    service = MockService()
    http = httpx.Client(
        transport=service.transport(),
        base_url="https://elsewhere.test",
        headers={"X-Caller": "kept", "Authorization": "Bearer not-the-key"},
        timeout=17.0,
    )
    with DataForceClient(
        base_url=BASE_URL, api_key=API_KEY, organization=ORG_ID, orbit=ORBIT_ID, http_client=http
    ) as dfs:
        assert [orbit.id for orbit in dfs.orbits.list()] == [ORBIT_ID]
    paths = [request.url.path for request in service.requests]
    assert paths == ["/gateway" + ORGS_PATH, "/gateway" + ORBIT_PATH, "/gateway" + ORBITS_PATH]
    _sdk_headers_and_url(service.requests[-1], ORBITS_PATH)
    # The SDK's timeout, not the caller's client's, on each request.
    assert service.requests[-1].extensions["timeout"]["read"] == 30.0
    # The caller's client is left as it was, open, and still the caller's to use.
    assert not http.is_closed
    assert http.headers["authorization"] == "Bearer not-the-key"
    assert http.timeout == httpx.Timeout(17.0)
    assert str(http.base_url) == "https://elsewhere.test"
    assert http.get("/own").status_code == 404
    assert service.requests[-1].headers["authorization"] == "Bearer not-the-key"
    with pytest.raises(DataForceAPIError, match="DataForceClient is closed"):
        dfs.orbits.list()
    assert len(service.requests) == 4
    http.close()


def test_a_mock_transport_given_to_the_async_client() -> None:
    service = MockService()

    async def scenario() -> httpx.AsyncClient:
        http = httpx.AsyncClient(transport=service.async_transport(), headers={"X-Caller": "kept"})
        async with AsyncDataForceClient(
            base_url=BASE_URL, api_key=API_KEY, http_client=http
        ) as dfs:
            await dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            orbit = await dfs.orbits.get()
            assert orbit is not None
            assert orbit.id == ORBIT_ID
        assert not http.is_closed
        with pytest.raises(DataForceAPIError, match="AsyncDataForceClient is closed"):
            await dfs.orbits.list()
        await http.aclose()
        return http

    asyncio.run(scenario())
    _sdk_headers_and_url(service.requests[-1], ORBIT_PATH)


def test_event_hooks_of_the_callers_client_see_every_request_and_response() -> None:
    service = MockService()
    seen: list[str] = []

    def on_request(request: httpx.Request) -> None:
        seen.append(f"{request.method} {request.url.path}")

    def on_response(response: httpx.Response) -> None:
        seen.append(f"-> {response.status_code}")

    http = httpx.Client(
        transport=service.transport(),
        event_hooks={"request": [on_request], "response": [on_response]},
    )
    with (
        http,
        DataForceClient(
            base_url=BASE_URL, api_key=API_KEY, organization=ORG_ID, http_client=http
        ) as dfs,
    ):
        assert dfs.orbits.get(OTHER_ORBIT_ID) is None
    assert seen[-2:] == [f"GET /gateway{ORBITS_PATH}/{OTHER_ORBIT_ID}", "-> 404"]
    assert len(seen) == 2 * len(service.requests)


def test_async_event_hooks_of_the_callers_client() -> None:
    service = MockService()
    seen: list[int] = []

    async def on_response(response: httpx.Response) -> None:
        seen.append(response.status_code)

    async def scenario() -> None:
        async with httpx.AsyncClient(
            transport=service.async_transport(), event_hooks={"response": [on_response]}
        ) as http:
            dfs = AsyncDataForceClient(base_url=BASE_URL, api_key=API_KEY, http_client=http)
            dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            assert len(await dfs.orbits.list()) == 1
            await dfs.close()

    asyncio.run(scenario())
    assert seen == [200, 200, 200]


def test_a_real_server_behind_the_callers_client(service: FakeService) -> None:
    http = httpx.Client(headers={"X-Trace": "abc"}, timeout=9.0)
    with (
        http,
        DataForceClient(
            base_url=service.url,
            api_key=API_KEY,
            organization=ORG_ID,
            orbit=ORBIT_ID,
            http_client=http,
        ) as dfs,
    ):
        assert dfs.orbits.get().id == ORBIT_ID  # type: ignore[union-attr]
        assert dfs.with_options(max_retries=0).orbits.list()[0].id == ORBIT_ID
    for headers in service.headers():
        assert headers["Authorization"] == f"Bearer {API_KEY}"
        assert headers["X-Trace"] == "abc"
    assert service.count() == 4


def test_a_real_server_behind_the_callers_async_client(service: FakeService) -> None:
    async def scenario() -> str:
        async with httpx.AsyncClient(headers={"X-Trace": "abc"}) as http:
            dfs = AsyncDataForceClient(base_url=service.url, api_key=API_KEY, http_client=http)
            dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            orbit = await dfs.orbits.get()
            await dfs.close()
            assert not http.is_closed
            assert orbit is not None
            return orbit.id

    assert asyncio.run(scenario()) == ORBIT_ID
    assert all(headers["X-Trace"] == "abc" for headers in service.headers())


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def _dripping_headers(stop: threading.Event) -> HostileServer:
    def misbehave(connection: socket.socket, request: Received) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        try:
            while not stop.wait(0.05):
                connection.sendall(b"X")
        except OSError:
            pass

    return HostileServer(misbehave)


def test_the_attempt_deadline_holds_on_the_callers_client(stop: threading.Event) -> None:
    # httpx's read timeout alone never trips on a server dripping a byte each 50 ms; the
    # SDK's deadline is installed on the caller's HTTPTransport too.
    server = _dripping_headers(stop)
    try:
        with httpx.Client() as http:
            dfs = DataForceClient(
                base_url=server.url,
                api_key=API_KEY,
                organization=ORG_ID,
                orbit=ORBIT_ID,
                timeout=0.5,
                max_retries=0,
                http_client=http,
            )
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                dfs.orbits.list()
            assert time.monotonic() - started < 3.0
    finally:
        server.close()


def test_the_async_attempt_deadline_holds_on_the_callers_client(stop: threading.Event) -> None:
    server = _dripping_headers(stop)

    async def scenario() -> float:
        async with httpx.AsyncClient() as http:
            dfs = AsyncDataForceClient(
                base_url=server.url, api_key=API_KEY, timeout=0.5, max_retries=0, http_client=http
            )
            await dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await dfs.orbits.list()
            return time.monotonic() - started

    try:
        assert asyncio.run(scenario()) < 3.0
    finally:
        server.close()


class _SlowBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of many chunks, each a while after the last, until told to stop."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop

    def __iter__(self) -> Iterator[bytes]:
        yield b"["
        while not self._stop.wait(0.05):
            yield b" "

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"["
        while not self._stop.is_set():
            await asyncio.sleep(0.05)
            yield b" "


def _slow_list_handler(service: MockService, stop: threading.Event) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(ORBITS_PATH):
            service.requests.append(request)
            return httpx.Response(200, stream=_SlowBody(stop))
        return service.answer(request)

    return answer


def test_over_a_mock_transport_the_deadline_is_checked_between_body_chunks(
    stop: threading.Event,
) -> None:
    service = MockService()
    http = httpx.Client(transport=httpx.MockTransport(_slow_list_handler(service, stop)))
    with (
        http,
        DataForceClient(
            base_url=BASE_URL,
            api_key=API_KEY,
            organization=ORG_ID,
            orbit=ORBIT_ID,
            timeout=0.3,
            max_retries=0,
            http_client=http,
        ) as dfs,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="used up its timeout"):
            dfs.orbits.list()
        assert time.monotonic() - started < 3.0


def test_over_an_async_mock_transport_the_deadline_is_checked_between_body_chunks(
    stop: threading.Event,
) -> None:
    service = MockService()
    sync_handler = _slow_list_handler(service, stop)

    async def handler(request: httpx.Request) -> httpx.Response:
        return sync_handler(request)  # type: ignore[no-any-return]

    async def scenario() -> float:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            dfs = AsyncDataForceClient(
                base_url=BASE_URL, api_key=API_KEY, timeout=0.3, max_retries=0, http_client=http
            )
            dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            await dfs.orbits.get()
            started = time.monotonic()
            with pytest.raises(APITimeoutError, match="used up its timeout"):
                await dfs.orbits.list()
            return time.monotonic() - started

    assert asyncio.run(scenario()) < 3.0


def test_the_wrong_kind_of_http_client_is_refused_before_anything_is_sent() -> None:
    service = MockService()
    async_http = httpx.AsyncClient(transport=service.async_transport())
    sync_http = httpx.Client(transport=service.transport())
    with pytest.raises(InvalidArgumentTypeError, match="AsyncDataForceClient") as caught:
        DataForceClient(base_url=BASE_URL, api_key=API_KEY, http_client=async_http)  # type: ignore[arg-type]
    assert caught.value.argument == "http_client"
    with pytest.raises(InvalidArgumentTypeError, match="goes with DataForceClient") as caught:
        AsyncDataForceClient(base_url=BASE_URL, api_key=API_KEY, http_client=sync_http)  # type: ignore[arg-type]
    assert caught.value.argument == "http_client"
    with pytest.raises(InvalidArgumentTypeError, match="got str"):
        DataForceClient(base_url=BASE_URL, api_key=API_KEY, http_client="http://x")  # type: ignore[arg-type]
    assert service.requests == []
    sync_http.close()
    asyncio.run(async_http.aclose())


def test_a_closed_http_client_or_one_with_auth_is_refused() -> None:
    service = MockService()
    closed = httpx.Client(transport=service.transport())
    closed.close()
    with pytest.raises(InvalidArgumentError, match="already closed") as caught:
        DataForceClient(base_url=BASE_URL, api_key=API_KEY, http_client=closed)
    assert caught.value.argument == "http_client"
    with (
        httpx.Client(transport=service.transport(), auth=("user", "password")) as with_auth,
        pytest.raises(InvalidArgumentError, match="Authorization") as caught,
    ):
        DataForceClient(base_url=BASE_URL, api_key=API_KEY, http_client=with_auth)
    assert "password" not in str(caught.value)
    assert service.requests == []


def test_an_http_client_closed_by_its_owner_is_reported_as_such() -> None:
    service = MockService()
    http = httpx.Client(transport=service.transport())
    dfs = DataForceClient(
        base_url=BASE_URL, api_key=API_KEY, organization=ORG_ID, orbit=ORBIT_ID, http_client=http
    )
    http.close()
    with pytest.raises(DataForceAPIError, match="closed by its owner"):
        dfs.orbits.list()
    dfs.close()


_FORKED = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, sys.argv[1])
    import httpx
    from tests.hostile import HostileServer
    from dataforce.api import ConfigurationError, DataForceClient

    org, orbit, key = sys.argv[2:5]
    server = HostileServer()
    http = httpx.Client()
    dfs = DataForceClient(
        base_url=server.url, api_key=key, organization=org, orbit=orbit, http_client=http
    )
    assert dfs.orbits.get(orbit).id == orbit  # the caller's pool now holds a connection
    sent = len(server.received)
    pid = os.fork()
    if pid == 0:
        try:
            dfs.orbits.get(orbit)
        except ConfigurationError as error:
            ok = error.missing == "http_client" and "os.fork()" in str(error)
            os._exit(0 if ok and len(server.received) == sent else 3)
        os._exit(4)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, status
    assert dfs.orbits.get(orbit).id == orbit  # the parent carries on
    print("ok")
    """
)


def test_a_forked_child_refuses_the_parents_http_client() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _FORKED, ROOT, ORG_ID, ORBIT_ID, API_KEY],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    assert ConfigurationError  # the class the child checks for is public


# --- per-call options and with_options ----------------------------------------------------


def _unwrapped(client: Any) -> Any:
    return client.unwrapped if isinstance(client, Blocking) else client


def _last_headers(service: FakeService) -> dict[str, str]:
    return service.headers()[-1]


def test_extra_headers_per_call_reach_the_service_for_that_call_only(
    connect: Connect, service: FakeService
) -> None:
    client = connect()
    client.orbits.list(extra_headers={"X-Trace-Id": "t-1"})
    assert _last_headers(service)["X-Trace-Id"] == "t-1"
    assert _last_headers(service)["Authorization"] == f"Bearer {API_KEY}"
    client.orbits.get(ORBIT_ID, extra_headers={"X-Trace-Id": "t-2"})
    assert _last_headers(service)["X-Trace-Id"] == "t-2"
    client.orbits.list()
    assert "X-Trace-Id" not in _last_headers(service)


def test_every_method_takes_the_per_call_options(connect: Connect, service: FakeService) -> None:
    service.server.expect_request(ORBITS_PATH, method="POST").respond_with_json(
        dict(orbit_json(id=OTHER_ORBIT_ID), members=[]), status=201
    )
    service.server.expect_request(ORBIT_PATH, method="PATCH").respond_with_json(orbit_json())
    service.server.expect_request(
        f"{ORBITS_PATH}/{OTHER_ORBIT_ID}", method="DELETE"
    ).respond_with_data(status=204)
    client = connect()
    options: dict[str, Any] = {"extra_headers": {"X-Call": "yes"}, "timeout": 5.0, "max_retries": 0}
    client.orbits.get(**options)
    client.orbits.get("Default Orbit", **options)
    client.orbits.list(**options)
    client.orbits.create("ML Models", ORBIT_ID, **options)
    client.orbits.update(name="Renamed", **options)
    client.orbits.delete(OTHER_ORBIT_ID, **options)
    methods = [method for method, _ in service.requests[-6:]]
    assert methods == ["GET", "GET", "GET", "POST", "PATCH", "DELETE"]
    assert all(headers.get("X-Call") == "yes" for headers in service.headers()[-6:])


def test_an_unknown_keyword_is_a_type_error_and_nothing_is_sent(
    connect: Connect, service: FakeService
) -> None:
    client = connect()
    sent = service.count()
    with pytest.raises(TypeError, match="unexpected keyword argument 'timout'"):
        client.orbits.list(timout=1.0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'retries'"):
        client.orbits.get(ORBIT_ID, retries=1, timeout=2.0)
    assert service.count() == sent
    # Options given as None keep the client's, as if not given.
    assert client.orbits.list(timeout=None, max_retries=None, extra_headers=None)[0].id == (
        ORBIT_ID
    )


def test_with_options_extra_headers_apply_to_the_derived_client_only(
    connect: Connect, service: FakeService
) -> None:
    client = connect()
    derived = _unwrapped(client).with_options(
        extra_headers={"X-Team": "ml", "User-Agent": "mine/1.0"}
    )
    if isinstance(client, Blocking):  # async: drive it on the fixture's loop
        derived = Blocking(derived, client._loop)
    derived.orbits.list()
    sent = _last_headers(service)
    assert sent["X-Team"] == "ml"
    assert sent["User-Agent"] == "mine/1.0"
    # Per-call headers go over the derived client's, names compared case-insensitively.
    derived.orbits.list(extra_headers={"x-team": "infra"})
    assert _last_headers(service)["X-Team"] == "infra"
    client.orbits.list()
    assert "X-Team" not in _last_headers(service)
    assert _last_headers(service)["User-Agent"] == f"dataforce-python/{__version__}"


def test_one_user_agent_is_sent_when_an_extra_header_replaces_it() -> None:
    service = MockService()
    with httpx.Client(transport=service.transport()) as http:
        dfs = DataForceClient(
            base_url=BASE_URL, api_key=API_KEY, organization=ORG_ID, http_client=http
        )
        dfs.with_options(extra_headers={"user-agent": "mine/1.0"}).orbits.list(
            extra_headers={"X-A": "1"}
        )
    headers = service.requests[-1].headers
    assert headers.get_list("user-agent") == ["mine/1.0"]
    assert headers["x-a"] == "1"
    assert headers["authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(
    ("headers", "error", "match"),
    [
        ({"Authorization": "Bearer other"}, InvalidArgumentError, "'Authorization' cannot be set"),
        ({"authorization": "Bearer other"}, InvalidArgumentError, "api_key"),
        ({"Accept-Encoding": "br"}, InvalidArgumentError, "'Accept-Encoding' cannot be set"),
        ({"Host": "evil.test"}, InvalidArgumentError, "'Host' cannot be set"),
        ({"X-A": "1\r\nX-Injected: yes"}, InvalidArgumentError, "CR, LF"),
        ({"X-A": "line\n"}, InvalidArgumentError, "CR, LF"),
        ({"X-A": "caf\u00e9"}, InvalidArgumentError, "non-ASCII"),
        ({"X A": "1"}, InvalidArgumentError, "not a valid header name"),
        ({"X-A\r\n": "1"}, InvalidArgumentError, "not a valid header name"),
        ({"": "1"}, InvalidArgumentError, "not a valid header name"),
        ({"X-A": 1}, InvalidArgumentTypeError, "must be str, got int"),
        ({b"X-A": "1"}, InvalidArgumentTypeError, "names must be str"),
        ([("X-A", "1")], InvalidArgumentTypeError, "expected a mapping"),
        ("X-A: 1", InvalidArgumentTypeError, "expected a mapping"),
    ],
    ids=repr,
)
def test_bad_extra_headers_are_refused_and_nothing_is_sent(
    connect: Connect, service: FakeService, headers: Any, error: type[Exception], match: str
) -> None:
    client = connect()
    sent = service.count()
    raw = _unwrapped(client)
    with pytest.raises(error, match=match) as caught:
        client.orbits.list(extra_headers=headers)
    assert caught.value.argument == "extra_headers"  # type: ignore[attr-defined]
    with pytest.raises(error, match=match):
        raw.with_options(extra_headers=headers)
    with pytest.raises(error, match=match):
        client.orbits.delete(OTHER_ORBIT_ID, extra_headers=headers)
    assert service.count() == sent
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
    ],
    ids=repr,
)
def test_bad_per_call_options_are_refused_and_nothing_is_sent(
    connect: Connect, service: FakeService, options: dict[str, Any], argument: str
) -> None:
    client = connect()
    sent = service.count()
    with pytest.raises((InvalidArgumentError, InvalidArgumentTypeError)) as caught:
        client.orbits.get(ORBIT_ID, **options)
    assert caught.value.argument == argument
    assert service.count() == sent


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def _slow_list(release: threading.Event, delay: float | None) -> HostileServer:
    """The orbit list, answered after ``delay`` seconds (never, when ``None``, until the
    test ends)."""

    def misbehave(connection: socket.socket, request: Received) -> None:
        if request.path == ORBITS_PATH:
            release.wait(delay)
            answer_json(connection, [orbit_json()])
        else:
            answer(connection, 404, b"{}")

    return HostileServer(misbehave)


def test_a_per_call_timeout_shortens_the_clients(
    connect: Connect, release: threading.Event
) -> None:
    server = _slow_list(release, None)
    try:
        client = connect(base_url=server.url, timeout=30.0, max_retries=0, ready=False)
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.orbits.list(timeout=0.3)
        assert time.monotonic() - started < 5.0
    finally:
        release.set()
        server.close()


def test_a_per_call_timeout_lengthens_the_clients(
    connect: Connect, release: threading.Event
) -> None:
    server = _slow_list(release, 0.8)
    try:
        client = connect(base_url=server.url, timeout=0.3, max_retries=0, ready=False)
        with pytest.raises(APITimeoutError):
            client.orbits.list()  # the client's own 0.3 s is too short for this server
        assert [orbit.id for orbit in client.orbits.list(timeout=10.0)] == [ORBIT_ID]
    finally:
        server.close()


def test_per_call_max_retries_overrides_the_clients(connect: Connect, service: FakeService) -> None:
    client = connect(max_retries=0)
    service.once(ORBITS_PATH).respond_with_json({"detail": "busy"}, status=503)
    before = service.count()
    with pytest.raises(InternalServerError):
        client.orbits.list()
    assert service.count() - before == 1
    service.once(ORBITS_PATH).respond_with_json({"detail": "busy"}, status=503)
    assert client.orbits.list(max_retries=1)[0].id == ORBIT_ID  # 503, then the retry's 200
    assert service.count() - before == 3


def test_per_call_options_leave_the_client_as_it_was(
    connect: Connect, service: FakeService
) -> None:
    client = connect(max_retries=0, timeout=4.0)
    raw = _unwrapped(client)
    client.orbits.list(timeout=1.0, max_retries=3, extra_headers={"X-A": "1"})
    assert raw.max_retries == 0
    assert raw.timeout == httpx.Timeout(4.0)
    assert raw.orbits is raw.orbits  # still the client's own, cached resource


# --- the README's examples -----------------------------------------------------------------


def _readme_blocks() -> list[str]:
    from .test_readme import CODE_BLOCK, section

    blocks: list[str] = CODE_BLOCK.findall(section("Client options"))
    assert len(blocks) >= 3, "http_client, per-call options and raw responses are shown"
    return blocks


def test_the_readmes_client_options_examples_run_against_the_local_server(
    tmp_path: Path,
) -> None:
    from dataforce.testing import LocalDataForce

    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    with LocalDataForce() as server:
        env.update(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)
        for number, block in enumerate(_readme_blocks(), 1):
            script = tmp_path / f"options_{number}.py"
            script.write_text(block, encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, str(script)],
                env=env,
                cwd=tmp_path,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert proc.returncode == 0, f"block {number}:\n{block}\n{proc.stdout}{proc.stderr}"
            assert server.api_key not in proc.stdout + proc.stderr
        headers = [request.headers for request in server.requests]
    assert any(h.get("x-trace-id") == "c3d4" and h.get("x-team") == "ml" for h in headers)


def test_the_readmes_client_options_examples_pass_mypy_strict(tmp_path: Path) -> None:
    scripts = []
    for number, block in enumerate(_readme_blocks(), 1):
        script = tmp_path / f"options_{number}.py"
        script.write_text(block, encoding="utf-8")
        scripts.append(str(script))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "pyproject.toml", *scripts],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
