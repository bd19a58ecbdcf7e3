"""Orbits: list, get by ID or name, create, update the default orbit, delete, secrets.

Each operation is declared once, in :class:`OrbitResourceBase`: its signature, its
docstring, and the decision — which request, which body, what a 404 means, which error —
as a flow of steps (see ``dataforce.api._transport``). The views derive their methods
from those declarations (see ``dataforce.api._resource``) and differ only in what they
do with a flow: :class:`OrbitResource` and :class:`AsyncOrbitResource` hand it to their
client, which sends and waits in its own way; the ``with_raw_response`` views also keep
its last HTTP answer. Arguments are checked when the method is called, before the flow
starts, so invalid input never costs a request.

Adding an operation: the spec, a flow, one ``@operation`` method with its docstring.
"""

from __future__ import annotations

import builtins
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack
from uuid import UUID

import msgspec
from dataforce_openapi.models.orbit_member_create_simple_role import OrbitMemberCreateSimpleRole

from .. import _operations as ops
from .._bodies import OMIT, build
from .._exceptions import (
    APIResponseValidationError,
    DefaultOrbitDeletionError,
    MultipleResourcesFoundError,
)
from .._models import decode_many, decode_one, matching
from .._resource import (
    AsyncRawResource,
    AsyncResource,
    CallOptions,
    Resource,
    SyncRawResource,
    SyncResource,
    operation,
)
from .._schema import Orbit, OrbitDetails, OrbitSecretOut
from .._transport import NOT_FOUND, Outcome, Step, execute
from .._validation import ensure_id, ensure_id_or_name

if TYPE_CHECKING:
    from .._async_client import AsyncDataForceClient
    from .._client import DataForceClient

__all__ = [
    "AsyncOrbitResource",
    "AsyncOrbitResourceWithRawResponse",
    "CallOptions",
    "OrbitMemberCreate",
    "OrbitResource",
    "OrbitResourceBase",
    "OrbitResourceWithRawResponse",
]


class OrbitMemberCreate(TypedDict):
    """A member to add with :meth:`OrbitResource.create` (the spec's
    ``OrbitMemberCreateSimple``; ``role`` is its generated enum, so a value the spec
    gains is accepted after ``make generate``)."""

    user_id: str | UUID
    role: OrbitMemberCreateSimpleRole


_Flow = Generator[Step, Outcome, Any]


class OrbitResourceBase(Resource):
    """Abstract Resource for managing Orbits.

    Declares every operation once; the views below (sync, async, raw responses) are its
    subclasses and differ only in how a call's flow is run. Not used directly.
    """

    __slots__ = ()

    @operation
    def get(
        self, orbit_value: str | UUID | None = None, **options: Unpack[CallOptions]
    ) -> OrbitDetails | None:
        """Get orbit by ID or name.

        Retrieves orbit details by its ID or name.
        Search by name is case-sensitive and matches exact orbit name.
        Without an argument, the client's default orbit.

        Args:
            orbit_value: The ID or exact name of the orbit to retrieve.

        Returns:
            OrbitDetails object, or None if no orbit has the specified ID or name. By ID
            (and for the default orbit) it carries ``members`` and ``collections_tags``;
            by name the orbit is found in the list of orbits, which has neither: both
            are None (get it by its ``id`` for them; no extra request is made here).

        Raises:
            MultipleResourcesFoundError: if there are several Orbits with that name.
            EndpointNotFoundError: if the service does not serve the orbit's path (it
                runs another API version than this SDK's, or ``base_url`` is wrong):
                never ``None`` for that.

        Example:
            >>> orbit = dfs.orbits.get("Default Orbit")
            >>> orbit.id
            '0199c455-21ed-7aba-9fe5-5231611220de'
            >>> orbit = dfs.orbits.get("0199c455-21ed-7aba-9fe5-5231611220de")
            >>> orbit.name
            'Default Orbit'
            >>> dfs.orbits.get("No Such Orbit") is None
            True
        """
        target = self._with(options)
        return target._run(target._get(orbit_value))

    @operation
    def list(self, **options: Unpack[CallOptions]) -> builtins.list[Orbit]:
        """List all orbits related to default organization.

        Returns:
            The organization's orbits, as Orbit objects.

        Example:
            >>> orbits = dfs.orbits.list()
            >>> [orbit.name for orbit in orbits]
            ['Default Orbit', 'Old Orbit']
        """
        target = self._with(options)
        return target._run(target._list())

    @operation
    def create(
        self,
        name: str,
        bucket_secret_id: str | UUID,
        *,
        members: Sequence[OrbitMemberCreate] | None = None,
        notify: bool | None = None,
        **options: Unpack[CallOptions],
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
            OrbitDetails: The new orbit, with its generated ID, timestamps and members.

        Example:
            >>> orbit = dfs.orbits.create(
            ...     name="ML Models",
            ...     bucket_secret_id="0199c455-21ef-7d1c-8a3e-6b5f2c9d0e41",
            ... )
            >>> orbit.name
            'ML Models'
        """
        target = self._with(options)
        given = _given({"members": members, "notify": notify})
        body = build("OrbitCreateIn", {"name": name, "bucket_secret_id": bucket_secret_id, **given})
        return target._run(target._create(body))

    @operation
    def update(
        self,
        name: str | None = None,
        bucket_secret_id: str | UUID | None = None,
        **options: Unpack[CallOptions],
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
            >>> orbit.name
            'New Orbit Name'

        Note:
            This method updates the orbit set as default in the client.
        """
        target = self._with(options)
        body = build("OrbitUpdate", _given({"name": name, "bucket_secret_id": bucket_secret_id}))
        return target._run(target._update(body))

    @operation
    def delete(self, orbit_id: str | UUID, **options: Unpack[CallOptions]) -> None:
        """Delete orbit by ID.

        Permanently removes the orbit and all its associated data including
        collections, models, and configurations. This action cannot be undone.

        Args:
            orbit_id: The ID of the orbit to delete (not the client's default orbit).

        Returns:
            None: No return value on successful deletion.

        Raises:
            DefaultOrbitDeletionError: If ``orbit_id`` is the client's default orbit
                (a :class:`DataForceAPIError`; nothing is sent).
            NotFoundError: If the organization has no orbit with this ID (never had,
                or it was deleted before this call).

        Note:
            A retry whose first attempt's answer was lost (a dropped connection, a
            proxy's 502/504) and that then hears 404 returns ``None``: that attempt
            deleted the orbit. Only a 404 to the first attempt, or to one after attempts
            the service provably did not act on, raises :class:`NotFoundError`.

        Example:
            >>> dfs.orbits.delete("0199c475-8339-70ec-b032-7b3f5d59fdc1")
            >>> dfs.orbits.get("0199c475-8339-70ec-b032-7b3f5d59fdc1") is None
            True

        Warning:
            This operation is irreversible. All collections, models, and data
            within the orbit will be permanently lost. Consider backing up
            important data before deletion.
        """
        target = self._with(options)
        return target._run(target._delete(ensure_id(orbit_id, "orbit_id")))

    @operation
    def secrets(
        self, orbit_id: str | UUID | None = None, **options: Unpack[CallOptions]
    ) -> builtins.list[OrbitSecretOut]:
        """List an orbit's secrets.

        The secrets stored for the orbit, each with its ``value``. A value is never
        shown: not in a secret's repr (``value='[hidden]'``), nor in an error's message
        or body, nor in a log line; read it as ``secret.value`` (or ``to_dict()``), print
        ``to_dict(hide_secrets=True)``.

        Args:
            orbit_id: The ID of the orbit (get one by name with :meth:`get`); without
                it, the client's default orbit.

        Returns:
            The orbit's secrets, as OrbitSecretOut objects.

        Raises:
            ConfigurationError: if no ``orbit_id`` is given and the client has no
                default orbit.
            NotFoundError: if the organization has no orbit with this ID.

        Example:
            >>> secrets = dfs.orbits.secrets()
            >>> [secret.name for secret in secrets]
            ['MLFLOW_TRACKING_TOKEN']
            >>> "value='[hidden]'" in repr(secrets[0])
            True
            >>> secrets[0].to_dict(hide_secrets=True)["value"]
            '[hidden]'
        """
        target = self._with(options)
        chosen = None if orbit_id is None else ensure_id(orbit_id, "orbit_id")
        return target._run(target._secrets(chosen))

    # The flows. They read the client (its defaults, its options) only once driven: an
    # async client resolves its defaults in its driver, before the flow starts.

    def _get(self, orbit_value: object) -> Generator[Step, Outcome, OrbitDetails | None]:
        if orbit_value is None:
            return self._get_default()
        orbit_id, name = ensure_id_or_name(orbit_value, "orbit_value")
        if orbit_id is not None:
            return self._get_by_id(orbit_id)
        assert name is not None
        return self._get_by_name(name)

    def _get_default(self) -> _Flow:
        orbit = yield from self._get_by_id(self._client._require("orbit"))
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
        # `get` returns one type however the orbit is named: the listed orbit's fields,
        # without the members and tags the list does not carry (None, not a request).
        return OrbitDetails(**msgspec.structs.asdict(matches[0])) if matches else None

    def _list(self) -> Generator[Step, Outcome, builtins.list[Orbit]]:
        client, options = self._client, self._client._options
        call = ops.list_orbits(client._require("organization"))
        # Every orbit carries the organization's ID, most often one bucket secret's: one
        # string for all of them, when they are all the same.
        response = yield from execute(call, options)
        share = ("organization_id", "bucket_secret_id")
        return decode_many(response, Orbit, options.redact, share=share)

    def _create(self, body: dict[str, object]) -> Generator[Step, Outcome, OrbitDetails]:
        client, options = self._client, self._client._options
        call = ops.create_orbit(client._require("organization"), body)
        return decode_one((yield from execute(call, options)), OrbitDetails, options.redact)

    def _update(self, body: dict[str, object]) -> Generator[Step, Outcome, Orbit]:
        client, options = self._client, self._client._options
        call = ops.update_orbit(client._require("organization"), client._require("orbit"), body)
        return decode_one((yield from execute(call, options)), Orbit, options.redact)

    def _delete(self, orbit_id: str) -> Generator[Step, Outcome, None]:
        client = self._client
        if orbit_id == client.orbit:
            raise DefaultOrbitDeletionError(
                f"refusing to delete orbit {orbit_id}: it is this client's default orbit"
            )
        call = ops.delete_orbit(client._require("organization"), orbit_id)
        yield from execute(call, client._options)

    def _secrets(self, orbit_id: str | None) -> Generator[Step, Outcome, builtins.list[Any]]:
        client, options = self._client, self._client._options
        chosen = client._require("orbit") if orbit_id is None else orbit_id
        call = ops.list_orbit_secrets(client._require("organization"), chosen)
        response = yield from execute(call, options)
        return decode_many(response, OrbitSecretOut, options.redact, share=("orbit_id",))


def _given(values: dict[str, object]) -> dict[str, object]:
    """``None`` means "not given": leave the property out of the body."""
    return {name: (OMIT if value is None else value) for name, value in values.items()}


# The views: nothing of their own but the client's type and the way to the raw view.


class OrbitResource(OrbitResourceBase, SyncResource):
    """Resource for managing Orbits."""

    __slots__ = ()
    _client: DataForceClient

    @property
    def with_raw_response(self) -> OrbitResourceWithRawResponse:
        """The same methods, returning a :class:`RawResponse` (status, headers, request
        summary, request id) whose ``parse()`` is what the method returns."""
        return OrbitResourceWithRawResponse(self._client)


class AsyncOrbitResource(OrbitResourceBase, AsyncResource):
    """Resource for managing Orbits for async client: the methods of
    :class:`OrbitResource`, awaited."""

    __slots__ = ()
    _client: AsyncDataForceClient

    @property
    def with_raw_response(self) -> AsyncOrbitResourceWithRawResponse:
        """The same methods, returning (an awaitable of) a :class:`RawResponse`."""
        return AsyncOrbitResourceWithRawResponse(self._client)


class OrbitResourceWithRawResponse(OrbitResourceBase, SyncRawResource):
    """``client.orbits.with_raw_response``: each method returns a :class:`RawResponse`."""

    __slots__ = ()
    _client: DataForceClient


class AsyncOrbitResourceWithRawResponse(OrbitResourceBase, AsyncRawResource):
    """``client.orbits.with_raw_response`` of the async client: each method returns (an
    awaitable of) a :class:`RawResponse`."""

    __slots__ = ()
    _client: AsyncDataForceClient
