"""What mypy infers for the public API, checked by ``make typecheck`` (never run).

Each ``assert_type`` fails the type check when an annotation drifts from what the
runtime accepts and returns: IDs may be ``str`` or ``uuid.UUID`` everywhere. The
``type: ignore[arg-type]`` lines are the other half: ``strict`` reports an unused
ignore, so they fail the check if an argument's annotation ever widens to accept
anything (``Any``, ``object``). One function per client; both cover every method
of ``orbits``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import assert_type
from uuid import UUID, uuid4

import httpx

from dataforce.api import (
    APIStatusError,
    AsyncDataForceClient,
    DataForceClient,
    Orbit,
    OrbitDetails,
    RawResponse,
    RequestSummary,
)


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
    assert_type(dfs.orbits.get(), OrbitDetails | None)
    assert_type(dfs.orbits.get(uuid4()), OrbitDetails | None)
    assert_type(dfs.orbits.get("Default Orbit"), OrbitDetails | None)
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


def check_sync_options() -> None:
    dfs = DataForceClient(http_client=httpx.Client(verify=False), timeout=httpx.Timeout(3.0))
    DataForceClient(http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    assert_type(dfs.with_options(extra_headers={"X-Team": "ml"}, timeout=2.0), DataForceClient)
    assert_type(dfs.orbits.list(timeout=1.5, max_retries=0), list[Orbit])
    assert_type(dfs.orbits.get(uuid4(), extra_headers={"X-Trace": "1"}), OrbitDetails | None)
    assert_type(dfs.orbits.create("x", uuid4(), timeout=httpx.Timeout(9.0)), OrbitDetails)
    assert_type(dfs.orbits.update(name="x", max_retries=5), Orbit)
    assert_type(dfs.orbits.delete(uuid4(), extra_headers={}), None)
    dfs.orbits.list(timeout="1")  # type: ignore[arg-type]
    dfs.orbits.list(extra_headers={"X-A": 1})  # type: ignore[dict-item]

    raw = dfs.orbits.with_raw_response
    assert_type(raw.list(), RawResponse[list[Orbit]])
    assert_type(raw.get(), RawResponse[OrbitDetails | None])
    assert_type(raw.get("Default Orbit", timeout=1.0), RawResponse[OrbitDetails | None])
    assert_type(raw.create("x", uuid4(), members=[], notify=True), RawResponse[OrbitDetails])
    assert_type(raw.update(bucket_secret_id=uuid4()), RawResponse[Orbit])
    assert_type(raw.delete(uuid4()), RawResponse[None])
    response = raw.get(uuid4(), extra_headers={"X-Trace": "1"}, max_retries=1)
    assert_type(response.parse(), OrbitDetails | None)
    assert_type(response.status_code, int)
    assert_type(response.headers, httpx.Headers)
    assert_type(response.request_id, str | None)
    assert_type(response.elapsed, timedelta | None)
    assert_type(response.retries_taken, int)
    assert_type(response.http_request, RequestSummary)
    assert_type(response.http_request.url, str)
    raw.delete(None)  # type: ignore[arg-type]

    try:
        dfs.orbits.list()
    except APIStatusError as error:
        assert_type(error.headers, httpx.Headers)
        assert_type(error.request_id, str | None)


async def check_async_client() -> None:
    dfs = AsyncDataForceClient()
    await dfs.setup_config(organization=uuid4(), orbit=uuid4())
    dfs.setup_config(organization="My Organization", orbit="Default Orbit")  # await optional
    assert_type(dfs.with_options(max_retries=0), AsyncDataForceClient)

    assert_type(await dfs.orbits.list(), list[Orbit])
    assert_type(await dfs.orbits.get(), OrbitDetails | None)
    assert_type(await dfs.orbits.get(uuid4()), OrbitDetails | None)
    assert_type(await dfs.orbits.get("Default Orbit"), OrbitDetails | None)
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


async def check_async_options() -> None:
    dfs = AsyncDataForceClient(http_client=httpx.AsyncClient(proxy="http://proxy:3128"))
    AsyncDataForceClient(http_client=httpx.Client())  # type: ignore[arg-type]
    assert_type(dfs.with_options(extra_headers={"X-Team": "ml"}), AsyncDataForceClient)
    assert_type(await dfs.orbits.list(timeout=1.5, max_retries=0), list[Orbit])
    assert_type(await dfs.orbits.get(extra_headers={"X-Trace": "1"}), OrbitDetails | None)
    assert_type(await dfs.orbits.create("x", uuid4(), timeout=9.0), OrbitDetails)
    assert_type(await dfs.orbits.update(name="x", max_retries=5), Orbit)
    assert_type(await dfs.orbits.delete(uuid4(), timeout=1.0), None)
    await dfs.orbits.get(max_retries="2")  # type: ignore[arg-type]

    raw = dfs.orbits.with_raw_response
    assert_type(await raw.list(), RawResponse[list[Orbit]])
    assert_type(await raw.get(uuid4()), RawResponse[OrbitDetails | None])
    assert_type(await raw.create("x", str(uuid4())), RawResponse[OrbitDetails])
    assert_type(await raw.update(name="x", extra_headers={"X-A": "1"}), RawResponse[Orbit])
    assert_type(await raw.delete(uuid4()), RawResponse[None])
    assert_type((await raw.get()).parse(), OrbitDetails | None)
    assert_type((await raw.list()).request_id, str | None)
    await raw.get(42)  # type: ignore[arg-type]
