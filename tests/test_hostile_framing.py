"""Bytes after a complete answer are never read as the next answer: a connection that
delivered more than its answer (a 204 with a body, a body longer than its
Content-Length) is closed, and the next call opens a new one — sync and async."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest

from .conftest import ORBITS_PATH, OTHER_ORBIT_ID, SECRET_ID, Connect, orbit_json
from .hostile import HostileServer, Received, answer, answer_json


def _response(status: int, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


def test_a_create_after_a_204_with_a_body_returns_the_stored_orbit(connect: Connect) -> None:
    # FastAPI answers a DELETE with 204 and the body `null`; the next request on the
    # connection must not read those 4 bytes as the start of its answer.
    def misbehave(connection: socket.socket, request: Received) -> None:
        if request.method == "DELETE":
            connection.sendall(b"HTTP/1.1 204 No Content\r\n\r\nnull")
        else:
            answer_json(connection, dict(orbit_json(name="ML Models"), members=[]), 201)

    server = HostileServer(misbehave, keep_open=True)
    try:
        dfs = connect(base_url=server.url, max_retries=0, ready=False)
        dfs.orbits.delete(OTHER_ORBIT_ID)
        created = dfs.orbits.create(name="ML Models", bucket_secret_id=SECRET_ID)
        assert created.name == "ML Models"
        posts = [r for r in server.received if r.method == "POST"]
        assert len(posts) == 1  # sent once, answered intact
        delete = next(r for r in server.received if r.method == "DELETE")
        assert posts[0].peer_port != delete.peer_port  # on a new connection
    finally:
        server.close()


def test_bytes_beyond_the_content_length_are_not_the_next_answer(connect: Connect) -> None:
    # The excess is itself a whole answer listing an orbit the server never listed.
    ghost = _response(200, json.dumps([orbit_json(id=OTHER_ORBIT_ID, name="Ghost")]).encode())
    answered: list[int] = []

    def misbehave(connection: socket.socket, request: Received) -> None:
        body = json.dumps([orbit_json()]).encode()
        first = not answered
        answered.append(request.peer_port)  # before answering: the client may be quicker
        if first:
            connection.sendall(_response(200, body) + ghost)
        else:
            answer(connection, 200, body)

    server = HostileServer(misbehave, keep_open=True)
    try:
        dfs = connect(base_url=server.url, max_retries=0, ready=False)
        first = dfs.orbits.list()
        second = dfs.orbits.list()
        assert [orbit.name for orbit in first] == ["Default Orbit"]
        assert [orbit.name for orbit in second] == ["Default Orbit"]
        assert server.paths().count(("GET", ORBITS_PATH)) == 2
        assert answered[0] != answered[1]  # the second list went on a new connection
    finally:
        server.close()


def test_an_intact_answer_keeps_its_connection(connect: Connect) -> None:
    # The check closes only what must be closed: well-framed answers reuse one connection.
    def misbehave(connection: socket.socket, request: Received) -> None:
        answer_json(connection, [orbit_json()])

    server = HostileServer(misbehave, keep_open=True)
    try:
        dfs = connect(base_url=server.url, max_retries=0, ready=False)
        for _ in range(3):
            assert len(dfs.orbits.list()) == 1
        ports = {r.peer_port for r in server.received if r.path == ORBITS_PATH}
        assert len(ports) == 1
    finally:
        server.close()


def _chunked(body: bytes, extra_headers: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        + extra_headers
        + b"\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    )


@pytest.mark.parametrize(
    "framing",
    [
        # Bytes after the last chunk.
        lambda body: _chunked(body) + b"HTTP/1.1 200 OK\r\n",
        # Framed two ways: where did the server think its answer ended?
        lambda body: _chunked(body, b"Content-Length: %d\r\n" % len(body)),
    ],
    ids=["after-the-last-chunk", "chunked-and-content-length"],
)
def test_a_connection_whose_framing_was_wrong_is_not_reused(
    connect: Connect, framing: Callable[[bytes], bytes]
) -> None:
    answered: list[int] = []

    def misbehave(connection: socket.socket, request: Received) -> None:
        body = json.dumps([orbit_json()]).encode()
        first = not answered
        answered.append(request.peer_port)  # before answering: the client may be quicker
        connection.sendall(framing(body) if first else _response(200, body))

    server = HostileServer(misbehave, keep_open=True)
    try:
        dfs = connect(base_url=server.url, max_retries=0, ready=False)
        assert len(dfs.orbits.list()) == 1
        assert len(dfs.orbits.list()) == 1
        assert answered[0] != answered[1]
    finally:
        server.close()
