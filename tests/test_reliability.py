"""Retries, timeouts and transport faults: each fault ends in a success after retry or
in the SDK's typed error — and a create is never sent twice unless provably safe."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from dataforce.api import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    DataForceClient,
    InternalServerError,
    RateLimitError,
)

from .conftest import (
    API_KEY,
    ORBIT_ID,
    ORBIT_PATH,
    ORBITS_PATH,
    ORG_ID,
    OTHER_ORBIT_ID,
    SECRET_ID,
    Connect,
    FakeService,
    configure_and_use,
    orbit_json,
    same_face,
)


def _posts(service: FakeService) -> int:
    return service.requests.count(("POST", ORBITS_PATH))


def _gets_of_list(service: FakeService) -> int:
    return service.requests.count(("GET", ORBITS_PATH))


# --- statuses -------------------------------------------------------------------------


def test_500_then_200_on_a_read_succeeds(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    before = _gets_of_list(service)
    service.once(ORBITS_PATH).respond_with_data("Internal Server Error", status=500)
    assert len(dfs.orbits.list()) == 1
    assert _gets_of_list(service) - before == 2


def test_500_on_create_is_not_retried(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_data("Internal Server Error", status=500)
    service.once(ORBITS_PATH, "POST").respond_with_json(orbit_json())
    with pytest.raises(InternalServerError):
        dfs.orbits.create("ML Models", SECRET_ID)
    assert _posts(service) == 1


@pytest.mark.parametrize("status", [502, 503, 504, 408])
def test_gateway_errors_on_create_without_retry_after_are_not_retried(
    connect: Connect, service: FakeService, status: int
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_data("<html>busy</html>", status=status)
    with pytest.raises(APIStatusError) as raised:
        dfs.orbits.create("ML Models", SECRET_ID)
    assert raised.value.status_code == status
    assert _posts(service) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_create_retried_when_the_service_says_retry_after(
    connect: Connect, service: FakeService, status: int
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_json(
        {"detail": "busy"}, status=status, headers={"Retry-After": "0"}
    )
    service.once(ORBITS_PATH, "POST").respond_with_json(orbit_json(name="ML Models"))
    assert dfs.orbits.create("ML Models", SECRET_ID).name == "ML Models"
    assert _posts(service) == 2


def test_429_on_create_without_retry_after_is_not_retried(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_json({"detail": "slow down"}, status=429)
    with pytest.raises(RateLimitError):
        dfs.orbits.create("ML Models", SECRET_ID)
    assert _posts(service) == 1


def test_html_502_from_a_proxy_is_retried_then_reported(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect(max_retries=1)
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    for _ in range(2):
        service.once(ORBITS_PATH).respond_with_data(page, status=502, content_type="text/html")
    before = _gets_of_list(service)
    with pytest.raises(InternalServerError, match="answered 502: Bad Gateway") as raised:
        dfs.orbits.list()
    assert raised.value.body == page
    assert _gets_of_list(service) - before == 2


def test_retry_after_http_date_is_honoured(service: FakeService) -> None:
    # One client kind suffices: the waiting is decided in the shared flow.
    with DataForceClient(
        base_url=service.url, api_key=API_KEY, organization=ORG_ID, orbit=ORBIT_ID
    ) as dfs:
        # HTTP dates have whole seconds: +2 s means a wait of 1 to 2 s.
        later = formatdate(time.time() + 2, usegmt=True)
        service.once(ORBITS_PATH).respond_with_json(
            {"detail": "later"}, status=429, headers={"Retry-After": later}
        )
        started = time.monotonic()
        assert len(dfs.orbits.list()) == 1
        assert time.monotonic() - started >= 0.9


def test_max_retries_zero_disables_retries(connect: Connect, service: FakeService) -> None:
    dfs = connect(max_retries=0)
    before = _gets_of_list(service)
    service.once(ORBITS_PATH).respond_with_data("Internal Server Error", status=500)
    with pytest.raises(InternalServerError):
        dfs.orbits.list()
    assert _gets_of_list(service) - before == 1


def test_with_options_overrides_retries_per_call(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    client = getattr(dfs, "unwrapped", dfs)
    strict = client.with_options(max_retries=0, timeout=3.0)
    assert (strict.max_retries, client.max_retries) == (0, 2)
    assert strict.timeout.read == 3.0
    assert strict.organization == client.organization
    assert strict._http is client._http  # one connection pool
    service.once(ORBITS_PATH).respond_with_data("Internal Server Error", status=500)
    with pytest.raises(InternalServerError):
        same_face(dfs, strict).orbits.list()
    assert same_face(dfs, client).orbits.list()  # the original still retries, pool open


def test_retries_are_logged_at_info(
    connect: Connect, service: FakeService, caplog: pytest.LogCaptureFixture
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_data("Internal Server Error", status=500)
    with caplog.at_level(logging.INFO, logger="dataforce"):
        dfs.orbits.list()
    retries = [r for r in caplog.records if r.name == "dataforce" and "retrying" in r.message]
    assert len(retries) == 1
    assert retries[0].levelno == logging.INFO
    assert "GET" in retries[0].message
    assert "status 500" in retries[0].message


@pytest.mark.usefixtures("restore_dataforce_logger")
@pytest.mark.parametrize("level", ["info", "debug"])
def test_dfs_log_logs_every_request(
    service: FakeService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    level: str,
) -> None:
    monkeypatch.setenv("DFS_LOG", level)
    with (
        caplog.at_level(logging.DEBUG, logger="dataforce"),
        DataForceClient(
            base_url=service.url, api_key=API_KEY, organization=ORG_ID, orbit=ORBIT_ID
        ) as dfs,
    ):
        dfs.orbits.list()
    lines = [r.getMessage() for r in caplog.records if r.name == "dataforce"]
    assert any(line.startswith(f"GET {ORBITS_PATH} -> 200 in ") for line in lines)
    assert any(f"GET {ORBIT_PATH} -> 200" in line and "attempt 1" in line for line in lines)
    assert any("[redacted]" in line for line in lines) == (level == "debug")
    assert not any(API_KEY in line for line in lines)


# --- transport faults -------------------------------------------------------------------


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused(connect: Connect, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(APIConnectionError, match="ConnectError") as raised:
        configure_and_use(connect, base_url=url, max_retries=1)
    assert not isinstance(raised.value, APITimeoutError)


class DroppingServer:
    """Reads each request, then closes the connection without answering."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.requests.append(conn.recv(65536))
                conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n[{"id": ')

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def dropping() -> Iterator[DroppingServer]:
    server = DroppingServer()
    yield server
    server.close()


def test_dropped_connection_mid_response(connect: Connect, dropping: DroppingServer) -> None:
    url = f"http://127.0.0.1:{dropping.port}"
    with pytest.raises(APIConnectionError) as raised:
        configure_and_use(connect, base_url=url, max_retries=1)
    assert "RemoteProtocolError" in str(raised.value)
    assert len(dropping.requests) == 2  # the first GET and its retry


def _eventually(condition: Callable[[], bool], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _stall(seconds: float):  # type: ignore[no-untyped-def]
    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return Response("[]", content_type="application/json")

    return handler


def test_response_slower_than_timeout(connect: Connect, service: FakeService) -> None:
    dfs = connect(timeout=0.2, max_retries=1)
    for _ in range(2):
        service.once(ORBITS_PATH).respond_with_handler(_stall(0.6))
    before = _gets_of_list(service)
    with pytest.raises(APITimeoutError, match="ReadTimeout"):
        dfs.orbits.list()
    # The server logs a request once it has answered it: wait for the stalled answers.
    assert _eventually(lambda: _gets_of_list(service) - before == 2)


def test_create_under_read_timeout_is_sent_once(connect: Connect, service: FakeService) -> None:
    dfs = connect(timeout=0.2)
    service.once(ORBITS_PATH, "POST").respond_with_handler(_stall(0.5))
    with pytest.raises(APITimeoutError):
        dfs.orbits.create("ML Models", SECRET_ID)
    assert _eventually(lambda: _posts(service) == 1)
    time.sleep(0.3)  # a retry, had there been one, would have arrived by now
    assert _posts(service) == 1


def test_create_retried_when_connection_never_opened(
    connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    gone = HTTPServer()
    gone.start()
    FakeService(gone).standard()
    dfs = connect(base_url=gone.url_for("").rstrip("/"), max_retries=2)
    gone.stop()  # from now on, connections are refused
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="dataforce"), pytest.raises(APIConnectionError):
        dfs.orbits.create("ML Models", SECRET_ID)
    retries = [r.getMessage() for r in caplog.records if "retrying POST" in r.getMessage()]
    assert len(retries) == 2
    assert all("ConnectError" in line for line in retries)
    # Retried twice with backoff (0.25-0.5 s, then 0.5-1 s) before giving up.
    assert time.monotonic() - started >= 0.7


# --- update (PATCH) and delete (DELETE): idempotent writes -----------------------------


def test_500_on_update_is_not_retried(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBIT_PATH, "PATCH").respond_with_data("Internal Server Error", status=500)
    service.once(ORBIT_PATH, "PATCH").respond_with_json(orbit_json())
    with pytest.raises(InternalServerError):
        dfs.orbits.update(name="x")
    assert service.requests.count(("PATCH", ORBIT_PATH)) == 1


@pytest.mark.parametrize("status", [408, 502, 503, 504])
def test_gateway_errors_on_update_and_delete_are_retried(
    connect: Connect, service: FakeService, status: int
) -> None:
    dfs = connect()
    other = f"{ORBITS_PATH}/{OTHER_ORBIT_ID}"
    service.once(ORBIT_PATH, "PATCH").respond_with_data("busy", status=status)
    service.once(ORBIT_PATH, "PATCH").respond_with_json(orbit_json(name="x"))
    service.once(other, "DELETE").respond_with_data("busy", status=status)
    service.once(other, "DELETE").respond_with_data(status=204)
    assert dfs.orbits.update(name="x").name == "x"
    dfs.orbits.delete(OTHER_ORBIT_ID)
    assert service.requests.count(("PATCH", ORBIT_PATH)) == 2
    assert service.requests.count(("DELETE", other)) == 2


def test_update_retried_after_read_timeout(connect: Connect, service: FakeService) -> None:
    dfs = connect(timeout=0.2)
    service.once(ORBIT_PATH, "PATCH").respond_with_handler(_stall(0.5))
    service.once(ORBIT_PATH, "PATCH").respond_with_json(orbit_json(name="x"))
    assert dfs.orbits.update(name="x").name == "x"
    assert service.requests.count(("PATCH", ORBIT_PATH)) == 2
