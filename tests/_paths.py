"""Spec facts for the tests, taken from the packaged spec, so that a renamed path or a
new enum value needs no test edits.

``path("get_orbit", organization_id=org, orbit_id=orbit)`` fills the spec's template for
that ``operationId``. Tests (and benches) name operations, never URL strings.
"""

from __future__ import annotations

from dataforce.testing._spec import load_spec

__all__ = ["NAME_MAX_LENGTH", "outside_enum", "path", "template"]


def template(operation_id: str) -> str:
    """The spec's path template of ``operation_id``, e.g.
    ``/v1/organizations/{organization_id}/orbits``."""
    operations = load_spec().operations
    if operation_id not in operations:
        raise KeyError(f"the spec has no operation {operation_id!r}: {sorted(operations)}")
    return operations[operation_id].template


def path(operation_id: str, **params: str) -> str:
    """The path of ``operation_id`` with its ``{parameters}`` filled in from ``params``."""
    pattern = template(operation_id)
    try:
        return pattern.format(**params)
    except KeyError as exc:
        raise KeyError(f"{operation_id} ({pattern}) needs the parameter {exc}") from None


def outside_enum(schema: str, prop: str) -> list[str]:
    """Values the spec's enum of ``schema.prop`` does not admit: its first value
    capitalized, a made-up role, and the empty string."""
    node = load_spec().document["components"]["schemas"][schema]["properties"][prop]
    allowed: list[str] = node["enum"]
    candidates = [allowed[0].capitalize(), "-".join(allowed) + "-or-else", ""]
    return [value for value in candidates if value not in allowed]


#: The longest orbit name the spec admits (``OrbitCreateIn.name.maxLength``).
NAME_MAX_LENGTH: int = load_spec().document["components"]["schemas"]["OrbitCreateIn"]["properties"][
    "name"
]["maxLength"]
