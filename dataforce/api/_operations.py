"""The API's operations as :class:`Call` values, built by the generated layer.

Paths, methods and request bodies come from ``dataforce_openapi`` (compiled from
openapi.yaml), so a change to the spec reaches the facade by regenerating. Only the
request-building half of the generated modules is used: responses are decoded by the
facade (see ``_models.py``), which is faster and maps every failure to a typed error.

The generated package is imported on first use, not when ``dataforce.api`` is imported:
it pulls in attrs and every model, which a program that never calls the API need not pay
for. IDs reach this module already validated as canonical UUID strings; the generated
functions only interpolate them (``quote(str(x))``), so they are passed as they are
rather than re-parsed into ``uuid.UUID`` on every call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ._transport import Call

if TYPE_CHECKING:
    from uuid import UUID


def _as_uuid(value: str) -> UUID:
    return cast("UUID", value)


def _call(kwargs: dict[str, Any], *, idempotent: bool = True, not_found_ok: bool = False) -> Call:
    return Call(
        kwargs["method"].upper(),
        kwargs["url"],
        json=kwargs.get("json"),
        idempotent=idempotent,
        not_found_ok=not_found_ok,
    )


def list_my_organizations() -> Call:
    from dataforce_openapi.api.organizations import list_my_organizations as op

    return _call(op._get_kwargs())


def list_orbits(organization_id: str) -> Call:
    from dataforce_openapi.api.orbits import list_orbits as op

    return _call(op._get_kwargs(_as_uuid(organization_id)))


def get_orbit(organization_id: str, orbit_id: str, *, not_found_ok: bool = False) -> Call:
    from dataforce_openapi.api.orbits import get_orbit as op

    kwargs = op._get_kwargs(_as_uuid(organization_id), _as_uuid(orbit_id))
    return _call(kwargs, not_found_ok=not_found_ok)


def create_orbit(organization_id: str, name: str, bucket_secret_id: str) -> Call:
    from dataforce_openapi.api.orbits import create_orbit as op
    from dataforce_openapi.models import OrbitCreateIn
    from dataforce_openapi.types import UNSET

    # `notify` defaults to False in the model; UNSET leaves it out of the body, which
    # carries exactly the two fields the SDK takes.
    body = OrbitCreateIn(name=name, bucket_secret_id=_as_uuid(bucket_secret_id), notify=UNSET)
    return _call(op._get_kwargs(_as_uuid(organization_id), body=body), idempotent=False)


def update_orbit(
    organization_id: str, orbit_id: str, name: str | None, bucket_secret_id: str | None
) -> Call:
    from dataforce_openapi.api.orbits import update_orbit as op
    from dataforce_openapi.models import OrbitUpdate

    body = OrbitUpdate()
    if name is not None:
        body.name = name
    if bucket_secret_id is not None:
        body.bucket_secret_id = _as_uuid(bucket_secret_id)
    return _call(op._get_kwargs(_as_uuid(organization_id), _as_uuid(orbit_id), body=body))


def delete_orbit(organization_id: str, orbit_id: str) -> Call:
    from dataforce_openapi.api.orbits import delete_orbit as op

    return _call(op._get_kwargs(_as_uuid(organization_id), _as_uuid(orbit_id)))
