"""openapi.yaml says what today's service does: its published document (the baseline,
``dataforce/_spec_baseline.json``) plus what the service was observed to answer.

The comparison is ``dataforce spec diff``'s own (the SDK's operations, found by method and
path, and every schema they reach): every difference between the service's document and
openapi.yaml must be one of the departures listed here, each with its reason, and every
listed departure must still be one — so that a reconciled spec cannot drift from the
document silently, and a departure that has become needless is taken off the list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from dataforce._spec_diff import BASELINE, diff
from tests._paths import template

ROOT = Path(__file__).resolve().parent.parent
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))

ORGS = f"GET {template('list_my_organizations')}"
LIST = f"GET {template('list_orbits')}"
CREATE = f"POST {template('create_orbit')}"
GET = f"GET {template('get_orbit')}"
UPDATE = f"PATCH {template('update_orbit')}"
DELETE = f"DELETE {template('delete_orbit')}"
SECRETS = f"GET {template('list_orbit_secrets')}"
ORBIT_OPERATIONS = (LIST, CREATE, GET, UPDATE, DELETE)


def _enum_of(name: str) -> str:
    """The service's enum of ``name``, as `spec diff` quotes it."""
    values = json.loads(BASELINE.read_text(encoding="utf-8"))["components"]["schemas"][name]
    return ", ".join(json.dumps(value) for value in values["enum"])


#: reason -> the differences (where, what) it explains, as `spec diff` words them.
DEPARTURES: dict[str, list[tuple[str, str]]] = {
    "the service answers these statuses, which its document does not list "
    "(401 and a plain-text 500 everywhere; 404 for an unknown orbit or bucket secret, "
    "400 for bad members, 409 over the orbit limit)": [
        (ORGS, "status 401 added"),
        *[(operation, "status 500 added") for operation in (ORGS, *ORBIT_OPERATIONS)],
        *[(operation, "status 404 added") for operation in (CREATE, GET, UPDATE, DELETE)],
        (CREATE, "status 400 added"),
        (CREATE, "status 409 added"),
    ],
    "error bodies are described: the document gives only an example of `{detail}`": [
        (f"{operation} {status} response", "schema added (ErrorDetail)")
        for operation in (*ORBIT_OPERATIONS, SECRETS)
        for status in ("401", "403")
    ],
    "an orbit's secrets of an orbit the organization does not have: 404, as the orbit's "
    "own routes answer (assumed, not yet observed on this route)": [
        (SECRETS, "status 404 added"),
    ],
    "a secret's value is marked `format: password`, so that the models never show it in "
    "a repr and errors never quote an answer holding it": [
        ("OrbitSecretOut.value", "format password added"),
    ],
    "the 422 body in full, as the service sends it": [
        ("HTTPValidationError.detail", "now required"),
        ("ValidationError.input", "property added (any, optional)"),
        ("ValidationError.ctx", "property added (object, optional)"),
    ],
    "roles stay open strings in responses: new roles may appear, and a client must keep "
    "working (a create's member role is still the enum)": [
        ("OrgRole", f"no longer restricted to {_enum_of('OrgRole')}"),
        ("OrbitRole", f"no longer restricted to {_enum_of('OrbitRole')}"),
    ],
    "an update sends only what works: never `id` (ignored by the service), never a null "
    "name (500) or bucket secret (404), a name of 1 to 100 characters, not blank": [
        ("OrbitUpdate.id", "property removed"),
        ("OrbitUpdate.name", "type string|null -> string"),
        ("OrbitUpdate.bucket_secret_id", "type string(uuid)|null -> string(uuid)"),
    ],
}


def _differences() -> set[tuple[str, str]]:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    return {(change.where, change.what) for change in diff(baseline, SPEC)}


def test_the_spec_differs_from_the_services_document_only_by_listed_departures() -> None:
    listed = [difference for differences in DEPARTURES.values() for difference in differences]
    assert len(listed) == len(set(listed)), "a departure is listed twice"
    found = _differences()
    unexplained = sorted(found - set(listed))
    assert not unexplained, f"openapi.yaml departs from the service's document: {unexplained}"
    stale = sorted(set(listed) - found)
    assert not stale, f"no longer departures, take them off the list: {stale}"


def test_the_spec_calls_the_operations_the_service_serves_today() -> None:
    """Whatever the departures: every operation the SDK sends is at the service's path
    (no move), with the service's parameters, and every status the document lists."""
    for where, what in _differences():
        assert not what.startswith(("moved", "operation")), (where, what)
        assert " parameter " not in where, (where, what)
        assert not (what.startswith("status") and what.endswith("removed")), (where, what)
