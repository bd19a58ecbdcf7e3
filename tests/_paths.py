"""Operation paths taken from the packaged spec, so that a renamed path needs no test edits.

``path("get_orbit", organization_id=org, orbit_id=orbit)`` fills the spec's template for
that ``operationId``. Tests (and benches) name operations, never URL strings.
"""

from __future__ import annotations

from dataforce.testing._spec import load_spec

__all__ = ["path", "template"]


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
