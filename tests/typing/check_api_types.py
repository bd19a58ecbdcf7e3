"""What mypy infers for the public API, checked by ``make typecheck`` (never run).

Each ``assert_type`` fails the type check when an annotation drifts from what the
runtime accepts and returns: IDs may be ``str`` or ``uuid.UUID`` everywhere. The
``type: ignore[arg-type]`` lines are the other half: ``strict`` reports an unused
ignore, so they fail the check if an argument's annotation ever widens to accept
anything (``Any``, ``object``). One function per client; both cover every method
of ``orbits``.
"""

from __future__ import annotations

from typing import assert_type
from uuid import UUID, uuid4

from dataforce.api import AsyncDataForceClient, DataForceClient, Orbit, OrbitDetails


def check_sync_client() -> None:
    organization: UUID = uuid4()
    dfs = DataForceClient(organization=organization, orbit=uuid4())
    assert_type(
        DataForceClient(organization="My Organization", orbit="Default Orbit"), DataForceClient
    )
    assert_type(dfs.organization, str | None)
    assert_type(dfs.orbit, str | None)
    assert_type(dfs.with_options(max_retries=0), DataForceClient)

    assert_type(dfs.orbits.list(), list[Orbit])
    assert_type(dfs.orbits.get(), Orbit | None)
    assert_type(dfs.orbits.get(uuid4()), Orbit | None)
    assert_type(dfs.orbits.get("Default Orbit"), Orbit | None)
    assert_type(dfs.orbits.create("ML Models", uuid4()), OrbitDetails)
    assert_type(dfs.orbits.create(name="ML Models", bucket_secret_id=str(uuid4())), OrbitDetails)
    assert_type(
        dfs.orbits.create(
            "ML Models", uuid4(), members=[{"user_id": uuid4(), "role": "member"}], notify=True
        ),
        OrbitDetails,
    )
    assert_type(dfs.orbits.update(name="New Orbit Name"), Orbit)
    assert_type(dfs.orbits.update(bucket_secret_id=uuid4()), Orbit)
    assert_type(dfs.orbits.delete(uuid4()), None)
    assert_type(dfs.orbits.delete(str(uuid4())), None)

    dfs.orbits.get(42)  # type: ignore[arg-type]
    dfs.orbits.create("ML Models", 42)  # type: ignore[arg-type]
    dfs.orbits.delete(None)  # type: ignore[arg-type]
    dfs.orbits.create("x", uuid4(), members=[{"user_id": uuid4(), "role": "owner"}])  # type: ignore[typeddict-item]

    with DataForceClient() as entered:
        assert_type(entered, DataForceClient)
    assert_type(dfs.close(), None)


async def check_async_client() -> None:
    dfs = AsyncDataForceClient()
    await dfs.setup_config(organization=uuid4(), orbit=uuid4())
    dfs.setup_config(organization="My Organization", orbit="Default Orbit")  # await optional
    assert_type(dfs.with_options(max_retries=0), AsyncDataForceClient)

    assert_type(await dfs.orbits.list(), list[Orbit])
    assert_type(await dfs.orbits.get(), Orbit | None)
    assert_type(await dfs.orbits.get(uuid4()), Orbit | None)
    assert_type(await dfs.orbits.get("Default Orbit"), Orbit | None)
    assert_type(await dfs.orbits.create("ML Models", uuid4()), OrbitDetails)
    assert_type(
        await dfs.orbits.create(name="ML Models", bucket_secret_id=str(uuid4())), OrbitDetails
    )
    assert_type(
        await dfs.orbits.create("ML Models", uuid4(), members=[], notify=False), OrbitDetails
    )
    assert_type(await dfs.orbits.update(name="New Orbit Name"), Orbit)
    assert_type(await dfs.orbits.update(bucket_secret_id=uuid4()), Orbit)
    assert_type(await dfs.orbits.delete(uuid4()), None)
    assert_type(await dfs.orbits.delete(str(uuid4())), None)

    await dfs.orbits.get(42)  # type: ignore[arg-type]
    await dfs.orbits.create("ML Models", 42)  # type: ignore[arg-type]
    await dfs.orbits.delete(None)  # type: ignore[arg-type]

    async with AsyncDataForceClient() as entered:
        assert_type(entered, AsyncDataForceClient)
    assert_type(await dfs.close(), None)
