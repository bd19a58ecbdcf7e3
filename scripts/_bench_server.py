"""The benchmark's HTTP/1.1 server: canned, pre-serialised bodies, stdlib only.

Run by ``scripts/bench.py`` in its own process: ``python scripts/_bench_server.py``. It
binds 127.0.0.1 on a free port and prints the port on stdout. Every response is built
once at start-up (status line, headers and body as one ``bytes``); serving a request is
a header scan, a dictionary lookup and one ``transport.write``. Keep-alive, no
pipelining beyond what arrives in one read, request bodies skipped by Content-Length.

Routes, at the spec's paths (``_bench_data.PATHS``; ``{org}`` is one of the canned
organizations, its ID decides the list size):

* ``GET /v1/users/me/organizations``
* ``GET|POST /v1/organizations/{org}/orbits``
* ``GET|PATCH|DELETE /v1/organizations/{org}/orbits/{orbit_id}`` (any UUID-shaped ID;
  DELETE answers 204 with no body)
* ``GET /__stats``: ``{"requests", "connections", "cpu", "bytes", "not_found"}`` —
  requests and connections accepted so far (this endpoint's requests are not counted),
  the server's ``time.process_time()``, response bytes written, and requests answered
  404 (a client whose paths are not the canned ones: the driver stops on any).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import _bench_data as data

_HEADERS = (
    b"date: Wed, 21 May 2025 19:35:17 GMT\r\nserver: dataforce-bench\r\n"
    b"content-type: application/json\r\n"
)


def _response(status: bytes, body: bytes | None) -> bytes:
    if body is None:  # 204: no body and no Content-Length
        return b"HTTP/1.1 " + status + b"\r\ndate: Wed, 21 May 2025 19:35:17 GMT\r\n\r\n"
    return (
        b"HTTP/1.1 "
        + status
        + b"\r\n"
        + _HEADERS
        + b"content-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


def _build_routes() -> tuple[dict[tuple[bytes, bytes], bytes], dict[bytes, dict[bytes, bytes]]]:
    """Exact routes, and per organization the responses for ``/orbits/{id}`` by method."""
    exact: dict[tuple[bytes, bytes], bytes] = {
        (b"GET", data.PATHS["list_my_organizations"].encode()): _response(
            b"200 OK", data.dumps(data.organizations_json())
        )
    }
    by_org: dict[bytes, dict[bytes, bytes]] = {}
    orgs: dict[int, str] = data.IDS["orgs"]  # type: ignore[assignment]
    orbits: dict[int, list[str]] = data.IDS["orbits"]  # type: ignore[assignment]
    for size, org in orgs.items():
        base = data.PATHS["list_orbits"].format(org).encode()
        first = orbits[size][0]
        details = data.orbit_details_json(first, org)
        plain = data.orbit_json(42, first, org, permissions=None)  # as PATCH answers
        exact[(b"GET", base)] = _response(b"200 OK", data.orbit_list_body(size))
        exact[(b"POST", base)] = _response(b"200 OK", data.dumps(details))
        by_org[org.encode()] = {
            b"GET": _response(b"200 OK", data.dumps(details)),
            b"PATCH": _response(b"200 OK", data.dumps(plain)),
            b"DELETE": _response(b"204 No Content", None),
        }
    return exact, by_org


_EXACT, _BY_ORG = _build_routes()
_NOT_FOUND = _response(b"404 Not Found", b'{"detail":"Not Found"}')
# An orbit's path is _PREFIX + org + _MIDDLE + orbit ID (36 characters).
_PREFIX, _, _REST = data.PATHS["get_orbit"].encode().partition(b"{0}")
_MIDDLE = _REST.partition(b"{1}")[0][1:]  # after the "/" that follows the organization
_PREFIX_LEN = len(_PREFIX)
_ORBIT_TAIL_LEN = len(_MIDDLE) + 36


class _Stats:
    requests = 0
    connections = 0
    bytes = 0
    not_found = 0


def _route(method: bytes, target: bytes) -> bytes:
    found = _EXACT.get((method, target))
    if found is not None:
        return found
    if target.startswith(_PREFIX):
        org, _, tail = target[_PREFIX_LEN:].partition(b"/")
        per_method = _BY_ORG.get(org)
        if per_method is not None and tail.startswith(_MIDDLE) and len(tail) == _ORBIT_TAIL_LEN:
            return per_method.get(method, _NOT_FOUND)
    return _NOT_FOUND


def _stats_response() -> bytes:
    body = json.dumps(
        {
            "requests": _Stats.requests,
            "connections": _Stats.connections,
            "cpu": time.process_time(),
            "bytes": _Stats.bytes,
            "not_found": _Stats.not_found,
        }
    ).encode()
    return _response(b"200 OK", body)


class _Connection(asyncio.Protocol):
    __slots__ = ("buffer", "transport")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""
        _Stats.connections += 1

    def data_received(self, chunk: bytes) -> None:
        buffer = self.buffer + chunk if self.buffer else chunk
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[:end]
            length = 0
            lowered = head.lower()
            at = lowered.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = lowered.find(b"\r\n", at + 2)
                length = int(lowered[at + 17 : stop if stop >= 0 else None])
            if len(buffer) < end + 4 + length:
                break
            line_end = head.find(b"\r\n")
            method, target, _ = head[: line_end if line_end >= 0 else None].split(b" ", 2)
            if target == b"/__stats":
                out = _stats_response()
            else:
                _Stats.requests += 1
                out = _route(method, target)
                _Stats.bytes += len(out)
                _Stats.not_found += out is _NOT_FOUND
            self.transport.write(out)
            buffer = buffer[end + 4 + length :]
        self.buffer = buffer

    def connection_lost(self, exc: BaseException | None) -> None:
        self.buffer = b""


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Connection, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    # Exit when the driver closes our stdin (or dies).
    done = loop.create_future()
    loop.add_reader(sys.stdin.fileno(), lambda: done.done() or done.set_result(None))
    await done
    server.close()


if __name__ == "__main__":
    asyncio.run(_serve())
