"""The facade end to end against the project's own stateful server (dataforce.testing),
which validates every request and its own responses against openapi.yaml."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from dataforce.api import (
    APITimeoutError,
    AsyncDataForceClient,
    ConflictError,
    DataForceAPIError,
    DataForceClient,
    EndpointNotFoundError,
    MultipleResourcesFoundError,
    NotFoundError,
)
from dataforce.api._operations import VERSION_PREFIX
from dataforce.testing import LocalDataForce

from ._paths import path
from .conftest import OTHER_ORBIT_ID, Blocking


@pytest.fixture(params=["sync", "async"])
def client_for(request: pytest.FixtureRequest, dataforce_server: LocalDataForce) -> Iterator[Any]:
    """``client_for(**options)``: a client of the seeded account, either kind."""
    loop = asyncio.new_event_loop()
    opened: list[Any] = []

    def make(**options: Any) -> Any:
        server = dataforce_server
        base_url = options.pop("base_url", server.base_url)
        if request.param == "sync":
            client = DataForceClient(
                base_url=base_url,
                api_key=server.api_key,
                organization=server.organization_id,
                orbit=server.orbit_id,
                **options,
            )
            opened.append(client)
            return client
        aclient = AsyncDataForceClient(base_url=base_url, api_key=server.api_key, **options)
        aclient.setup_config(organization=server.organization_id, orbit=server.orbit_id)
        opened.append(aclient)
        return Blocking(aclient, loop)

    yield make
    for client in opened:
        if isinstance(client, DataForceClient):
            client.close()
        else:
            loop.run_until_complete(client.close())
    # As asyncio.run does: async generators still open (the pool's closers, httpx's
    # streams) are closed while the loop can still run them.
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


def test_reference_walkthrough(client_for: Any, dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    dfs = client_for()
    [default] = dfs.orbits.list()
    assert (default.id, default.name) == (server.orbit_id, "Default Orbit")
    # By name, the listed orbit as OrbitDetails: members and tags are not in the list.
    by_name = dfs.orbits.get("Default Orbit")
    assert by_name.to_dict() == default.to_dict() | {"members": None, "collections_tags": None}
    assert dfs.orbits.get(server.orbit_id).id == default.id  # type: ignore[union-attr]
    # By ID, the service answers OrbitDetails: the listed orbit's fields, members and tags.
    details = dfs.orbits.get()
    details_only = {"members", "collections_tags"}
    assert {k: v for k, v in details.to_dict().items() if k not in details_only} == (
        default.to_dict()
    )
    assert details.members is not None
    assert details.collections_tags == ()

    created = dfs.orbits.create(name="ML Models", bucket_secret_id=server.bucket_secret_id)
    assert created.organization_id == server.organization_id
    assert created.created_at.tzinfo is not None
    assert {o["name"] for o in server.orbits(server.organization_id)} == {
        "Default Orbit",
        "ML Models",
    }

    renamed = dfs.orbits.update(name="New Orbit Name")
    assert (renamed.id, renamed.name) == (server.orbit_id, "New Orbit Name")
    assert renamed.updated_at is not None
    assert dfs.orbits.update().name == "New Orbit Name"  # {} leaves it unchanged

    dfs.orbits.create(name="ML Models", bucket_secret_id=server.bucket_secret_id)
    with pytest.raises(MultipleResourcesFoundError):
        dfs.orbits.get("ML Models")

    with pytest.raises(DataForceAPIError, match="default orbit"):
        dfs.orbits.delete(server.orbit_id)
    dfs.orbits.delete(created.id)
    assert dfs.orbits.get(created.id) is None
    with pytest.raises(NotFoundError, match="Orbit not found"):
        dfs.orbits.delete(created.id)  # today's service: 404 for an orbit already deleted
    assert len(dfs.orbits.list()) == 2


def test_service_errors_surface_typed(client_for: Any, dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    dfs = client_for()
    with pytest.raises(NotFoundError, match="Bucket secret not found"):
        dfs.orbits.create("X", OTHER_ORBIT_ID)
    server.set_orbit_limit(server.organization_id, 1)
    with pytest.raises(ConflictError, match="maximum number of orbits"):
        dfs.orbits.create("X", server.bucket_secret_id)


def test_orbits_of_another_organization_are_out_of_reach(
    client_for: Any, dataforce_server: LocalDataForce
) -> None:
    server = dataforce_server
    other_org = server.add_organization("Other Org")
    foreign = server.add_orbit(other_org, "Foreign", server.add_bucket_secret(other_org))
    dfs = client_for()
    assert dfs.orbits.get(foreign["id"]) is None
    assert dfs.orbits.get("Foreign") is None


def test_create_stored_then_timed_out_leaves_exactly_one_orbit(
    client_for: Any, dataforce_server: LocalDataForce
) -> None:
    server = dataforce_server
    dfs = client_for(timeout=0.3, max_retries=2)
    dfs.orbits.list()
    server.inject_fault("POST", "*/orbits", delay=1.0, after_handling=True)
    with pytest.raises(APITimeoutError):
        dfs.orbits.create("Only Once", server.bucket_secret_id)
    names = [o["name"] for o in server.orbits(server.organization_id)]
    assert names.count("Only Once") == 1
    assert [r.method for r in server.requests].count("POST") == 1


def test_dropped_create_is_not_repeated(client_for: Any, dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    dfs = client_for(max_retries=2)
    dfs.orbits.list()
    server.inject_fault("POST", "*/orbits", drop=True, after_handling=True)
    with pytest.raises(DataForceAPIError):
        dfs.orbits.create("Dropped", server.bucket_secret_id)
    names = [o["name"] for o in server.orbits(server.organization_id)]
    assert names.count("Dropped") == 1


def test_faults_then_success_on_reads(client_for: Any, dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    dfs = client_for()
    dfs.orbits.list()
    server.inject_fault("GET", "*/orbits", status=503, retry_after=0)
    server.inject_fault("GET", "*/orbits", drop=True)
    assert len(dfs.orbits.list()) == 1
    listed = path("list_orbits", organization_id=server.organization_id)
    assert [r.path for r in server.requests].count(listed) == 4


def test_malformed_body_from_the_server(client_for: Any, dataforce_server: LocalDataForce) -> None:
    from dataforce.api import APIResponseValidationError

    server = dataforce_server
    dfs = client_for()
    dfs.orbits.list()
    server.inject_fault("GET", "*/orbits", malformed=True)
    with pytest.raises(APIResponseValidationError):
        dfs.orbits.list()


# --- concurrency ----------------------------------------------------------------------


def _pool_size(http: Any) -> int:
    # The local server (werkzeug) closes every connection after its answer, so the pool
    # holds only connections in use: it must stay within the client's limit of 50.
    return len(http._transport._pool.connections)


def test_one_sync_client_shared_by_16_threads(dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    server.set_orbit_limit(server.organization_id, 500)
    errors: list[BaseException] = []
    created: list[str] = []
    lock = threading.Lock()
    dfs = DataForceClient(
        base_url=server.base_url,
        api_key=server.api_key,
        organization=server.organization_id,
        orbit=server.orbit_id,
    )

    def work(worker: int) -> None:
        try:
            for round_ in range(5):
                orbit = dfs.orbits.create(f"t{worker}-{round_}", server.bucket_secret_id)
                assert dfs.orbits.get(orbit.id) == orbit
                assert dfs.orbits.get(f"t{worker}-{round_}").id == orbit.id  # type: ignore[union-attr]
                assert any(o.id == orbit.id for o in dfs.orbits.list())
                with lock:
                    created.append(orbit.id)
                if round_ % 2:
                    dfs.orbits.delete(orbit.id)
                    with lock:
                        created.remove(orbit.id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _pool_size(dfs._http) <= 50
    remaining = {o.id for o in dfs.orbits.list()}
    assert remaining == {*created, server.orbit_id}
    dfs.close()
    assert _pool_size(dfs._http) == 0


def test_one_async_client_shared_by_200_tasks(dataforce_server: LocalDataForce) -> None:
    server = dataforce_server
    server.set_orbit_limit(server.organization_id, 500)

    async def main() -> tuple[int, int]:
        async with AsyncDataForceClient(base_url=server.base_url, api_key=server.api_key) as dfs:
            dfs.setup_config(organization=server.organization_id, orbit=server.orbit_id)

            async def task(n: int) -> str:
                orbit = await dfs.orbits.create(f"a{n}", server.bucket_secret_id)
                assert await dfs.orbits.get(orbit.id) == orbit
                assert (await dfs.orbits.get()).id == server.orbit_id  # type: ignore[union-attr]
                if n % 2:
                    await dfs.orbits.delete(orbit.id)
                return orbit.id

            ids = await asyncio.gather(*(task(n) for n in range(200)))
            assert len(set(ids)) == 200
            listed = await dfs.orbits.list()
            during = _pool_size(dfs._http)
        return len(listed), during

    listed, during = asyncio.run(main())
    assert listed == 1 + 100
    assert during <= 50
    requests = server.requests
    assert sum(1 for r in requests if r.path == path("list_my_organizations")) == 1


# --- today's service: 404 on deleting an unknown orbit, bucket secrets checked, /v1 -------


def test_deleting_an_unknown_orbit_is_not_found(
    client_for: Any, dataforce_server: LocalDataForce
) -> None:
    dfs = client_for()
    with pytest.raises(NotFoundError, match="Orbit not found") as raised:
        dfs.orbits.delete(OTHER_ORBIT_ID)
    assert not isinstance(raised.value, EndpointNotFoundError)


def test_a_delete_whose_answer_was_lost_is_done_when_the_retry_hears_404(
    client_for: Any, dataforce_server: LocalDataForce
) -> None:
    server = dataforce_server
    dfs = client_for()
    scratch = dfs.orbits.create("Scratch", server.bucket_secret_id)
    # The service deletes the orbit, then the connection drops before its 204 arrives.
    server.inject_fault("DELETE", "*/orbits/*", drop=True, after_handling=True)
    assert dfs.orbits.delete(scratch.id) is None
    # Two attempts: the first deleted the orbit, the second heard 404 for it.
    assert len([r for r in server.requests if r.method == "DELETE"]) == 2
    assert dfs.orbits.get(scratch.id) is None


def test_an_update_to_a_bucket_secret_of_another_organization_is_not_found(
    client_for: Any, dataforce_server: LocalDataForce
) -> None:
    server = dataforce_server
    foreign = server.add_bucket_secret(server.add_organization("Other"))
    dfs = client_for()
    with pytest.raises(NotFoundError, match="Bucket secret not found"):
        dfs.orbits.update(bucket_secret_id=foreign)
    assert server.orbits(server.organization_id)[0]["bucket_secret_id"] == server.bucket_secret_id


def test_a_base_url_ending_in_the_version_is_taken_as_the_host(
    client_for: Any, dataforce_server: LocalDataForce
) -> None:
    server = dataforce_server
    dfs = client_for(base_url=server.base_url + VERSION_PREFIX + "/")
    assert [orbit.id for orbit in dfs.orbits.list()] == [server.orbit_id]
    assert {r.path for r in server.requests} == {
        path("list_my_organizations"),
        path("get_orbit", organization_id=server.organization_id, orbit_id=server.orbit_id),
        path("list_orbits", organization_id=server.organization_id),
    }
