"""What the hand-written facade relies on in openapi.yaml: the drift test's other half.

Response models are generated from the spec, so a property the spec gains is an
attribute after ``make generate``. What cannot follow the spec by regenerating is listed
here: the attributes the facade documents (the reference documentation's ``Orbit``, which
the CLI, the examples and users' code read), and which request properties the resource
methods take. tests/test_drift.py fails, naming this file or the file to regenerate,
when the spec and these lists disagree.
"""

from __future__ import annotations

from typing import Final

#: model -> attribute -> the spec type it must keep (``uuid``, ``date-time``, ``string``,
#: ``integer``…, ``|null`` when nullable). Removing or retyping one in the spec is a
#: breaking change for users: the drift test refuses it until this list says so.
#: The README's models paragraph lists exactly these (tests/test_readme.py checks it).
DOCUMENTED_ATTRIBUTES: Final[dict[str, dict[str, str]]] = {
    "Orbit": {
        "id": "uuid",
        "name": "string",
        "organization_id": "uuid",
        "bucket_secret_id": "uuid",
        "total_members": "integer|null",
        "total_collections": "integer|null",
        "total_satellites": "integer|null",
        "total_artifacts": "integer|null",
        "created_at": "date-time",
        "updated_at": "date-time|null",
        "role": "string|null",
        "permissions": "object|null",
    },
    "OrbitDetails": {
        "members": "array<OrbitMember>|null",
        "collections_tags": "array<string>|null",
    },
    # orbits.secrets() answers these (the README's secrets paragraph lists them).
    "OrbitSecretOut": {
        "id": "uuid",
        "name": "string",
        "value": "string",
        "orbit_id": "uuid",
        "tags": "array<string>|null",
        "created_at": "date-time",
        "updated_at": "date-time|null",
    },
    # The default-resolution flow reads these of the caller's organizations.
    "OrganizationSwitcher": {"id": "uuid", "name": "string"},
}

#: request body schema -> the resource methods whose parameters are its properties.
REQUEST_METHODS: Final[dict[str, str]] = {
    "OrbitCreateIn": "create",
    "OrbitUpdate": "update",
}

#: request schema -> property -> why no resource method takes it. The ONE allowlist of
#: request properties the facade does not expose; empty while every one is a parameter.
REQUEST_NOT_EXPOSED: Final[dict[str, dict[str, str]]] = {}

#: request schemas whose items the facade takes as a TypedDict: schema -> its name in
#: ``dataforce.api``.
REQUEST_ITEMS: Final[dict[str, str]] = {"OrbitMemberCreateSimple": "OrbitMemberCreate"}
