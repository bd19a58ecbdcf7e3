"""No memory blow-up: a response's body is limited in decoded bytes while it streams in
and while it is inflated; a larger one raises APIResponseTooLargeError, and nothing of it
is kept."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator

import pytest

from dataforce.api import APIResponseTooLargeError, APIResponseValidationError

from .conftest import ORBITS_PATH, Connect, orbit_json
from .hostile import HostileServer, Received, answer


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def test_an_endless_body_stops_at_the_limit(connect: Connect, stop: threading.Event) -> None:
    def misbehave(connection: socket.socket, request: Received) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
        try:
            while not stop.is_set():
                connection.sendall(chunk)
        except OSError:
            pass

    server = HostileServer(misbehave)
    try:
        dfs = connect(base_url=server.url, max_response_size=1 << 20, ready=False)
        with pytest.raises(APIResponseTooLargeError, match="max_response_size") as caught:
            dfs.orbits.list()
        assert isinstance(caught.value, APIResponseValidationError)
        assert caught.value.limit == 1 << 20
        assert server.paths().count(("GET", ORBITS_PATH)) == 1  # not retried
    finally:
        server.close()


def _serving(body: bytes, headers: dict[str, str]) -> HostileServer:
    def misbehave(connection: socket.socket, request: Received) -> None:
        answer(connection, 200, body, headers)

    return HostileServer(misbehave)


@pytest.mark.parametrize("encoding", ["identity", "gzip", "deflate"])
def test_the_limit_counts_decoded_bytes(connect: Connect, encoding: str) -> None:
    listing = json.dumps([orbit_json()] * 50).encode()
    if encoding == "gzip":
        encoded = gzip.compress(listing)
    elif encoding == "deflate":
        import zlib

        encoded = zlib.compress(listing)
    else:
        encoded = listing
    server = _serving(encoded, {"Content-Encoding": encoding})
    try:
        exact = connect(base_url=server.url, max_response_size=len(listing), ready=False)
        assert len(exact.orbits.list()) == 50
        small = connect(base_url=server.url, max_response_size=len(listing) - 1, ready=False)
        with pytest.raises(APIResponseTooLargeError):
            small.orbits.list()
    finally:
        server.close()


def test_an_encoding_the_sdk_did_not_ask_for_is_refused(connect: Connect) -> None:
    server = _serving(b"\x00" * 32, {"Content-Encoding": "br"})
    try:
        dfs = connect(base_url=server.url, ready=False)
        with pytest.raises(Exception, match="unsupported Content-Encoding 'br'"):
            dfs.orbits.list()
        assert server.received[-1].headers["accept-encoding"] == "gzip, deflate"
    finally:
        server.close()


# A 2 GiB gzip bomb of about 2 MiB, built from one compressed block of 1 MiB of zeros
# repeated (a full flush makes every such block identical), never held inflated.
_BOMB = textwrap.dedent(
    """
    import resource, socket, sys, threading, zlib
    sys.path.insert(0, sys.argv[1])
    from tests.hostile import HostileServer
    from dataforce.api import APIResponseTooLargeError, DataForceClient

    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    header = b"\\x1f\\x8b\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\xff"
    body_length = len(header) + len(first) + 2047 * len(block)

    def misbehave(connection, request):
        connection.sendall(
            b"HTTP/1.1 200 OK\\r\\nContent-Encoding: gzip\\r\\nContent-Type: application/json"
            b"\\r\\nContent-Length: %d\\r\\n\\r\\n" % body_length + header + first
        )
        try:
            for _ in range(2047):
                connection.sendall(block)
        except OSError:
            pass

    server = HostileServer(misbehave)
    dfs = DataForceClient(base_url=server.url, api_key="dfs_" + "k" * 43,
                          organization=sys.argv[2], orbit=sys.argv[3])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        dfs.orbits.list()
    except APIResponseTooLargeError as error:
        print("too large", error.limit)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("growth MiB", (after - before) // 1024)
    """
)


def test_a_gzip_bomb_costs_no_more_memory_than_the_limit() -> None:
    from pathlib import Path

    from .conftest import ORBIT_ID, ORG_ID

    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.run(
        [sys.executable, "-c", _BOMB, root, ORG_ID, ORBIT_ID],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"too large {512 * 1024 * 1024}"
    growth = int(lines[1].split()[-1])
    assert growth < 600, proc.stdout
