"""Operation paths taken from the packaged spec, so that a renamed path needs no test edits.

``path("get_orbit", organization_id=org, orbit_id=orbit)`` fills the spec's template for
that ``operationId``. Tests (and benches) name operations, never URL strings.
"""

from __future__ import annotations

from dataforce.testing._spec import load_spec

__all__ = ["path"]


def path(operation_id: str, **params: str) -> str:
    """The path of ``operation_id`` with its ``{parameters}`` filled in from ``params``."""
    operations = load_spec().operations
    if operation_id not in operations:
        raise KeyError(f"the spec has no operation {operation_id!r}: {sorted(operations)}")
    template = operations[operation_id].template
    try:
        return template.format(**params)
    except KeyError as exc:
        raise KeyError(f"{operation_id} ({template}) needs the parameter {exc}") from None
