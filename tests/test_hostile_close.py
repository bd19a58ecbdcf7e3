"""close() racing calls: whatever the timing, a call on another thread (or task) raises
only the SDK's typed errors — never httpx's ``RuntimeError: Cannot send a request, as the
client has been closed``."""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from dataforce.api import AsyncDataForceClient, DataForceAPIError, DataForceClient

from .conftest import API_KEY, ORBIT_ID, ORG_ID, orbit_json
from .hostile import HostileServer, Received, answer_json

THREADS = 4
CALLS = 300  # per thread: the loop ends at the first error, or after this many calls
# A call cut short by the close may wait out its attempt's timeout (a read on a socket the
# close shut under it): bounded, as every call is.
TIMEOUT = 2.0


def _listing() -> HostileServer:
    def misbehave(connection: socket.socket, request: Received) -> None:
        answer_json(connection, [orbit_json()])

    return HostileServer(misbehave, keep_open=True)


@pytest.fixture
def preemptive() -> Iterator[None]:
    """Switch threads every microsecond, not every 5 ms: a close() then lands anywhere in
    the other threads' calls, between any two bytecodes, within a few rounds."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _close_mid_traffic(server: HostileServer, pause: float) -> list[BaseException]:
    """Calls on THREADS threads, the client closed ``pause`` seconds in: their errors."""
    dfs = DataForceClient(
        base_url=server.url,
        api_key=API_KEY,
        organization=ORG_ID,
        orbit=ORBIT_ID,
        timeout=TIMEOUT,
    )
    errors: list[BaseException] = []
    started = threading.Barrier(THREADS + 1)

    def hammer() -> None:
        started.wait(timeout=10)
        for _ in range(CALLS):
            try:
                dfs.orbits.list(max_retries=0)
            except BaseException as error:
                errors.append(error)
                return

    threads = [threading.Thread(target=hammer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    started.wait(timeout=10)
    time.sleep(pause)
    dfs.close()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 3)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.usefixtures("preemptive")
def test_close_racing_calls_on_other_threads_raises_typed_errors_only() -> None:
    server = _listing()
    try:
        for round_ in range(40):  # the race window is narrow: many closes, each mid-traffic
            errors = _close_mid_traffic(server, 0.001 * (round_ % 8))
            untyped = [e for e in errors if not isinstance(e, DataForceAPIError)]
            assert not untyped, untyped
    finally:
        server.close()


def test_close_racing_tasks_raises_typed_errors_only() -> None:
    server = _listing()

    async def main() -> list[BaseException]:
        dfs = AsyncDataForceClient(base_url=server.url, api_key=API_KEY)
        await dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)

        async def hammer() -> BaseException | None:
            for _ in range(CALLS):
                try:
                    await dfs.orbits.list(max_retries=0)
                except BaseException as error:
                    return error
            return None

        tasks = [asyncio.create_task(hammer()) for _ in range(THREADS)]
        await asyncio.sleep(0.01)
        await dfs.close()
        outcomes = await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
        return [error for error in outcomes if error is not None]

    try:
        for _ in range(5):
            errors = asyncio.run(main())
            assert errors  # the close did cut calls short
            untyped = [e for e in errors if not isinstance(e, DataForceAPIError)]
            assert not untyped, untyped
    finally:
        server.close()
