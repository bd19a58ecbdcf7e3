"""``AsyncDataForceClient.setup_config``: awaited or not, as the reference doc calls it."""

from __future__ import annotations

import asyncio
import gc
import warnings

import pytest

from dataforce.api import AsyncDataForceClient, DefaultOrbitDeletionError

from .conftest import API_KEY, ORBIT_ID, ORBIT_PATH, ORBITS_PATH, ORG_ID, ORGS_PATH, FakeService


def test_setup_config_without_await_leaves_no_warning(service: FakeService) -> None:
    async def main() -> None:
        dfs = AsyncDataForceClient(base_url=service.url, api_key=API_KEY)
        dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)  # as the reference doc does
        assert dfs.organization is None  # nothing asked yet
        assert await dfs.orbits.get("Default Orbit") is not None
        assert dfs.organization == ORG_ID
        await dfs.close()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(main())
        gc.collect()
    assert [str(w.message) for w in caught] == []


def test_concurrent_first_calls_resolve_once(service: FakeService) -> None:
    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            dfs.setup_config(organization="My Organization", orbit="Default Orbit")
            results = await asyncio.gather(*(dfs.orbits.get(ORBIT_ID) for _ in range(30)))
            assert all(orbit is not None and orbit.id == ORBIT_ID for orbit in results)

    asyncio.run(main())
    assert service.requests.count(("GET", ORGS_PATH)) == 1
    assert service.requests.count(("GET", ORBITS_PATH)) == 1  # the name lookup, once
    assert service.requests.count(("GET", ORBIT_PATH)) == 30


def test_awaited_setup_config_resolves_now(service: FakeService) -> None:
    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            await dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            assert (dfs.organization, dfs.orbit) == (ORG_ID, ORBIT_ID)
            assert service.requests == [("GET", ORGS_PATH), ("GET", ORBIT_PATH)]

    asyncio.run(main())


def test_setup_config_again_replaces_the_defaults(service: FakeService) -> None:
    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            await dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            dfs.setup_config(organization=ORG_ID)
            assert dfs.orbit is None  # until resolved again
            await dfs.orbits.list()
            assert dfs.orbit == ORBIT_ID  # the only orbit becomes the default
            assert dfs.collection is None

    asyncio.run(main())


def test_without_setup_config_the_only_organization_and_orbit_are_defaults(
    service: FakeService,
) -> None:
    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            assert len(await dfs.orbits.list()) == 1
            assert (dfs.organization, dfs.orbit) == (ORG_ID, ORBIT_ID)

    asyncio.run(main())


def test_with_options_before_setup_config_shares_the_defaults(service: FakeService) -> None:
    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            patient = dfs.with_options(max_retries=5)
            dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
            assert (await patient.orbits.get()).id == ORBIT_ID  # type: ignore[union-attr]
            assert (patient.orbit, dfs.orbit) == (ORBIT_ID, ORBIT_ID)
            with pytest.raises(DefaultOrbitDeletionError):
                await patient.orbits.delete(ORBIT_ID)

    asyncio.run(main())
    assert service.requests.count(("GET", ORGS_PATH)) == 1
    assert not any(method == "DELETE" for method, _ in service.requests)


def test_setup_config_while_resolving_resolves_the_new_defaults(service: FakeService) -> None:
    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            dfs.setup_config(organization=ORG_ID, orbit=None)
            first = asyncio.ensure_future(dfs.setup_config(organization=ORG_ID, orbit=None))
            await asyncio.sleep(0)  # the first resolution is under way
            dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID, collection="c")
            await first
            await dfs.orbits.list()
            assert (dfs.orbit, dfs.collection) == (ORBIT_ID, "c")

    asyncio.run(main())


def test_every_async_method_is_a_coroutine_function(service: FakeService) -> None:
    """Retry libraries and frameworks ask ``inspect.iscoroutinefunction`` whether to await;
    bad input is refused when the call is awaited, having sent nothing."""
    import inspect

    async def main() -> None:
        async with AsyncDataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
            for view in (dfs.orbits, dfs.orbits.with_raw_response):
                for name in ("get", "list", "create", "update", "delete"):
                    assert inspect.iscoroutinefunction(getattr(view, name)), name
            pending = dfs.orbits.get(42)  # type: ignore[arg-type]
            with pytest.raises(TypeError):
                await pending
            with pytest.raises(TypeError, match="unexpected keyword argument 'timout'"):
                await dfs.orbits.with_raw_response.list(timout=1.0)  # type: ignore[call-arg]

    asyncio.run(main())
    assert service.requests == []
