"""A loopback HTTP/1.1 server that misbehaves on purpose, for tests/test_hostile_*.py.

It answers the requests a client makes to resolve its defaults (the caller's
organizations, an orbit by ID) like the service, keeping the connection open, and hands
every other request to the test's ``misbehave(connection, request)``, which writes
whatever raw bytes it likes. Every request is recorded with the client port it came from.
With ``keep_open``, the connection then serves the client's next request as well, as a
keep-alive connection would.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .conftest import ORBITS_PATH, ORGS_PATH, orbit_json, org_json


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    peer_port: int


Misbehave = Callable[[socket.socket, Received], None]


def answer(
    connection: socket.socket, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    """Write a complete response with a Content-Length."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if not any(name.lower() == "content-type" for name in headers or {}):
        lines.append("Content-Type: application/json")
    connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def answer_json(connection: socket.socket, data: Any, status: int = 200) -> None:
    answer(connection, status, json.dumps(data).encode())


@dataclass
class HostileServer:
    misbehave: Misbehave | None = None
    received: list[Received] = field(default_factory=list)
    keep_open: bool = False

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        port = connection.getpeername()[1]
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = connection.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                first, *header_lines = head.decode("latin-1").split("\r\n")
                method, path, _ = first.split(" ", 2)
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                while len(buffer) < length:
                    buffer += connection.recv(65536)
                buffer = buffer[length:]
                request = Received(method, path, headers, port)
                self.received.append(request)
                if not self.standard(connection, request):
                    if self.misbehave is None:
                        answer_json(connection, {"detail": "Not Found"}, 404)
                    else:
                        self.misbehave(connection, request)
                        if not self.keep_open:
                            return
        except OSError:
            return
        finally:
            connection.close()

    def standard(self, connection: socket.socket, request: Received) -> bool:
        """Answer like the service for the defaults' resolution; ``False`` otherwise."""
        if request.method == "GET" and request.path == ORGS_PATH:
            answer_json(connection, [org_json()])
        elif request.method == "GET" and request.path.startswith(f"{ORBITS_PATH}/"):
            orbit_id = request.path.rpartition("/")[2]
            answer_json(connection, dict(orbit_json(id=orbit_id), members=[]))
        else:
            return False
        return True

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.received]

    def close(self) -> None:
        self._stopping.set()
        self._listener.close()
