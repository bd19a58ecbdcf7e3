"""The serving layer (dataforce.testing._serving, werkzeug): binding, framing, stopping.

Raw sockets where a well-behaved client cannot send what is tested (a lying
``Content-Length``, broken chunked framing, a connection that never sends a request).
"""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from dataforce.testing import LocalDataForce, serve
from tests._local import ORGS, create, orbits_path


def _raw_exchange(server: LocalDataForce, request: bytes) -> bytes:
    """Send ``request`` as is and read the whole answer (the server closes afterwards)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_base_url_and_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        LocalDataForce(host="0.0.0.0")
    with pytest.raises(ValueError, match="loopback"):
        LocalDataForce(host="example.com")
    LocalDataForce(host="0.0.0.0", allow_remote=True)  # not started
    with LocalDataForce(host="localhost") as server:
        assert re.fullmatch(r"http://localhost:\d+", server.base_url)
        assert httpx.get(server.url(ORGS)).status_code == 401


def test_a_busy_port_raises_oserror_not_systemexit() -> None:
    with LocalDataForce() as first:
        with pytest.raises(OSError):
            LocalDataForce(port=first.port).start()
        with pytest.raises(OSError):
            serve(port=first.port, log_requests=False)


def test_every_answer_closes_the_connection(dataforce_server: LocalDataForce) -> None:
    # werkzeug's development server does no keep-alive; clients reconnect per request.
    server = dataforce_server
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", ORGS, headers=server.auth_headers)
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("Connection") == "close"
            response.read()
    finally:
        connection.close()
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
        assert [c.get(ORGS).status_code for _ in range(3)] == [200, 200, 200]


def test_a_body_larger_than_announced_limit_is_413(dataforce_server: LocalDataForce) -> None:
    head = (
        f"POST {orbits_path(dataforce_server.organization_id)} HTTP/1.1\r\n"
        "Host: x\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n"
    )
    answer = _raw_exchange(dataforce_server, head.encode())
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(b'{"detail": "Request Entity Too Large"}')
    assert len(dataforce_server.orbits()) == 1


def test_broken_chunked_framing_is_400(dataforce_server: LocalDataForce) -> None:
    head = (
        f"POST {orbits_path(dataforce_server.organization_id)} HTTP/1.1\r\n"
        "Host: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "zz\r\n{}\r\n0\r\n\r\n"
    )
    answer = _raw_exchange(dataforce_server, head.encode())
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.endswith(b"invalid message framing")
    assert len(dataforce_server.orbits()) == 1


def test_concurrent_creates(dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    server.orbit_limit = 1000
    failures: list[int] = []

    def worker(names: list[str]) -> None:
        with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
            failures.extend(r.status_code for n in names if (r := create(c, server, n)).is_error)

    threads = [
        threading.Thread(target=worker, args=([f"t{t}-{i}" for i in range(10)],)) for t in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    orbits = server.orbits()
    assert len(orbits) == 81
    assert len({o["id"] for o in orbits}) == 81


def test_stop_is_prompt_with_open_and_sleeping_connections() -> None:
    server = LocalDataForce().start()
    idle = httpx.Client(base_url=server.base_url, headers=server.auth_headers)
    assert idle.get(ORGS).status_code == 200
    silent = socket.create_connection(("127.0.0.1", server.port))  # never sends a request
    half = socket.create_connection(("127.0.0.1", server.port))
    half.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # a request that never ends
    server.inject_fault(delay=30)
    outcome: list[BaseException] = []

    def sleeper() -> None:
        try:
            httpx.get(server.url(ORGS), timeout=10)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=sleeper)
    thread.start()
    while not server.requests[1:]:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.0
    thread.join(5)
    assert outcome, "the sleeping request should have been cut off"
    for sock in (silent, half):
        sock.settimeout(5)
        assert sock.recv(1) == b""  # closed by the server
        sock.close()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), 1):
        pass
    idle.close()
    server.stop()  # idempotent


def test_server_can_restart() -> None:
    server = LocalDataForce()
    with server:
        assert server.running
    assert not server.running
    with server:
        assert httpx.get(server.url(ORGS)).status_code == 401


def test_requests_are_logged_to_the_stream_given() -> None:
    lines: list[str] = []

    class Sink:
        def write(self, text: str) -> int:
            lines.append(text)
            return len(text)

        def flush(self) -> None:
            pass

    with LocalDataForce(log_requests=Sink()) as server:  # type: ignore[arg-type]
        httpx.get(server.url(ORGS))
    logged = "".join(lines)
    assert f'"GET {ORGS} HTTP/1.1" 401' in logged
    assert "\x1b[" not in logged  # werkzeug's colours are not ours


def test_serve_prints_the_summary_and_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dataforce.testing", "--port", "0", "--seed", "3", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        text = "".join(lines)
        base_url = re.search(r"Base URL:\s+(\S+)", text)
        key = re.search(r"API key:\s+(\S+)", text)
        assert base_url, text
        assert key, text
        response = httpx.get(
            base_url.group(1) + ORGS, headers={"Authorization": f"Bearer {key.group(1)}"}
        )
        assert response.json()[0]["name"] == "My Organization"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr is not None
        assert proc.stderr.read() == ""  # --quiet: nothing logged, werkzeug included
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
