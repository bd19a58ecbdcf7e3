"""The API's operations as :class:`Call` values, as the generated layer defines them.

Methods, paths and request bodies come from ``dataforce_openapi`` (compiled from
openapi.yaml), so a change to the spec reaches the facade by regenerating. Only the
request-building half of the generated modules is used: responses are decoded by the
facade (see ``_models.py``), which is faster and maps every failure to a typed error.

Each operation's method and path template are read from the generated request builder
once, by calling it with stand-in IDs, rather than on every call: the builder quotes each
ID and rebuilds its keyword dictionary, a few microseconds a request that buy nothing
here — IDs reach this module validated as canonical UUIDs, which need no quoting.

The generated package is imported on first use, not when ``dataforce.api`` is imported:
it pulls in attrs and every model, which a program that never calls the API need not pay
for.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, cast

from ._transport import Call

if TYPE_CHECKING:
    from uuid import UUID

# Stand-ins for the path parameters: UUID-shaped, so the generated quoting keeps them
# intact, and unlike any literal part of a path.
_ORGANIZATION = "00000000-0000-4000-8000-00000000000a"
_ORBIT = "00000000-0000-4000-8000-00000000000b"


def _as_uuid(value: str) -> UUID:
    # The generated builders only interpolate IDs (quote(str(x))): a validated string does.
    return cast("UUID", value)


@cache
def _routes() -> dict[str, tuple[str, str]]:
    """``{operation: (METHOD, path template)}``, the template's fields ``{0}`` the
    organization and ``{1}`` the orbit."""
    from dataforce_openapi.api.orbits import (
        create_orbit,
        delete_orbit,
        get_orbit,
        list_orbits,
        update_orbit,
    )
    from dataforce_openapi.api.organizations import list_my_organizations
    from dataforce_openapi.models import OrbitCreateIn, OrbitUpdate

    organization, orbit = _as_uuid(_ORGANIZATION), _as_uuid(_ORBIT)
    built: dict[str, dict[str, Any]] = {
        "list_my_organizations": list_my_organizations._get_kwargs(),
        "list_orbits": list_orbits._get_kwargs(organization),
        "get_orbit": get_orbit._get_kwargs(organization, orbit),
        "create_orbit": create_orbit._get_kwargs(
            organization, body=OrbitCreateIn(name="", bucket_secret_id=orbit)
        ),
        "update_orbit": update_orbit._get_kwargs(organization, orbit, body=OrbitUpdate()),
        "delete_orbit": delete_orbit._get_kwargs(organization, orbit),
    }
    return {
        name: (
            kwargs["method"].upper(),
            kwargs["url"].replace(_ORGANIZATION, "{0}").replace(_ORBIT, "{1}"),
        )
        for name, kwargs in built.items()
    }


def _call(
    operation: str,
    *ids: str,
    json: object = None,
    idempotent: bool = True,
    not_found_ok: bool = False,
) -> Call:
    method, template = _routes()[operation]
    return Call(
        method,
        template.format(*ids),
        json=json,
        idempotent=idempotent,
        not_found_ok=not_found_ok,
    )


def list_my_organizations() -> Call:
    return _call("list_my_organizations")


def list_orbits(organization_id: str) -> Call:
    return _call("list_orbits", organization_id)


def get_orbit(organization_id: str, orbit_id: str, *, not_found_ok: bool = False) -> Call:
    return _call("get_orbit", organization_id, orbit_id, not_found_ok=not_found_ok)


def create_orbit(organization_id: str, name: str, bucket_secret_id: str) -> Call:
    from dataforce_openapi.models import OrbitCreateIn
    from dataforce_openapi.types import UNSET

    # `notify` defaults to False in the model; UNSET leaves it out of the body, which
    # carries exactly the two fields the SDK takes.
    body = OrbitCreateIn(name=name, bucket_secret_id=_as_uuid(bucket_secret_id), notify=UNSET)
    return _call("create_orbit", organization_id, json=body.to_dict(), idempotent=False)


def update_orbit(
    organization_id: str, orbit_id: str, name: str | None, bucket_secret_id: str | None
) -> Call:
    from dataforce_openapi.models import OrbitUpdate

    body = OrbitUpdate()
    if name is not None:
        body.name = name
    if bucket_secret_id is not None:
        body.bucket_secret_id = _as_uuid(bucket_secret_id)
    return _call("update_orbit", organization_id, orbit_id, json=body.to_dict())


def delete_orbit(organization_id: str, orbit_id: str) -> Call:
    return _call("delete_orbit", organization_id, orbit_id)
