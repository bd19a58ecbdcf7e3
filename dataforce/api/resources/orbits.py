"""Orbits: list, get by ID or name, create, update the default orbit, delete.

Every decision — which request, which body, what a 404 means, which error — is made once,
in :class:`OrbitResourceBase`, as a flow of steps (see ``dataforce.api._transport``).
:class:`OrbitResource` and :class:`AsyncOrbitResource` hand those flows to their client,
which sends and waits in its own way. Arguments are checked when the method is called,
before the flow starts, so invalid input never costs a request.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Self, TypedDict
from uuid import UUID

from .. import _operations as ops
from .._bodies import OMIT, build
from .._exceptions import (
    APIResponseValidationError,
    DefaultOrbitDeletionError,
    MultipleResourcesFoundError,
)
from .._models import decode_many, decode_one, matching
from .._response import RawResponse, recorded
from .._schema import Orbit, OrbitDetails
from .._transport import NOT_FOUND, Outcome, Step, execute
from .._validation import ensure_id, ensure_id_or_name

if TYPE_CHECKING:
    import httpx

    from .._async_client import AsyncDataForceClient
    from .._base_client import ClientCore
    from .._client import DataForceClient

__all__ = [
    "AsyncOrbitResource",
    "AsyncOrbitResourceWithRawResponse",
    "OrbitMemberCreate",
    "OrbitResource",
    "OrbitResourceBase",
    "OrbitResourceWithRawResponse",
]


class OrbitMemberCreate(TypedDict):
    """A member to add with :meth:`OrbitResource.create` (the spec's
    ``OrbitMemberCreateSimple``)."""

    user_id: str | UUID
    role: Literal["admin", "member"]


_Flow = Generator[Step, Outcome, Any]


class OrbitResourceBase(ABC):
    """Abstract Resource for managing Orbits.

    Holds the flows both resources run; subclasses decide only how to wait for them.
    """

    __slots__ = ("_client",)

    def __init__(self, client: ClientCore) -> None:
        self._client = client

    # The public interface; the subclasses return values or awaitables of them. Every
    # method also takes the per-call options `extra_headers`, `timeout`, `max_retries`
    # (see `_with`).

    @abstractmethod
    def get(
        self,
        orbit_value: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """Get orbit by ID or exact name; ``None`` if there is none."""

    @abstractmethod
    def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """List all orbits of the default organization."""

    @abstractmethod
    def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """Create an orbit in the default organization."""

    @abstractmethod
    def update(
        self,
        name: str | None = None,
        bucket_secret_id: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """Update the default orbit's name and/or bucket secret."""

    @abstractmethod
    def delete(
        self,
        orbit_id: str | UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """Delete an orbit by ID (never the client's default orbit)."""

    def _with(self, extra_headers: object, timeout: object, max_retries: object) -> Self:
        """This resource, or — given a per-call option — one bound to a client derived
        with it (as ``with_options`` would: checked now, before anything is sent). The
        flows then read the derived client's options like any other: the policy stays
        where it is, and a call without options allocates nothing here."""
        if extra_headers is None and timeout is None and max_retries is None:
            return self
        return type(self)(self._client._derived(max_retries, timeout, extra_headers))

    # Each `_x` method validates its arguments now and returns the flow to drive.

    def _get(self, orbit_value: object) -> _Flow:
        if orbit_value is None:
            return self._get_default()
        orbit_id, name = ensure_id_or_name(orbit_value, "orbit_value")
        if orbit_id is not None:
            return self._get_by_id(orbit_id)
        assert name is not None
        return self._get_by_name(name)

    def _get_default(self) -> _Flow:
        client = self._client
        orbit = yield from self._get_by_id(client._require("orbit"))
        return orbit

    def _get_by_id(self, orbit_id: str) -> _Flow:
        client, options = self._client, self._client._options
        call = ops.get_orbit(client._require("organization"), orbit_id, not_found_ok=True)
        response = yield from execute(call, options)
        if response is NOT_FOUND:
            return None
        orbit = decode_one(response, OrbitDetails, options.redact)
        if orbit.id.lower() != orbit_id:
            # A connection shared across a fork, a caching proxy gone wrong: never hand
            # the caller another orbit than the one asked for.
            raise APIResponseValidationError(
                f"{call.method} {call.path} answered with orbit {orbit.id}, "
                f"not the orbit {orbit_id} asked for",
                status_code=response.status_code,
                body=options.redact(response.text),
            )
        return orbit

    def _get_by_name(self, name: str) -> _Flow:
        client, options = self._client, self._client._options
        call = ops.list_orbits(client._require("organization"))
        response = yield from execute(call, options)
        matches = matching(decode_many(response, Orbit, options.redact), name)
        if len(matches) > 1:
            raise MultipleResourcesFoundError(
                "orbit", name, [orbit.id for orbit in matches], "get one by its ID instead"
            )
        return matches[0] if matches else None

    def _list(self) -> _Flow:
        client, options = self._client, self._client._options
        call = ops.list_orbits(client._require("organization"))
        # Every orbit carries the organization's ID: one string for all of them.
        response = yield from execute(call, options)
        return decode_many(response, Orbit, options.redact, share=("organization_id",))

    def _create(self, name: object, bucket_secret_id: object, **extra: object) -> _Flow:
        body = build(
            "OrbitCreateIn",
            {"name": name, "bucket_secret_id": bucket_secret_id, **_given(extra)},
        )
        return self._send_create(body)

    def _send_create(self, body: dict[str, object]) -> _Flow:
        client, options = self._client, self._client._options
        call = ops.create_orbit(client._require("organization"), body)
        return decode_one((yield from execute(call, options)), OrbitDetails, options.redact)

    def _update(self, name: object, bucket_secret_id: object) -> _Flow:
        body = build("OrbitUpdate", _given({"name": name, "bucket_secret_id": bucket_secret_id}))
        return self._send_update(body)

    def _send_update(self, body: dict[str, object]) -> _Flow:
        client, options = self._client, self._client._options
        call = ops.update_orbit(client._require("organization"), client._require("orbit"), body)
        return decode_one((yield from execute(call, options)), Orbit, options.redact)

    def _delete(self, orbit_id: object) -> _Flow:
        return self._send_delete(ensure_id(orbit_id, "orbit_id"))

    def _send_delete(self, orbit_id: str) -> _Flow:
        client = self._client
        if orbit_id == client.orbit:
            raise DefaultOrbitDeletionError(
                f"refusing to delete orbit {orbit_id}: it is this client's default orbit"
            )
        call = ops.delete_orbit(client._require("organization"), orbit_id)
        yield from execute(call, client._options)


def _given(values: dict[str, object]) -> dict[str, object]:
    """``None`` means "not given": leave the property out of the body."""
    return {name: (OMIT if value is None else value) for name, value in values.items()}


_OPTIONS_DOC = """
        Per-call options (keyword-only; ``None`` keeps the client's):
            extra_headers: headers added to this call's requests (``Authorization`` and
                the headers the SDK manages are refused: ``InvalidArgumentError``).
            timeout: seconds or an ``httpx.Timeout``, bounding each attempt of this call.
            max_retries: retries of this call.
"""


def _document_options(cls: type) -> type:
    """Append the per-call options to each public method's docstring (written once)."""
    for name in ("get", "list", "create", "update", "delete"):
        method = cls.__dict__[name]
        method.__doc__ = (method.__doc__ or "").rstrip() + "\n" + _OPTIONS_DOC
    return cls


@_document_options
class OrbitResource(OrbitResourceBase):
    """Resource for managing Orbits."""

    __slots__ = ()
    _client: DataForceClient

    @property
    def with_raw_response(self) -> OrbitResourceWithRawResponse:
        """The same methods, returning a :class:`RawResponse` (status, headers, request
        summary, request id) whose ``parse()`` is what the method returns."""
        return OrbitResourceWithRawResponse(self)

    def get(
        self,
        orbit_value: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Orbit | None:
        """Get orbit by ID or name.

        Retrieves orbit details by its ID or name.
        Search by name is case-sensitive and matches exact orbit name.
        Without an argument, the client's default orbit.

        Args:
            orbit_value: The ID or exact name of the orbit to retrieve.

        Returns:
            Orbit object. Returns None if orbit with the specified id or name is not found.

        Raises:
            MultipleResourcesFoundError: if there are several Orbits with that name.
            EndpointNotFoundError: if the service does not serve the orbit's path (it
                runs another API version than this SDK's, or ``base_url`` is wrong):
                never ``None`` for that.

        Example:
            >>> orbit_by_name = dfs.orbits.get("Default Orbit")
            >>> orbit_by_id = dfs.orbits.get("0199c455-21ed-7aba-9fe5-5231611220de")
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: Orbit | None = target._client._run(target._get(orbit_value))
        return result

    def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[Orbit]:
        """List all orbits related to default organization.

        Returns:
            List of Orbits objects.

        Example:
            >>> orbits = dfs.orbits.list()
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: builtins.list[Orbit] = target._client._run(target._list())
        return result

    def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> OrbitDetails:
        """Create new orbit in the default organization.

        Args:
            name: Name of the orbit (1 to 100 characters, not blank).
            bucket_secret_id: ID of the bucket secret.
                The bucket secret must exist before orbit creation.
            members: Members to add, each ``{"user_id": ..., "role": "admin" | "member"}``;
                by default the orbit starts with its creator only.
            notify: Whether the service notifies the new members (its default: no).

        Returns:
            Orbit: Newly created orbit object with generated ID and timestamps.

        Example:
            >>> orbit = dfs.orbits.create(
            ...     name="ML Models",
            ...     bucket_secret_id="0199c455-21ed-7aba-9fe5-5231611220de"
            ... )
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: OrbitDetails = target._client._run(
            target._create(name, bucket_secret_id, members=members, notify=notify)
        )
        return result

    def update(
        self,
        name: str | None = None,
        bucket_secret_id: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Orbit:
        """Update default orbit configuration.

        Updates current orbit's name, bucket secret. Only provided
        parameters will be updated, others remain unchanged.

        Args:
            name: New name for the orbit. If None, name remains unchanged.
            bucket_secret_id: New bucket secret for storage configuration.
                The bucket secret must exist. If None, bucket secret remains unchanged.

        Returns:
            Orbit: Updated orbit object.

        Raises:
            ConfigurationError: if the client has no default orbit.
            NotFoundError: if the default orbit no longer exists, or
                ``bucket_secret_id`` is not one of the organization's bucket secrets.

        Example:
            >>> orbit = dfs.orbits.update(name="New Orbit Name")

        Note:
            This method updates the orbit set as default in the client.
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: Orbit = target._client._run(target._update(name, bucket_secret_id))
        return result

    def delete(
        self,
        orbit_id: str | UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete orbit by ID.

        Permanently removes the orbit and all its associated data including
        collections, models, and configurations. This action cannot be undone.

        Returns:
            None: No return value on successful deletion.

        Raises:
            DataForceAPIError: If try to delete default orbit
                (:class:`DefaultOrbitDeletionError`, nothing is sent).
            NotFoundError: If the organization has no orbit with this ID (never had,
                or it was deleted before this call).

        Note:
            A retry whose first attempt's answer was lost (a dropped connection, a
            proxy's 502/504) and that then hears 404 returns ``None``: that attempt
            deleted the orbit. Only a 404 to the first attempt, or to one after attempts
            the service provably did not act on, raises :class:`NotFoundError`.

        Example:
            >>> dfs.orbits.delete("0199c455-21ed-7aba-9fe5-5231611220de")

        Warning:
            This operation is irreversible. All collections, models, and data
            within the orbit will be permanently lost. Consider backing up
            important data before deletion.
        """
        target = self._with(extra_headers, timeout, max_retries)
        target._client._run(target._delete(orbit_id))


@_document_options
class AsyncOrbitResource(OrbitResourceBase):
    """Resource for managing Orbits for async client."""

    __slots__ = ()
    _client: AsyncDataForceClient

    @property
    def with_raw_response(self) -> AsyncOrbitResourceWithRawResponse:
        """The same methods, returning a :class:`RawResponse` (status, headers, request
        summary, request id) whose ``parse()`` is what the method returns."""
        return AsyncOrbitResourceWithRawResponse(self)

    async def get(
        self,
        orbit_value: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Orbit | None:
        """Get orbit by ID or name.

        Retrieves orbit details by its ID or name.
        Search by name is case-sensitive and matches exact orbit name.
        Without an argument, the client's default orbit.

        Args:
            orbit_value: The ID or exact name of the orbit to retrieve.

        Returns:
            Orbit object. Returns None if orbit with the specified id or name is not found.

        Raises:
            MultipleResourcesFoundError: if there are several Orbits with that name.
            EndpointNotFoundError: if the service does not serve the orbit's path (it
                runs another API version than this SDK's, or ``base_url`` is wrong):
                never ``None`` for that.

        Example:
            >>> orbit_by_name = await dfs.orbits.get("Default Orbit")
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: Orbit | None = await target._client._run(target._get(orbit_value))
        return result

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> builtins.list[Orbit]:
        """List all orbits related to default organization.

        Returns:
            List of Orbits objects.

        Example:
            >>> orbits = await dfs.orbits.list()
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: builtins.list[Orbit] = await target._client._run(target._list())
        return result

    async def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> OrbitDetails:
        """Create new orbit in the default organization.

        Args:
            name: Name of the orbit (1 to 100 characters, not blank).
            bucket_secret_id: ID of the bucket secret.
                The bucket secret must exist before orbit creation.
            members: Members to add, each ``{"user_id": ..., "role": "admin" | "member"}``;
                by default the orbit starts with its creator only.
            notify: Whether the service notifies the new members (its default: no).

        Returns:
            Orbit: Newly created orbit object with generated ID and timestamps.

        Example:
            >>> orbit = await dfs.orbits.create(
            ...     name="ML Models",
            ...     bucket_secret_id="0199c455-21ed-7aba-9fe5-5231611220de"
            ... )
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: OrbitDetails = await target._client._run(
            target._create(name, bucket_secret_id, members=members, notify=notify)
        )
        return result

    async def update(
        self,
        name: str | None = None,
        bucket_secret_id: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Orbit:
        """Update default orbit configuration.

        Updates current orbit's name, bucket secret. Only provided
        parameters will be updated, others remain unchanged.

        Args:
            name: New name for the orbit. If None, name remains unchanged.
            bucket_secret_id: New bucket secret for storage configuration.
                The bucket secret must exist. If None, bucket secret remains unchanged.

        Returns:
            Orbit: Updated orbit object.

        Raises:
            ConfigurationError: if the client has no default orbit.
            NotFoundError: if the default orbit no longer exists, or
                ``bucket_secret_id`` is not one of the organization's bucket secrets.

        Example:
            >>> orbit = await dfs.orbits.update(name="New Orbit Name")

        Note:
            This method updates the orbit set as default in the client.
        """
        target = self._with(extra_headers, timeout, max_retries)
        result: Orbit = await target._client._run(target._update(name, bucket_secret_id))
        return result

    async def delete(
        self,
        orbit_id: str | UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> None:
        """Delete orbit by ID.

        Permanently removes the orbit and all its associated data including
        collections, models, and configurations. This action cannot be undone.

        Returns:
            None: No return value on successful deletion.

        Raises:
            DataForceAPIError: If try to delete default orbit
                (:class:`DefaultOrbitDeletionError`, nothing is sent).
            NotFoundError: If the organization has no orbit with this ID (never had,
                or it was deleted before this call).

        Note:
            A retry whose first attempt's answer was lost (a dropped connection, a
            proxy's 502/504) and that then hears 404 returns ``None``: that attempt
            deleted the orbit. Only a 404 to the first attempt, or to one after attempts
            the service provably did not act on, raises :class:`NotFoundError`.

        Example:
            >>> await dfs.orbits.delete("0199c475-8339-70ec-b032-7b3f5d59fdc1")

        Warning:
            This operation is irreversible. All collections, models, and data
            within the orbit will be permanently lost. Consider backing up
            important data before deletion.
        """
        target = self._with(extra_headers, timeout, max_retries)
        await target._client._run(target._delete(orbit_id))


# The raw-response views: the same flows, wrapped by `recorded`, which keeps the last
# HTTP answer next to the value. Arguments and options as for the plain methods.


class OrbitResourceWithRawResponse:
    """``client.orbits.with_raw_response``: each method returns a :class:`RawResponse`."""

    __slots__ = ("_resource",)

    def __init__(self, resource: OrbitResource) -> None:
        self._resource = resource

    def get(
        self,
        orbit_value: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[Orbit | None]:
        """:meth:`OrbitResource.get`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._get(orbit_value), target._client._options)
        result: RawResponse[Orbit | None] = target._client._run(flow)
        return result

    def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[builtins.list[Orbit]]:
        """:meth:`OrbitResource.list`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._list(), target._client._options)
        result: RawResponse[builtins.list[Orbit]] = target._client._run(flow)
        return result

    def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[OrbitDetails]:
        """:meth:`OrbitResource.create`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(
            target._create(name, bucket_secret_id, members=members, notify=notify),
            target._client._options,
        )
        result: RawResponse[OrbitDetails] = target._client._run(flow)
        return result

    def update(
        self,
        name: str | None = None,
        bucket_secret_id: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[Orbit]:
        """:meth:`OrbitResource.update`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._update(name, bucket_secret_id), target._client._options)
        result: RawResponse[Orbit] = target._client._run(flow)
        return result

    def delete(
        self,
        orbit_id: str | UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[None]:
        """:meth:`OrbitResource.delete`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._delete(orbit_id), target._client._options)
        result: RawResponse[None] = target._client._run(flow)
        return result


class AsyncOrbitResourceWithRawResponse:
    """``client.orbits.with_raw_response`` of the async client: each method returns (an
    awaitable of) a :class:`RawResponse`."""

    __slots__ = ("_resource",)

    def __init__(self, resource: AsyncOrbitResource) -> None:
        self._resource = resource

    async def get(
        self,
        orbit_value: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[Orbit | None]:
        """:meth:`AsyncOrbitResource.get`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._get(orbit_value), target._client._options)
        result: RawResponse[Orbit | None] = await target._client._run(flow)
        return result

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[builtins.list[Orbit]]:
        """:meth:`AsyncOrbitResource.list`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._list(), target._client._options)
        result: RawResponse[builtins.list[Orbit]] = await target._client._run(flow)
        return result

    async def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[OrbitDetails]:
        """:meth:`AsyncOrbitResource.create`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(
            target._create(name, bucket_secret_id, members=members, notify=notify),
            target._client._options,
        )
        result: RawResponse[OrbitDetails] = await target._client._run(flow)
        return result

    async def update(
        self,
        name: str | None = None,
        bucket_secret_id: str | UUID | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[Orbit]:
        """:meth:`AsyncOrbitResource.update`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._update(name, bucket_secret_id), target._client._options)
        result: RawResponse[Orbit] = await target._client._run(flow)
        return result

    async def delete(
        self,
        orbit_id: str | UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> RawResponse[None]:
        """:meth:`AsyncOrbitResource.delete`, with the HTTP answer."""
        target = self._resource._with(extra_headers, timeout, max_retries)
        flow = recorded(target._delete(orbit_id), target._client._options)
        result: RawResponse[None] = await target._client._run(flow)
        return result
