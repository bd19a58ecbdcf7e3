"""The API's operations as :class:`Call` values, built from the spec's operation table.

Method, path template and retry class of every operation come from the generated
operation table (``_schema.OPERATIONS``, compiled from openapi.yaml by ``make
generate``): a renamed path reaches the facade by regenerating. The retry class follows
the method; the exceptions are declared here, beside the flows that rely on them. IDs
reach this module validated and canonical (``_validation.ensure_id``), which is why they
are interpolated unquoted.

``USED`` says which public method uses which operation; the drift test
(tests/test_drift.py) fails when the spec has an operation that is neither used here
nor in ``NOT_EXPOSED`` with the reason.
"""

from __future__ import annotations

from typing import Final

from ._schema import OPERATIONS
from ._transport import Call

#: operationId -> the facade methods that send it.
USED: Final = {
    "list_my_organizations": "client construction / setup_config (default organization)",
    "list_orbits": "orbits.list(), orbits.get(name), default orbit by name",
    "get_orbit": "orbits.get(id), orbits.get(), default orbit by ID",
    "create_orbit": "orbits.create()",
    "update_orbit": "orbits.update()",
    "delete_orbit": "orbits.delete()",
    "list_orbit_secrets": "orbits.secrets()",
}
#: operationId -> why the facade does not expose it.
NOT_EXPOSED: Final = {
    "list_bucket_secrets": "bucket secrets are not part of the orbits SDK yet; documented in "
    "the spec for the local server, which validates create/update against them",
}


#: Operations that may be retried although their method is not idempotent, and why.
#: ``update_orbit`` (PATCH) sets the fields given to the values given: repeating it changes
#: nothing more, so a lost answer is retried like a DELETE's.
IDEMPOTENT_BY_DESIGN: Final = frozenset({"update_orbit"})


def _version_prefix(templates: list[str]) -> str:
    """The leading path segments every operation shares, up to the first parameter
    (``/v1``): the API's version, which ``base_url`` must not repeat."""
    split = [template.split("/")[1:] for template in templates]
    shared = []
    for segments in zip(*split, strict=False):
        if len(set(segments)) != 1 or "{" in segments[0]:
            break
        shared.append(segments[0])
    return "".join(f"/{segment}" for segment in shared)


#: The API's version prefix, from the spec's paths: ``/v1``.
VERSION_PREFIX: Final = _version_prefix([op.template for op in OPERATIONS.values()])


def _call(
    operation_id: str,
    *ids: str,
    json: object = None,
    not_found_ok: bool = False,
    deletes: bool = False,
) -> Call:
    operation = OPERATIONS[operation_id]
    return Call(
        operation.method,
        operation.template.format(*ids) if ids else operation.template,
        json=json,
        idempotent=operation.retry != "unsafe" or operation_id in IDEMPOTENT_BY_DESIGN,
        not_found_ok=not_found_ok,
        deletes=deletes,
    )


def list_my_organizations() -> Call:
    return _call("list_my_organizations")


def list_orbits(organization_id: str) -> Call:
    return _call("list_orbits", organization_id)


def get_orbit(organization_id: str, orbit_id: str, *, not_found_ok: bool = False) -> Call:
    return _call("get_orbit", organization_id, orbit_id, not_found_ok=not_found_ok)


def create_orbit(organization_id: str, body: dict[str, object]) -> Call:
    return _call("create_orbit", organization_id, json=body)


def update_orbit(organization_id: str, orbit_id: str, body: dict[str, object]) -> Call:
    return _call("update_orbit", organization_id, orbit_id, json=body)


def delete_orbit(organization_id: str, orbit_id: str) -> Call:
    return _call("delete_orbit", organization_id, orbit_id, deletes=True)


def list_orbit_secrets(organization_id: str, orbit_id: str) -> Call:
    return _call("list_orbit_secrets", organization_id, orbit_id)
