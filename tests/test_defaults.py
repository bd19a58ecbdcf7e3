"""A client's default organization and orbit: from arguments, ``DFS_ORGANIZATION`` /
``DFS_ORBIT`` or auto-selection, for both clients alike; ``with_options(organization=...,
orbit=...)`` for a client of another orbit sharing the pool. Against the local server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from dataforce.api import (
    AsyncDataForceClient,
    ConfigurationError,
    DataForceClient,
    InvalidArgumentError,
    OrbitResourceNotFoundError,
)
from dataforce.testing import LocalDataForce


@pytest.fixture
def server(dataforce_server: LocalDataForce, monkeypatch: pytest.MonkeyPatch) -> LocalDataForce:
    """The seeded server, a second orbit ("Second") in its organization, and an
    environment with the server's URL and key but no default organization or orbit."""
    for variable in ("DFS_ORGANIZATION", "DFS_ORBIT", "DFS_LOG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DFS_BASE_URL", dataforce_server.base_url)
    monkeypatch.setenv("DFS_API_KEY", dataforce_server.api_key)
    with DataForceClient() as dfs:
        default = dfs.orbits.get()
        assert default is not None
        dfs.orbits.create(name="Second", bucket_secret_id=default.bucket_secret_id)
    return dataforce_server


def _second(server: LocalDataForce) -> str:
    [second] = [o["id"] for o in server.orbits(server.organization_id) if o["name"] == "Second"]
    return str(second)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _call(kind: str, make: Any, use: Any) -> Any:
    """``use(client)`` on a client ``make(cls)`` builds, of either kind, as plain values."""
    if kind == "sync":
        with make(DataForceClient) as client:
            return use(client)

    async def run() -> Any:
        async with make(AsyncDataForceClient) as client:
            result = use(client)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(run())


def test_environment_gives_the_defaults_an_argument_overrides(
    server: LocalDataForce, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = _second(server)
    monkeypatch.setenv("DFS_ORGANIZATION", "My Organization")
    monkeypatch.setenv("DFS_ORBIT", "Second")
    orbit = _call(kind, lambda cls: cls(), lambda dfs: dfs.orbits.get())
    assert orbit.id == second
    # The argument comes first, for each default on its own.
    orbit = _call(kind, lambda cls: cls(orbit=server.orbit_id), lambda dfs: dfs.orbits.get())
    assert orbit.id == server.orbit_id
    # An empty variable is no default: with two orbits, none is chosen.
    monkeypatch.setenv("DFS_ORBIT", "")
    with pytest.raises(ConfigurationError, match="DFS_ORBIT") as raised:
        _call(kind, lambda cls: cls(), lambda dfs: dfs.orbits.get())
    assert raised.value.missing == "orbit"


def test_a_bad_environment_value_is_refused_by_name_before_anything_is_sent(
    server: LocalDataForce, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_ORBIT", "   ")
    sent = len(server.requests)
    with pytest.raises(InvalidArgumentError) as raised:
        _call(kind, lambda cls: cls(), lambda dfs: dfs.orbits.list())
    assert raised.value.argument == "DFS_ORBIT"
    assert len(server.requests) == sent


def test_async_client_takes_organization_and_orbit_resolved_at_first_call(
    server: LocalDataForce,
) -> None:
    second = _second(server)

    async def main() -> tuple[str | None, str | None, str | None]:
        dfs = AsyncDataForceClient(organization=server.organization_id, orbit="Second")
        before = dfs.orbit
        sent = len(server.requests)
        orbit = await dfs.orbits.get()
        assert len(server.requests) > sent
        await dfs.close()
        return before, dfs.orbit, orbit.id if orbit else None

    assert asyncio.run(main()) == (None, second, second)
    with pytest.raises(InvalidArgumentError, match="orbit"):
        AsyncDataForceClient(orbit="")  # checked at construction


@pytest.mark.parametrize("by", ["id", "name"])
def test_with_options_switches_the_orbit_for_update_and_get(
    server: LocalDataForce, kind: str, by: str
) -> None:
    second = _second(server)
    target = second if by == "id" else "Second"

    def use(dfs: Any) -> Any:
        other = dfs.with_options(orbit=target)
        assert dfs.orbit == server.orbit_id or kind == "async"
        if kind == "sync":
            return other.orbits.update(name="Renamed"), other.orbits.get(), other.orbit

        async def run() -> Any:
            return await other.orbits.update(name="Renamed"), await other.orbits.get(), other.orbit

        return run()

    updated, fetched, default = _call(kind, lambda cls: cls(orbit=server.orbit_id), use)
    assert (updated.id, updated.name) == (second, "Renamed")
    assert (fetched.id, fetched.name) == (second, "Renamed")
    assert default == second
    names = {o["id"]: o["name"] for o in server.orbits(server.organization_id)}
    assert names == {server.orbit_id: "Default Orbit", second: "Renamed"}


def test_with_options_checks_now_resolves_at_first_call_and_shares_the_pool(
    server: LocalDataForce,
) -> None:
    dfs = DataForceClient(orbit=server.orbit_id)
    with pytest.raises(InvalidArgumentError, match="orbit"):
        dfs.with_options(orbit="x" * 101)
    sent = len(server.requests)
    other = dfs.with_options(orbit="Nope")
    assert len(server.requests) == sent  # nothing asked yet
    with pytest.raises(OrbitResourceNotFoundError, match="Nope"):
        other.orbits.get()
    # The original keeps its defaults; the copy's close leaves the shared pool open.
    fine = dfs.with_options(organization="My Organization", orbit="Second")
    fine.close()
    assert dfs.orbits.get() is not None
    assert fine.orbits.get() is not None
    dfs.close()
    with pytest.raises(Exception, match="closed"):
        fine.orbits.list()
