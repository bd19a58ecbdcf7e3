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
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypedDict
from uuid import UUID

from .. import _operations as ops
from .._bodies import OMIT, build
from .._exceptions import (
    APIResponseValidationError,
    DefaultOrbitDeletionError,
    MultipleResourcesFoundError,
)
from .._models import decode_many, decode_one, matching, share_equal
from .._schema import Orbit, OrbitDetails
from .._transport import NOT_FOUND, Outcome, Step, execute
from .._validation import ensure_id, ensure_id_or_name

if TYPE_CHECKING:
    from .._async_client import AsyncDataForceClient
    from .._base_client import ClientCore
    from .._client import DataForceClient

__all__ = ["AsyncOrbitResource", "OrbitMemberCreate", "OrbitResource", "OrbitResourceBase"]


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

    # The public interface; the subclasses return values or awaitables of them.

    @abstractmethod
    def get(self, orbit_value: str | UUID | None = None) -> Any:
        """Get orbit by ID or exact name; ``None`` if there is none."""

    @abstractmethod
    def list(self) -> Any:
        """List all orbits of the default organization."""

    @abstractmethod
    def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
    ) -> Any:
        """Create an orbit in the default organization."""

    @abstractmethod
    def update(self, name: str | None = None, bucket_secret_id: str | UUID | None = None) -> Any:
        """Update the default orbit's name and/or bucket secret."""

    @abstractmethod
    def delete(self, orbit_id: str | UUID) -> Any:
        """Delete an orbit by ID (never the client's default orbit)."""

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
        orbits = decode_many((yield from execute(call, options)), Orbit, options.redact)
        share_equal(orbits, "organization_id")
        return orbits

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


class OrbitResource(OrbitResourceBase):
    """Resource for managing Orbits."""

    __slots__ = ()
    _client: DataForceClient

    def get(self, orbit_value: str | UUID | None = None) -> Orbit | None:
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

        Example:
            >>> orbit_by_name = dfs.orbits.get("Default Orbit")
            >>> orbit_by_id = dfs.orbits.get("0199c455-21ed-7aba-9fe5-5231611220de")
        """
        result: Orbit | None = self._client._run(self._get(orbit_value))
        return result

    def list(self) -> builtins.list[Orbit]:
        """List all orbits related to default organization.

        Returns:
            List of Orbits objects.

        Example:
            >>> orbits = dfs.orbits.list()
        """
        result: builtins.list[Orbit] = self._client._run(self._list())
        return result

    def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
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
        result: OrbitDetails = self._client._run(
            self._create(name, bucket_secret_id, members=members, notify=notify)
        )
        return result

    def update(self, name: str | None = None, bucket_secret_id: str | UUID | None = None) -> Orbit:
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

        Example:
            >>> orbit = dfs.orbits.update(name="New Orbit Name")

        Note:
            This method updates the orbit set as default in the client.
        """
        result: Orbit = self._client._run(self._update(name, bucket_secret_id))
        return result

    def delete(self, orbit_id: str | UUID) -> None:
        """Delete orbit by ID.

        Permanently removes the orbit and all its associated data including
        collections, models, and configurations. This action cannot be undone.

        Returns:
            None: No return value on successful deletion.

        Raises:
            DataForceAPIError: If try to delete default orbit
                (:class:`DefaultOrbitDeletionError`, nothing is sent).

        Note:
            The service answers 204 for an orbit that does not exist, and finds the
            orbit by ID alone: check an ID that comes from elsewhere with ``get`` first.

        Example:
            >>> dfs.orbits.delete("0199c455-21ed-7aba-9fe5-5231611220de")

        Warning:
            This operation is irreversible. All collections, models, and data
            within the orbit will be permanently lost. Consider backing up
            important data before deletion.
        """
        self._client._run(self._delete(orbit_id))


class AsyncOrbitResource(OrbitResourceBase):
    """Resource for managing Orbits for async client."""

    __slots__ = ()
    _client: AsyncDataForceClient

    async def get(self, orbit_value: str | UUID | None = None) -> Orbit | None:
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

        Example:
            >>> orbit_by_name = await dfs.orbits.get("Default Orbit")
        """
        result: Orbit | None = await self._client._run(self._get(orbit_value))
        return result

    async def list(self) -> builtins.list[Orbit]:
        """List all orbits related to default organization.

        Returns:
            List of Orbits objects.

        Example:
            >>> orbits = await dfs.orbits.list()
        """
        result: builtins.list[Orbit] = await self._client._run(self._list())
        return result

    async def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
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
        result: OrbitDetails = await self._client._run(
            self._create(name, bucket_secret_id, members=members, notify=notify)
        )
        return result

    async def update(
        self, name: str | None = None, bucket_secret_id: str | UUID | None = None
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

        Example:
            >>> orbit = await dfs.orbits.update(name="New Orbit Name")

        Note:
            This method updates the orbit set as default in the client.
        """
        result: Orbit = await self._client._run(self._update(name, bucket_secret_id))
        return result

    async def delete(self, orbit_id: str | UUID) -> None:
        """Delete orbit by ID.

        Permanently removes the orbit and all its associated data including
        collections, models, and configurations. This action cannot be undone.

        Returns:
            None: No return value on successful deletion.

        Raises:
            DataForceAPIError: If try to delete default orbit
                (:class:`DefaultOrbitDeletionError`, nothing is sent).

        Note:
            The service answers 204 for an orbit that does not exist, and finds the
            orbit by ID alone: check an ID that comes from elsewhere with ``get`` first.

        Example:
            >>> await dfs.orbits.delete("0199c475-8339-70ec-b032-7b3f5d59fdc1")

        Warning:
            This operation is irreversible. All collections, models, and data
            within the orbit will be permanently lost. Consider backing up
            important data before deletion.
        """
        await self._client._run(self._delete(orbit_id))
