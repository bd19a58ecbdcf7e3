"""What the service answers, per ``operationId``, once a request is authenticated and valid.

Each handler takes the :class:`~dataforce.testing._store.Store` and the request's
:class:`Call` (canonical IDs from the path, the parsed JSON body) and returns an
:class:`~dataforce.testing._answers.Answer`. The order of the checks inside a handler is
the live service's (see :mod:`dataforce.testing`), e.g. a create checks the
organization (403), then the orbit limit (409), then the bucket secret (404), then the
members (400). The handlers run with the store's lock held.

Organization access comes first for every operation with an ``organization_id``: the
caller must be a member of the organization, and an organization that does not exist is
one the caller is not a member of, so both answer ``403 {"detail": "Not enough rights"}``
(the service's permission check runs before anything looks the organization up).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dataforce.testing._answers import Answer, error, internal_error, json_answer
from dataforce.testing._store import Store, canonical_id

__all__ = ["ANSWERS", "HANDLERS", "NULL_ACCEPTED", "Call", "Handler", "organization_access"]

NOT_ENOUGH_RIGHTS = "Not enough rights"
ORBIT_NOT_FOUND = "Orbit not found"
LIMIT_REACHED = "Organization reached maximum number of orbits"
SECRET_NOT_FOUND = "Bucket secret not found"  # noqa: S105 (a message, not a secret)
INVALID_MEMBERS = "Invalid members"

NULL_ACCEPTED: Mapping[str, frozenset[str]] = {
    "update_orbit": frozenset({"name", "bucket_secret_id"}),
}
"""Body fields the service's request model lets through as ``null`` though the spec forbids
it (the spec tells clients what works; the service then fails on them with a 500). The
stand-in's validation does not answer 422 for a null there, so the handler can answer
what the service does."""


@dataclass(frozen=True)
class Call:
    """One authenticated, validated request, as a handler sees it."""

    organization_id: str  # canonical UUID, or "" for operations without one
    orbit_id: str  # canonical UUID, or ""
    body: Any  # the parsed JSON body, or None


Handler = Callable[[Store, Call], Answer]


def organization_access(store: Store, organization_id: str) -> Answer | None:
    """The 403 for an organization the caller is not a member of (or that does not exist)."""
    if store.role_in(organization_id) is None:
        return error(403, NOT_ENOUGH_RIGHTS)
    return None


def _id(value: Any) -> str:
    """A UUID from a validated body (``format: uuid`` passed), in canonical form."""
    return canonical_id(str(value), "id") or ""


def _scoped_orbit(store: Store, call: Call) -> dict[str, Any] | None:
    """The orbit of the path, looked up within the path's organization (as the service
    does for GET, PATCH and DELETE): another organization's orbit is not found."""
    orbit = store.orbit(call.orbit_id)
    if orbit is None or orbit["organization_id"] != call.organization_id:
        return None
    return orbit


def _record(store: Store, operation_id: str, record: Mapping[str, Any]) -> Answer:
    """A 200 with a stored record in the shape of the operation's answer."""
    return json_answer(200, store.shapes.answer(operation_id, record))


def _records(store: Store, operation_id: str, records: list[dict[str, Any]]) -> Answer:
    """A 200 with a list of stored records, each in the shape of the operation's items."""
    return json_answer(200, [store.shapes.answer(operation_id, r) for r in records])


def list_my_organizations(store: Store, call: Call) -> Answer:
    organizations = store.organizations(members_only=True)
    organizations.sort(key=lambda o: (o["name"], o["id"]))
    return _records(store, "list_my_organizations", organizations)


def list_bucket_secrets(store: Store, call: Call) -> Answer:
    if store.role_in(call.organization_id) not in ("owner", "admin"):
        return error(403, NOT_ENOUGH_RIGHTS)
    return _records(store, "list_bucket_secrets", store.bucket_secrets(call.organization_id))


def list_orbits(store: Store, call: Call) -> Answer:
    return _records(store, "list_orbits", store.orbits(call.organization_id))


def create_orbit(store: Store, call: Call) -> Answer:
    org_id = call.organization_id
    if store.orbit_count(org_id) >= store.orbit_limit_of(org_id):
        return error(409, LIMIT_REACHED)
    secret_id = _id(call.body["bucket_secret_id"])
    if store.secret_owner(secret_id) != org_id:  # POST, unlike PATCH, checks the owner
        return error(404, SECRET_NOT_FOUND)
    requested = call.body.get("members") or []
    members = [(_id(m["user_id"]), str(m["role"])) for m in requested]
    user_ids = [user_id for user_id, _ in members]
    if len(set(user_ids)) != len(user_ids) or not store.known_users(user_ids):
        return error(400, INVALID_MEMBERS)
    orbit = store.create_orbit(org_id, call.body["name"], secret_id, members)
    return _record(store, "create_orbit", orbit)


def get_orbit(store: Store, call: Call) -> Answer:
    orbit = _scoped_orbit(store, call)
    if orbit is None:
        return error(404, ORBIT_NOT_FOUND)
    return _record(store, "get_orbit", orbit)


def update_orbit(store: Store, call: Call) -> Answer:
    orbit = _scoped_orbit(store, call)
    if orbit is None:
        return error(404, ORBIT_NOT_FOUND)
    # Unknown fields are ignored; `{}` changes nothing. A bucket secret must be the
    # organization's own (a null one is not found either); a null name crashes the
    # service: a plain-text 500.
    changes = {k: v for k, v in call.body.items() if k in ("name", "bucket_secret_id")}
    if "bucket_secret_id" in changes:
        secret = changes["bucket_secret_id"]
        changes["bucket_secret_id"] = None if secret is None else _id(secret)
        if (
            secret is None
            or store.secret_owner(changes["bucket_secret_id"]) != orbit["organization_id"]
        ):
            return error(404, SECRET_NOT_FOUND)
    if "name" in changes and changes["name"] is None:
        return internal_error()
    updated = store.update_orbit(orbit["id"], changes)
    # The service's PATCH answer carries no permissions, where GET, POST and list do.
    return _record(store, "update_orbit", {**updated, "permissions": None})


def delete_orbit(store: Store, call: Call) -> Answer:
    orbit = _scoped_orbit(store, call)
    if orbit is None:
        return error(404, ORBIT_NOT_FOUND)  # also for an orbit deleted a moment ago
    store.delete_orbit(orbit["id"])
    return Answer(204)


def list_orbit_secrets(store: Store, call: Call) -> Answer:
    orbit = _scoped_orbit(store, call)
    if orbit is None:
        return error(404, ORBIT_NOT_FOUND)
    return _records(store, "list_orbit_secrets", store.orbit_secrets(orbit["id"]))


HANDLERS: Mapping[str, Handler] = {
    "list_my_organizations": list_my_organizations,
    "list_bucket_secrets": list_bucket_secrets,
    "list_orbits": list_orbits,
    "create_orbit": create_orbit,
    "get_orbit": get_orbit,
    "update_orbit": update_orbit,
    "delete_orbit": delete_orbit,
    "list_orbit_secrets": list_orbit_secrets,
}
"""One handler per ``operationId`` of the packaged spec; an operation of the spec without
one is answered 501 (see :mod:`dataforce.testing._dispatch`)."""

ANSWERS: Mapping[str, str] = {
    "list_my_organizations": "organization",
    "list_bucket_secrets": "bucket_secret",
    "list_orbits": "orbit",
    "create_orbit": "orbit",
    "get_orbit": "orbit",
    "update_orbit": "orbit",
    "list_orbit_secrets": "orbit_secret",
}
"""The kind of stored record (:data:`dataforce.testing._store.RECORDS`) each handler
answers, in the shape of its operation's answer: e.g. a stored orbit (``OrbitDetails``)
listed as an ``Orbit``, without the properties only the details have."""
