"""The local server against hostile clients: what a client sends never reaches the
terminal of ``dataforce serve`` raw, and a JSON nesting bomb is an ordinary 400, as
FastAPI answers it, not a 500 recorded as a spec violation."""

from __future__ import annotations

import io
import socket

import httpx
import pytest

from dataforce.testing import LocalDataForce

from ._paths import path

# ESC (a colour, a screen clear), BEL, and CSI as the C1 byte (0x9b, also read alone).
HOSTILE_BYTES = b"\x1b[31m\x1b[2J\x07\x9b1m\x7f"
UNSAFE = ("\x1b", "\x07", "\x9b", "\x7f")


def _send_raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(data)
        received = b""
        for _ in range(100):  # bounded: the server closes after its answer
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    return received


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /" + HOSTILE_BYTES + b" HTTP/1.1",  # logged as the request line
        b"GET / HTTP/" + HOSTILE_BYTES,  # refused, and werkzeug's message quotes it
    ],
    ids=["path", "version"],
)
def test_the_request_log_escapes_what_the_client_sent(request_line: bytes) -> None:
    log = io.StringIO()
    with LocalDataForce(log_requests=log) as server:
        answer = _send_raw(server.port, request_line + b"\r\nHost: x\r\n\r\n")
        assert b"400" in answer or answer.startswith(b"HTTP/1.1 404")
    text = log.getvalue()
    assert text  # the request was logged
    assert not [c for c in UNSAFE if c in text], repr(text)
    assert "\\x1b[31m" in text


def _bomb(levels: int) -> bytes:
    return b'{"name": ' + b"[" * levels + b"]" * levels + b"}"


@pytest.mark.parametrize("operation", ["create_orbit", "update_orbit"])
def test_a_json_nesting_bomb_is_a_400_not_a_spec_violation(operation: str) -> None:
    with LocalDataForce() as server:
        params = {"organization_id": server.organization_id}
        method = "POST"
        if operation == "update_orbit":
            params["orbit_id"] = server.orbit_id
            method = "PATCH"
        with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as client:
            response = client.request(
                method,
                path(operation, **params),
                content=_bomb(5000),
                headers={"Content-Type": "application/json"},
            )
        assert response.status_code == 400
        assert response.json() == {"detail": "There was an error parsing the body"}
        assert server.spec_violations == []
