"""The stand-in's stored state and the operations on it: no HTTP, no status codes.

Like a moto backend: organizations, the key user's memberships, bucket secrets, orbits
and their secrets live here, and so do the operations the handlers (and the test controls of
:class:`~dataforce.testing.LocalDataForce`) perform on them. What to *answer* (which
check comes first, which status a refusal gets) is decided by
:mod:`dataforce.testing._handlers`; this module only knows what is stored.

Every record is stored in its schema's shape, read from the spec when the server is built
(:mod:`dataforce.testing._shapes`, which states the rule): :data:`RECORDS` declares, per
kind of record, where the spec describes it and which properties the store gives a value
of its own (with sample values, checked against the spec then); every other property of
the schema gets a value by the rule, so a property the spec adds, drops or retypes is
followed without a change here. Orbits are stored in the shape of ``get_orbit``'s answer
(``OrbitDetails``, members included), so a handler answers one by shaping a copy of it to
its operation's answer. Everything is guarded by one re-entrant lock, :attr:`Store.lock`,
which a handler holds across its checks and its change so that two concurrent creates
cannot both pass the orbit limit.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dataforce.testing._ids import IdFactory
from dataforce.testing._shapes import Record, Shapes

__all__ = ["DEFAULT_ORBIT_LIMIT", "RECORDS", "Store", "check_limit"]

DEFAULT_ORBIT_LIMIT = 50
"""Orbits an organization may hold unless configured otherwise (the live service: 1)."""

ORBIT_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "admin": {"orbit": ["read", "update", "delete"], "members": ["read", "update"]},
    "member": {"orbit": ["read"], "members": ["read"]},
}
"""What the caller may do in an orbit, by role: the object GET, POST and list answer."""

CREATOR_ROLE = "admin"
"""The key user's role in an orbit it created (the only orbits the stand-in has)."""

_ID = "0199c455-21ed-7aba-9fe5-5231611220de"
_TIME = "2025-05-21T19:35:17.340408Z"

RECORDS: tuple[Record, ...] = (
    Record(
        "organization",
        ("answer", "list_my_organizations"),
        modelled={
            "id": (_ID,),
            "name": ("My Organization",),
            "created_at": (_TIME,),
            "role": ("owner", "admin", "member"),  # the key user's, from its memberships
        },
    ),
    Record(
        "bucket_secret",
        ("answer", "list_bucket_secrets"),
        modelled={
            "id": (_ID,),
            "endpoint": ("127.0.0.1:9000",),
            "bucket_name": ("dataforce-local",),
            "organization_id": (_ID,),
            "created_at": (_TIME,),
        },
        # A local bucket: plain HTTP, a region so that S3 clients need no configuration.
        placeholders={"secure": False, "region": "us-east-1", "cert_check": False},
    ),
    Record(
        "orbit",
        ("answer", "get_orbit"),
        modelled={
            "id": (_ID,),
            "name": ("Default Orbit",),
            "organization_id": (_ID,),
            "bucket_secret_id": (_ID,),
            "total_members": (0, 2),
            "role": (CREATOR_ROLE,),
            "created_at": (_TIME,),
            "updated_at": (None, _TIME),
            # None: the PATCH answer's (dataforce.testing._handlers.update_orbit).
            "permissions": (*ORBIT_PERMISSIONS.values(), None),
            "members": ([],),  # and each one a member record, below
        },
        # What the stand-in does not track: counted 0, no tags (a departure, see
        # dataforce.testing); the spec's rule would make them null.
        placeholders={
            "total_collections": 0,
            "total_satellites": 0,
            "total_artifacts": 0,
            "collections_tags": [],
        },
    ),
    Record(
        "orbit_secret",
        ("answer", "list_orbit_secrets"),
        modelled={
            "id": (_ID,),
            "name": ("MLFLOW_TRACKING_TOKEN",),
            "value": ("local-secret-value",),
            "orbit_id": (_ID,),
            "tags": (None, ["tracking"]),
            "created_at": (_TIME,),
            "updated_at": (None,),
        },
    ),
    Record(
        "member",
        ("property", "orbit", "members"),
        modelled={
            "id": (_ID,),
            "orbit_id": (_ID,),
            "role": ("admin", "member"),  # as a create names them
            "user": (),  # a user record, below
            "created_at": (_TIME,),
        },
    ),
    Record(
        "user",
        ("property", "member", "user"),
        modelled={
            "id": (_ID,),
            "email": ("developer@dataforce.local",),
            "full_name": ("Local Developer",),
        },
        placeholders={"disabled": False, "has_api_key": True},
    ),
)
"""Every kind of stored record: where the spec describes it, what the store models."""


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"an orbit limit must be a non-negative int, got {limit!r}")
    return limit


def canonical_id(value: str | None, what: str) -> str | None:
    """``value`` as a canonical (lower-case, hyphenated) UUID string; None stays None."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{what} must be a UUID string, got {value!r}") from None


@dataclass
class _Data:
    """Everything stored; deep-copied to snapshot and restore the seed."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[str, str] = field(default_factory=dict)  # org id -> key user's role
    orbit_limits: dict[str, int] = field(default_factory=dict)  # per-organization overrides
    bucket_secrets: dict[str, dict[str, Any]] = field(default_factory=dict)
    orbits: dict[str, dict[str, Any]] = field(default_factory=dict)  # stored as OrbitDetails
    orbit_secrets: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    data: _Data
    ids: object
    orbit_limit: int


class Store:
    """The state of one stand-in server. Every method takes :attr:`lock` itself."""

    def __init__(
        self, ids: IdFactory, shapes: Shapes, orbit_limit: int = DEFAULT_ORBIT_LIMIT
    ) -> None:
        self.lock = threading.RLock()
        self.ids = ids
        self.shapes = shapes
        self._data = _Data()
        self._orbit_limit = check_limit(orbit_limit)

    # -- snapshots (the seed, for reset) ----------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self.lock:
            return Snapshot(copy.deepcopy(self._data), self.ids.get_state(), self._orbit_limit)

    def restore(self, snapshot: Snapshot) -> None:
        with self.lock:
            self._data = copy.deepcopy(snapshot.data)
            self.ids.set_state(snapshot.ids)  # type: ignore[arg-type]
            self._orbit_limit = snapshot.orbit_limit

    # -- orbit limits ----------------------------------------------------------------------

    @property
    def orbit_limit(self) -> int:
        return self._orbit_limit

    @orbit_limit.setter
    def orbit_limit(self, value: int) -> None:
        with self.lock:
            self._orbit_limit = check_limit(value)

    def set_orbit_limit(self, organization_id: str, limit: int | None) -> None:
        with self.lock:
            self._require_org(organization_id)
            if limit is None:
                self._data.orbit_limits.pop(organization_id, None)
            else:
                self._data.orbit_limits[organization_id] = check_limit(limit)

    def orbit_limit_of(self, organization_id: str) -> int:
        with self.lock:
            return self._data.orbit_limits.get(organization_id, self._orbit_limit)

    # -- users and organizations -------------------------------------------------------------

    def add_user(self, email: str, full_name: str) -> str:
        with self.lock:
            user_id = self.ids.uuid7()
            self._data.users[user_id] = self.shapes.record(
                "user", {"id": user_id, "email": email, "full_name": full_name}
            )
            return user_id

    def known_users(self, user_ids: Iterable[str]) -> bool:
        with self.lock:
            return all(user_id in self._data.users for user_id in user_ids)

    def add_organization(
        self,
        name: str,
        *,
        member: bool = True,
        role: str = "owner",
        orbit_limit: int | None = None,
        organization_id: str | None = None,
    ) -> str:
        with self.lock:
            org_id = canonical_id(organization_id, "organization_id") or self.ids.uuid7()
            if org_id in self._data.organizations:
                raise ValueError(f"organization {org_id} already exists")
            if orbit_limit is not None:
                self._data.orbit_limits[org_id] = check_limit(orbit_limit)
            self._data.organizations[org_id] = self.shapes.record(
                "organization", {"id": org_id, "name": name, "created_at": self.ids.now()}
            )
            if member:
                self._data.memberships[org_id] = role
            return org_id

    def organization(self, organization_id: str) -> dict[str, Any] | None:
        with self.lock:
            return self._data.organizations.get(organization_id)

    def set_membership(self, organization_id: str, role: str | None) -> None:
        with self.lock:
            self._require_org(organization_id)
            if role is None:
                self._data.memberships.pop(organization_id, None)
            else:
                self._data.memberships[organization_id] = role

    def role_in(self, organization_id: str) -> str | None:
        """The key user's role in an organization; None when not a member (or no such org)."""
        with self.lock:
            return self._data.memberships.get(organization_id)

    def organizations(self, *, members_only: bool) -> list[dict[str, Any]]:
        """Stored organizations with the key user's ``role`` added (copies)."""
        with self.lock:
            return [
                self.shapes.record(
                    "organization",
                    {**copy.deepcopy(org), "role": self._data.memberships.get(org_id)},
                )
                for org_id, org in self._data.organizations.items()
                if not members_only or org_id in self._data.memberships
            ]

    # -- bucket secrets ----------------------------------------------------------------------

    def add_bucket_secret(
        self,
        organization_id: str,
        *,
        bucket_name: str = "dataforce-local",
        endpoint: str = "127.0.0.1:9000",
        bucket_secret_id: str | None = None,
    ) -> str:
        with self.lock:
            self._require_org(organization_id)
            secret_id = canonical_id(bucket_secret_id, "bucket_secret_id") or self.ids.uuid7()
            if secret_id in self._data.bucket_secrets:
                raise ValueError(f"bucket secret {secret_id} already exists")
            self._data.bucket_secrets[secret_id] = self.shapes.record(
                "bucket_secret",
                {
                    "id": secret_id,
                    "endpoint": endpoint,
                    "bucket_name": bucket_name,
                    "organization_id": organization_id,
                    "created_at": self.ids.now(),
                },
            )
            return secret_id

    def bucket_secrets(self, organization_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [
                dict(s)
                for s in self._data.bucket_secrets.values()
                if s["organization_id"] == organization_id
            ]

    def secret_owner(self, secret_id: str) -> str | None:
        """The organization a bucket secret belongs to; None when there is no such secret."""
        with self.lock:
            secret = self._data.bucket_secrets.get(secret_id)
            return None if secret is None else str(secret["organization_id"])

    # -- orbits ------------------------------------------------------------------------------

    def orbits(self, organization_id: str) -> list[dict[str, Any]]:
        """An organization's orbits as OrbitDetails, in creation order (copies)."""
        with self.lock:
            return [
                copy.deepcopy(o)
                for o in self._data.orbits.values()
                if o["organization_id"] == organization_id
            ]

    def orbit(self, orbit_id: str) -> dict[str, Any] | None:
        """One orbit as OrbitDetails (a copy), whatever its organization."""
        with self.lock:
            orbit = self._data.orbits.get(orbit_id)
            return copy.deepcopy(orbit) if orbit is not None else None

    def orbit_count(self, organization_id: str) -> int:
        with self.lock:
            return sum(
                1 for o in self._data.orbits.values() if o["organization_id"] == organization_id
            )

    def add_orbit(
        self,
        organization_id: str,
        name: str,
        bucket_secret_id: str | None = None,
        *,
        orbit_id: str | None = None,
    ) -> dict[str, Any]:
        """Store an orbit directly (no limit, no members); its secret defaults to the org's."""
        with self.lock:
            self._require_org(organization_id)
            if bucket_secret_id is None:
                owned = self.bucket_secrets(organization_id)
                bucket_secret_id = owned[0]["id"] if owned else None
                bucket_secret_id = bucket_secret_id or self.add_bucket_secret(organization_id)
            elif self.secret_owner(bucket_secret_id) != organization_id:
                raise ValueError(f"bucket secret {bucket_secret_id} is not {organization_id}'s")
            new_id = canonical_id(orbit_id, "orbit_id") or self.ids.uuid7()
            if new_id in self._data.orbits:
                raise ValueError(f"orbit {new_id} already exists")
            return self._store_orbit(new_id, organization_id, name, bucket_secret_id, [])

    def create_orbit(
        self,
        organization_id: str,
        name: str,
        bucket_secret_id: str,
        members: Iterable[tuple[str, str]] = (),
    ) -> dict[str, Any]:
        """A new orbit with ``members`` (user ID, role); the caller checked they exist."""
        with self.lock:
            orbit_id = self.ids.uuid7()
            stored_members = [
                self.shapes.record(
                    "member",
                    {
                        "id": self.ids.uuid7(),
                        "orbit_id": orbit_id,
                        "role": role,
                        "user": copy.deepcopy(self._data.users[user_id]),
                        "created_at": self.ids.now(),
                    },
                )
                for user_id, role in members
            ]
            return self._store_orbit(
                orbit_id, organization_id, name, bucket_secret_id, stored_members
            )

    def update_orbit(self, orbit_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply ``changes`` (stamping ``updated_at`` if there are any); the orbit after."""
        with self.lock:
            orbit = self._data.orbits[orbit_id]
            if changes:
                orbit.update(changes)
                orbit["updated_at"] = self.ids.now()
            return copy.deepcopy(orbit)

    def delete_orbit(self, orbit_id: str) -> None:
        with self.lock:
            self._data.orbits.pop(orbit_id, None)
            secrets = self._data.orbit_secrets
            for secret_id in [k for k, s in secrets.items() if s["orbit_id"] == orbit_id]:
                del secrets[secret_id]

    # -- orbit secrets -----------------------------------------------------------------------

    def add_orbit_secret(
        self,
        orbit_id: str,
        name: str,
        value: str,
        *,
        tags: Iterable[str] | None = None,
        secret_id: str | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            if orbit_id not in self._data.orbits:
                raise KeyError(f"no orbit {orbit_id}")
            new_id = canonical_id(secret_id, "secret_id") or self.ids.uuid7()
            if new_id in self._data.orbit_secrets:
                raise ValueError(f"orbit secret {new_id} already exists")
            secret = self.shapes.record(
                "orbit_secret",
                {
                    "id": new_id,
                    "name": name,
                    "value": value,
                    "orbit_id": orbit_id,
                    "tags": None if tags is None else list(tags),
                    "created_at": self.ids.now(),
                    "updated_at": None,
                },
            )
            self._data.orbit_secrets[new_id] = secret
            return copy.deepcopy(secret)

    def orbit_secrets(self, orbit_id: str) -> list[dict[str, Any]]:
        """An orbit's secrets, in creation order (copies)."""
        with self.lock:
            return [
                copy.deepcopy(s)
                for s in self._data.orbit_secrets.values()
                if s["orbit_id"] == orbit_id
            ]

    # -- helpers -----------------------------------------------------------------------------

    def _store_orbit(
        self,
        orbit_id: str,
        organization_id: str,
        name: str,
        bucket_secret_id: str,
        members: list[dict[str, Any]],
    ) -> dict[str, Any]:
        orbit = self.shapes.record(
            "orbit",
            {
                "id": orbit_id,
                "name": name,
                "organization_id": organization_id,
                "bucket_secret_id": bucket_secret_id,
                "total_members": len(members),
                "role": CREATOR_ROLE,
                "created_at": self.ids.now(),
                "updated_at": None,
                "permissions": copy.deepcopy(ORBIT_PERMISSIONS[CREATOR_ROLE]),
                "members": members,
            },
        )
        self._data.orbits[orbit_id] = orbit
        return copy.deepcopy(orbit)

    def _require_org(self, organization_id: str) -> None:
        if organization_id not in self._data.organizations:
            raise KeyError(f"no organization {organization_id}")

    def corrupt(self, orbit_id: str, **fields: Any) -> None:
        """Overwrite stored fields with anything, bypassing every rule (tests of the
        stand-in's own response validation use it to make the server misbehave)."""
        with self.lock:
            self._data.orbits[orbit_id].update(fields)
