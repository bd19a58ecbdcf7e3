"""Cookies a server sets do not pile up: the SDK's own pool keeps none, so no request
ever carries a Cookie header, however many answers set one — sync and async."""

from __future__ import annotations

import json
import socket

from .conftest import ORBITS_PATH, Connect, orbit_json
from .hostile import HostileServer, Received, answer

COOKIE = "x" * 60_000  # under the 64 KB a header line may hold


def test_cookies_the_server_sets_are_not_sent_back(connect: Connect) -> None:
    answered: list[int] = []

    def misbehave(connection: socket.socket, request: Received) -> None:
        answered.append(1)
        cookie = f"c{len(answered)}={COOKIE}; Path=/"
        answer(connection, 200, json.dumps([orbit_json()]).encode(), {"Set-Cookie": cookie})

    server = HostileServer(misbehave, keep_open=True)
    try:
        dfs = connect(base_url=server.url, ready=False)
        for _ in range(30):
            assert len(dfs.orbits.list()) == 1
        lists = [r for r in server.received if r.path == ORBITS_PATH]
        assert len(lists) == 30
        assert all("cookie" not in r.headers for r in lists)
    finally:
        server.close()
