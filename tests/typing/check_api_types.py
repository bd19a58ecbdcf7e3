"""What mypy infers for the public API, checked by ``make typecheck`` (never run).

Each ``assert_type`` fails the type check when an annotation drifts from what the
runtime accepts and returns: IDs may be ``str`` or ``uuid.UUID`` everywhere. The
``type: ignore[arg-type]`` lines are the other half: ``strict`` reports an unused
ignore, so they fail the check if an argument's annotation ever widens to accept
anything (``Any``, ``object``). One function per client; both cover every method
of ``orbits``; ``check_every_view_of_an_operation`` pins each operation's whole
signature (names, kinds, defaults, types), as a view of the client presents it.
"""

from __future__ import annotations

from collections.abc import Coroutine, Mapping, Sequence
from datetime import timedelta
from typing import Any, Protocol, TypeVar, assert_type
from uuid import UUID, uuid4

import httpx

from dataforce.api import (
    APIStatusError,
    AsyncDataForceClient,
    DataForceClient,
    Orbit,
    OrbitDetails,
    OrbitMember,
    OrbitMemberCreate,
    OrbitSecretOut,
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
    assert_type(dfs.orbits.secrets(), list[OrbitSecretOut])
    assert_type(dfs.orbits.secrets(uuid4(), timeout=1.0), list[OrbitSecretOut])

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
    assert_type(raw.secrets(str(uuid4())), RawResponse[list[OrbitSecretOut]])
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
    assert_type(await dfs.orbits.secrets(), list[OrbitSecretOut])

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
    assert_type(await raw.secrets(uuid4()), RawResponse[list[OrbitSecretOut]])
    assert_type((await raw.get()).parse(), OrbitDetails | None)
    assert_type((await raw.list()).request_id, str | None)
    await raw.get(42)  # type: ignore[arg-type]


R_co = TypeVar("R_co", covariant=True)


class Get(Protocol[R_co]):
    """``orbits.get`` as declared, returning ``R_co``."""

    def __call__(
        self,
        orbit_value: str | UUID | None = ...,
        *,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: float | httpx.Timeout | None = ...,
        max_retries: int | None = ...,
    ) -> R_co: ...


class Create(Protocol[R_co]):
    """``orbits.create`` as declared, returning ``R_co``."""

    def __call__(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = ...,
        notify: bool | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: float | httpx.Timeout | None = ...,
        max_retries: int | None = ...,
    ) -> R_co: ...


def check_every_view_of_an_operation() -> None:
    """One declaration, four views: each with the declared parameters and its own return
    type (an assignment fails the check when a parameter or the return type differs)."""
    dfs, adfs = DataForceClient(), AsyncDataForceClient()
    get: Get[OrbitDetails | None] = dfs.orbits.get
    raw_get: Get[RawResponse[OrbitDetails | None]] = dfs.orbits.with_raw_response.get
    async_get: Get[Coroutine[Any, Any, OrbitDetails | None]] = adfs.orbits.get
    async_raw_get: Get[Coroutine[Any, Any, RawResponse[OrbitDetails | None]]] = (
        adfs.orbits.with_raw_response.get
    )
    create: Create[OrbitDetails] = dfs.orbits.create
    raw_create: Create[RawResponse[OrbitDetails]] = dfs.orbits.with_raw_response.create
    async_create: Create[Coroutine[Any, Any, OrbitDetails]] = adfs.orbits.create
    async_raw_create: Create[Coroutine[Any, Any, RawResponse[OrbitDetails]]] = (
        adfs.orbits.with_raw_response.create
    )
    del get, raw_get, async_get, async_raw_get, create, raw_create, async_create
    del async_raw_create

    # The views are not interchangeable: each returns its own kind.
    not_raw: Get[OrbitDetails | None] = dfs.orbits.with_raw_response.get  # type: ignore[assignment]
    not_awaited: Get[OrbitDetails | None] = adfs.orbits.get  # type: ignore[assignment]
    not_plain: Get[RawResponse[OrbitDetails | None]] = dfs.orbits.get  # type: ignore[assignment]
    del not_raw, not_awaited, not_plain
    # Not awaited: what the async views' methods return.
    listing: Coroutine[Any, Any, list[Orbit]] = adfs.orbits.list()
    deleting: Coroutine[Any, Any, RawResponse[None]] = adfs.orbits.with_raw_response.delete(uuid4())

    # Parameters by name, and no keyword but the declared ones, in every view.
    assert_type(dfs.orbits.get(orbit_value="Default Orbit"), OrbitDetails | None)
    dfs.orbits.get(timout=1.0)  # type: ignore[call-arg]
    dfs.orbits.with_raw_response.list(retries=1)  # type: ignore[call-arg]
    updating = adfs.orbits.update(title="x")  # type: ignore[call-arg]
    creating = adfs.orbits.with_raw_response.create("x", uuid4(), timeout="1")  # type: ignore[arg-type]
    del listing, deleting, updating, creating


def check_get_is_usable_without_a_cast() -> None:
    """``get`` gives ``OrbitDetails`` by ID, by name and for the default orbit: its members
    are there to read once ``None`` is ruled out, with no cast."""
    dfs = DataForceClient()
    for orbit in (dfs.orbits.get(), dfs.orbits.get(uuid4()), dfs.orbits.get("Default Orbit")):
        if orbit is not None and orbit.members is not None:
            first: OrbitMember = orbit.members[0]
            assert_type(first.user.email, str)
        if orbit is not None:
            assert_type(orbit.collections_tags, tuple[str, ...] | None)
    parsed = dfs.orbits.with_raw_response.get("Default Orbit").parse()
    assert_type(parsed, OrbitDetails | None)
