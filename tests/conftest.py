"""Shared fixtures: a fake DataForce service on loopback, and both clients behind one face.

`service` is pytest-httpserver with the service's answers for a caller who belongs to one
organization holding one orbit. `connect` builds the client under test; the test runs
once per client kind: the sync client, and the async client configured the way the
reference documentation shows (``setup_config`` not awaited), or awaited eagerly.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from dataforce.api import AsyncDataForceClient, DataForceClient
from tests._paths import path

API_KEY = "dfs_" + "k" * 43
ORG_ID = "0199c455-21ec-7c74-8efe-41470e29bae5"
ORBIT_ID = "0199c455-21ed-7aba-9fe5-5231611220de"
SECRET_ID = "0199c455-21ed-7aba-9fe5-5231611220aa"
OTHER_ORBIT_ID = "0199c475-8339-70ec-b032-7b3f5d59fdc1"
COLLECTION_ID = "0199c455-21ee-74c6-b747-19a82f1a1e75"

# From the spec (a moved path costs no test edit): /v1/users/me/organizations, ...
ORGS_PATH = path("list_my_organizations")
ORBITS_PATH = path("list_orbits", organization_id=ORG_ID)
ORBIT_PATH = path("get_orbit", organization_id=ORG_ID, orbit_id=ORBIT_ID)


def orbit_json(**changes: Any) -> dict[str, Any]:
    """An orbit as the service sends it (the reference documentation's example)."""
    data: dict[str, Any] = {
        "id": ORBIT_ID,
        "name": "Default Orbit",
        "organization_id": ORG_ID,
        "bucket_secret_id": SECRET_ID,
        "total_members": 2,
        "total_collections": 9,
        "total_satellites": 1,
        "total_artifacts": 24,
        "role": "admin",
        "created_at": "2025-05-21T19:35:17.340408Z",
        "updated_at": "2025-08-13T22:44:58.035731Z",
        "permissions": None,
    }
    data.update(changes)
    return data


def details_json(**changes: Any) -> dict[str, Any]:
    """An orbit by ID (the spec's OrbitDetails): with its members and collection tags."""
    return dict(orbit_json(**changes), members=[], collections_tags=["production"])


def org_json(id_: str = ORG_ID, name: str = "My Organization") -> dict[str, Any]:
    return {"id": id_, "name": name, "created_at": "2025-05-21T19:35:17.340408Z", "role": "owner"}


class FakeService:
    """pytest-httpserver primed with a one-organization, one-orbit account."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.url = server.url_for("").rstrip("/")

    def standard(self, orbits: list[dict[str, Any]] | None = None) -> None:
        orbits = [orbit_json()] if orbits is None else orbits
        self.server.expect_request(ORGS_PATH, method="GET").respond_with_json([org_json()])
        self.server.expect_request(ORBITS_PATH, method="GET").respond_with_json(orbits)
        for orbit in orbits:
            details = dict(orbit, members=[], collections_tags=["production"])
            self.server.expect_request(
                f"{ORBITS_PATH}/{orbit['id']}", method="GET"
            ).respond_with_json(details)

    def once(self, path: str, method: str = "GET", **match: Any) -> Any:
        """A one-shot handler, consulted before the standard ones."""
        return self.server.expect_oneshot_request(path, method=method, **match)

    @property
    def requests(self) -> list[tuple[str, str]]:
        return [(request.method, request.path) for request, _ in self.server.log]

    def bodies(self) -> list[Any]:
        return [
            json.loads(request.get_data()) if request.get_data() else None
            for request, _ in self.server.log
        ]

    def headers(self) -> list[dict[str, str]]:
        return [dict(request.headers) for request, _ in self.server.log]

    def count(self) -> int:
        return len(self.server.log)


@pytest.fixture
def service(httpserver: HTTPServer) -> FakeService:
    fake = FakeService(httpserver)
    fake.standard()
    return fake


class Blocking:
    """Presents an async object's coroutine methods as plain calls, on one private loop,
    so the same test body exercises both clients."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name in ("orbits", "with_raw_response"):
            return Blocking(value, self._loop)
        if callable(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                result = value(*args, **kwargs)
                if asyncio.iscoroutine(result):
                    return self._loop.run_until_complete(result)
                return result

            return call
        return value


CLIENT_KINDS = ["sync", "async-lazy", "async-eager"]


@pytest.fixture(params=CLIENT_KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


Connect = Callable[..., Any]


@pytest.fixture
def connect(kind: str, service: FakeService) -> Iterator[Connect]:
    """Build the client under test: ``connect(organization=..., orbit=...)``.

    The async kinds return it wrapped in :class:`Blocking`; ``.unwrapped`` is the client.
    ``ready=False`` leaves the lazy async client unresolved until the test's first call.
    """
    loop = asyncio.new_event_loop()
    opened: list[Any] = []

    def make(
        *,
        base_url: str | None = None,
        api_key: str | None = API_KEY,
        organization: Any = ORG_ID,
        orbit: Any = ORBIT_ID,
        collection: Any = COLLECTION_ID,
        ready: bool = True,
        **options: Any,
    ) -> Any:
        url = base_url or service.url
        if kind == "sync":
            client = DataForceClient(
                base_url=url,
                api_key=api_key,
                organization=organization,
                orbit=orbit,
                collection=collection,
                **options,
            )
            opened.append(client)
            return client
        aclient = AsyncDataForceClient(base_url=url, api_key=api_key, **options)
        opened.append(aclient)
        setup = aclient.setup_config(organization=organization, orbit=orbit, collection=collection)
        if kind == "async-eager":
            loop.run_until_complete(_awaited(setup))
        elif ready:
            # The lazy client resolves its defaults at its first call: make one, so that
            # tests counting requests see the same starting point with every kind.
            loop.run_until_complete(aclient.orbits.list())
        wrapped = Blocking(aclient, loop)
        wrapped.unwrapped = aclient  # type: ignore[attr-defined]
        return wrapped

    yield make
    for client in opened:
        if isinstance(client, AsyncDataForceClient):
            loop.run_until_complete(client.close())
        else:
            client.close()
    # As asyncio.run does: async generators still open (the pool's closers, httpx's
    # streams) are closed while the loop can still run them.
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def configure_and_use(connect: Connect, **arguments: Any) -> Any:
    """Configure a client and make one call: configuration errors surface at construction
    (sync), at ``await setup_config`` (async-eager) or at the first call (async-lazy)."""
    client = connect(ready=False, **arguments)
    return client.orbits.list()


def same_face(like: Any, client: Any) -> Any:
    """``client`` presented the way ``like`` is: wrapped in :class:`Blocking` if it is."""
    if isinstance(like, Blocking):
        return Blocking(client, like._loop)
    return client


@pytest.fixture
def restore_dataforce_logger() -> Iterator[None]:
    """``DFS_LOG`` gives the ``dataforce`` logger a handler and level; undo that."""
    logger = logging.getLogger("dataforce")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
