"""Helpers shared by the tests of the local server (tests/test_local_server_*.py)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from dataforce.testing import LocalDataForce
from dataforce.testing._spec import load_spec
from tests._paths import path

# The spec's: an orbit as listed; by ID, with the details' own properties too.
_SCHEMAS = load_spec().document["components"]["schemas"]
ORBIT_FIELDS = set(_SCHEMAS["Orbit"]["properties"])
DETAILS_FIELDS = set(_SCHEMAS["OrbitDetails"]["properties"])
ORGANIZATION_FIELDS = set(_SCHEMAS["OrganizationSwitcher"]["properties"])
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
API_KEY = re.compile(r"^dfs_[A-Za-z0-9_-]{43}$")
MISSING_ID = "0199c455-21ed-7aba-9fe5-000000000000"
ORGS = path("list_my_organizations")


def orbits_path(org: str) -> str:
    return path("list_orbits", organization_id=org)


def orbit_path(org: str, orbit: str) -> str:
    return path("get_orbit", organization_id=org, orbit_id=orbit)


def secrets_path(org: str) -> str:
    return path("list_bucket_secrets", organization_id=org)


def create(
    client: httpx.Client, server: LocalDataForce, name: str = "ML Models", **extra: Any
) -> httpx.Response:
    body = {"name": name, "bucket_secret_id": server.bucket_secret_id, **extra}
    return client.post(orbits_path(server.organization_id), json=body)


def is_uuid7(value: str) -> bool:
    return str(uuid.UUID(value)) == value and uuid.UUID(value).version == 7
