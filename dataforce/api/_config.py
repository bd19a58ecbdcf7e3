"""Resolving the client's default organization and orbit, given by ID or by name.

Written once as a flow (see ``_transport.py``) and driven by both clients: the sync client
at construction, the async one at ``await setup_config(...)`` or lazily at first use.
Given IDs, it costs two requests whatever the number of orbits: the caller's
organizations, then the orbit itself. Only a name (or no orbit at all) needs the list.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any, Final

from ._exceptions import (
    ConfigurationError,
    MultipleResourcesFoundError,
    OrbitResourceNotFoundError,
    OrganizationResourceNotFoundError,
    ResourceNotFoundError,
    shorten,
)
from ._transport import NOT_FOUND, Outcome, SendOptions, Step, execute
from ._validation import MAX_NAME_LENGTH, ensure_id_or_name, plain_str

_MAX_LISTED = 20

#: Where a client's organization and orbit come from when no argument gives them, for
#: the SDK and the `dataforce` command alike: argument, then environment variable, then
#: the only one there is (see :func:`_pick`).
ORGANIZATION_VARIABLE: Final = "DFS_ORGANIZATION"
ORBIT_VARIABLE: Final = "DFS_ORBIT"


class Defaults:
    """What the caller asked for: organization and orbit by ID or name, and a collection.

    Validated on construction, so a bad value fails before any request is made.
    """

    __slots__ = ("collection", "orbit", "organization")

    def __init__(self, organization: object, orbit: object, collection: object) -> None:
        self.organization = _wanted(organization, "organization", ORGANIZATION_VARIABLE)
        self.orbit = _wanted(orbit, "orbit", ORBIT_VARIABLE)
        if collection is not None and not isinstance(collection, str):
            from ._exceptions import InvalidArgumentTypeError

            raise InvalidArgumentTypeError(
                "collection", f"expected str or None, got {type(collection).__name__}"
            )
        self.collection = None if collection is None else plain_str(collection)

    def replace(self, resolved: Resolved | None, organization: object, orbit: object) -> Defaults:
        """These defaults with another organization and/or orbit (``None``: unchanged),
        checked now. An orbit belongs to one organization: a new organization alone
        comes with no orbit given (the environment's, else its only one); a new orbit
        alone is looked up in this organization (by its ID, once resolved)."""
        derived = object.__new__(Defaults)
        derived.collection = self.collection
        if organization is not None:
            derived.organization = _wanted(organization, "organization", ORGANIZATION_VARIABLE)
            derived.orbit = _wanted(orbit, "orbit", ORBIT_VARIABLE)
        else:
            known = resolved.organization if resolved is not None else None
            derived.organization = (known, None) if known is not None else self.organization
            derived.orbit = _wanted(orbit, "orbit", ORBIT_VARIABLE)
        return derived


def _wanted(value: object, argument: str, variable: str) -> tuple[str | None, str | None] | None:
    """The argument, else the environment variable (unset or empty: none), checked."""
    if value is None:
        value = os.environ.get(variable) or None
        if value is None:
            return None
        argument = variable  # an error names where the bad value came from
    # Organization names are not orbit names: no length limit is known for them.
    limit = None if argument in ("organization", ORGANIZATION_VARIABLE) else MAX_NAME_LENGTH
    return ensure_id_or_name(value, argument, max_length=limit)


class Resolved:
    """The defaults as IDs the service confirmed."""

    __slots__ = ("orbit", "organization")

    def __init__(self, organization: str | None, orbit: str | None) -> None:
        self.organization = organization
        self.orbit = orbit


class State:
    """A client's defaults: as asked for, as resolved (once), and who is resolving them.

    Shared with the clients that ``with_options`` derives, so they resolve only once.
    """

    __slots__ = ("defaults", "lock", "resolved")

    def __init__(self, defaults: Defaults) -> None:
        self.defaults = defaults
        self.resolved: Resolved | None = None
        self.lock: Any = None  # the async client's asyncio.Lock, made on first use

    def reconfigure(self, defaults: Defaults) -> None:
        """New defaults, to be resolved again (by every client sharing this state)."""
        self.defaults = defaults
        self.resolved = None


def resolve(defaults: Defaults, options: SendOptions) -> Generator[Step, Outcome, Resolved]:
    # The operations and models (msgspec, the generated package) load with the first
    # resolution, not with `import dataforce.api`.
    from . import _operations as ops
    from ._models import id_name_pairs
    from ._schema import Orbit, OrganizationSwitcher

    organizations = id_name_pairs(
        (yield from execute(ops.list_my_organizations(), options)),
        OrganizationSwitcher,
        options.redact,
    )
    organization = _pick(
        organizations, defaults.organization, "organization", OrganizationResourceNotFoundError
    )
    if organization is None:
        if defaults.orbit is not None:
            raise ConfigurationError(
                "an orbit was given but no organization, and the API key's user belongs to "
                f"{len(organizations)} organizations; pass organization= as well"
                + _available("organizations", organizations),
                missing="organization",
            )
        return Resolved(None, None)

    orbit_id = defaults.orbit[0] if defaults.orbit else None
    if orbit_id is not None:
        found = yield from execute(
            ops.get_orbit(organization, orbit_id, not_found_ok=True), options
        )
        if found is not NOT_FOUND:
            return Resolved(organization, orbit_id)
    orbits = id_name_pairs(
        (yield from execute(ops.list_orbits(organization), options)), Orbit, options.redact
    )
    orbit = _pick(orbits, defaults.orbit, "orbit", OrbitResourceNotFoundError)
    return Resolved(organization, orbit)


def _pick(
    candidates: list[tuple[str, str]],
    wanted: tuple[str | None, str | None] | None,
    kind: str,
    not_found: type[ResourceNotFoundError],
) -> str | None:
    """The ID among ``candidates`` that ``wanted`` designates.

    Nothing wanted: the only candidate if there is exactly one, else ``None``.
    """
    if wanted is None:
        return candidates[0][0].lower() if len(candidates) == 1 else None
    wanted_id, wanted_name = wanted
    if wanted_id is not None:
        for candidate_id, _ in candidates:
            if candidate_id.lower() == wanted_id:
                return wanted_id
        raise not_found(f"{kind} {wanted_id} not found" + _available(f"{kind}s", candidates))
    matches = [candidate_id for candidate_id, name in candidates if name == wanted_name]
    if len(matches) == 1:
        # Canonical (lower-case) form, as IDs given by the caller: the client compares
        # its default orbit with the IDs it is asked to delete.
        return matches[0].lower()
    assert wanted_name is not None
    if matches:
        raise MultipleResourcesFoundError(kind, wanted_name, matches, "pass the ID instead")
    raise not_found(
        f"{kind} named {shorten(wanted_name)!r} not found" + _available(f"{kind}s", candidates)
    )


def _available(what: str, candidates: list[tuple[str, str]]) -> str:
    if not candidates:
        return f"; there are no {what}"
    shown = ", ".join(f"{shorten(name)!r} ({id_})" for id_, name in candidates[:_MAX_LISTED])
    more = f" and {len(candidates) - _MAX_LISTED} more" if len(candidates) > _MAX_LISTED else ""
    return f"; available {what}: {shown}{more}"


def require(value: Any, what: str) -> str:
    """The default ``what`` (organization or orbit ID), or a :class:`ConfigurationError`."""
    if value is None:
        only_one = (
            "the API key's user belongs to exactly one"
            if what == "organization"
            else "the organization has exactly one orbit"
        )
        variable = ORGANIZATION_VARIABLE if what == "organization" else ORBIT_VARIABLE
        raise ConfigurationError(
            f"this call needs a default {what}, and the client has none: pass {what}= to "
            f"the client (or to setup_config or with_options) or set {variable}; it is "
            f"only chosen automatically when {only_one}",
            missing=what,
        )
    return str(value)
