"""Canned data shared by the benchmark's server, workers and driver (``scripts/bench.py``).

Everything is deterministic: the same IDs and bodies on every run, so runs compare.
An organization's ID decides how many orbits its list holds (``LIST_SIZES``).
"""

from __future__ import annotations

import json
import os
import random

LIST_SIZES = (1, 100, 1000, 10000)
API_KEY = "dfs_" + "b" * 43
NAME_LOOKUP_SIZE = 1000
NAME_LOOKUP_TARGET = "Orbit 0777"


def _paths() -> dict[str, str]:
    """operationId -> path template with positional fields (``/v1/organizations/{0}/orbits``),
    the spec's: from ``DATAFORCE_BENCH_PATHS``, which the driver sets for the server and
    the workers (so that a raw-httpx worker never imports the SDK), else from the
    facade's operation table."""
    given = os.environ.get("DATAFORCE_BENCH_PATHS")
    if given:
        paths: dict[str, str] = json.loads(given)
        return paths
    from dataforce.api._schema import OPERATIONS

    return {name: operation.template for name, operation in OPERATIONS.items()}


PATHS = _paths()


def uuid7ish(rng: random.Random) -> str:
    """A UUIDv7-shaped string: a 2025-ish millisecond prefix, version 7, variant 10."""
    ms = 0x0196F0000000 + rng.getrandbits(32)
    return (
        f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-7{rng.getrandbits(12):03x}-"
        f"{0x8000 | rng.getrandbits(14):04x}-{rng.getrandbits(48):012x}"
    )


def _ids() -> dict[str, object]:
    rng = random.Random(20250521)
    orgs = {size: uuid7ish(rng) for size in LIST_SIZES}
    orbits = {size: [uuid7ish(rng) for _ in range(size)] for size in LIST_SIZES}
    return {
        "orgs": orgs,
        "orbits": orbits,
        "bucket_secret": uuid7ish(rng),
        "user": uuid7ish(rng),
        "unlisted_orbit": uuid7ish(rng),
    }


IDS = _ids()


def ids_for_workers() -> dict[str, object]:
    """What a client worker needs to address things (no orbit lists: they are large)."""
    orgs: dict[int, str] = IDS["orgs"]  # type: ignore[assignment]
    orbits: dict[int, list[str]] = IDS["orbits"]  # type: ignore[assignment]
    return {
        "orgs": {str(size): org for size, org in orgs.items()},
        "default_orbit": {str(size): orbits[size][0] for size in LIST_SIZES},
        "bucket_secret": IDS["bucket_secret"],
        "unlisted_orbit": IDS["unlisted_orbit"],
        "name_lookup_size": NAME_LOOKUP_SIZE,
        "name_lookup_target": NAME_LOOKUP_TARGET,
        "api_key": API_KEY,
    }


#: What the caller may do in an orbit: the object the service's GET, POST and list carry
#: (an admin's; its PATCH answers ``null``). Realistic bodies matter: the SDK scans each
#: body's nesting depth before decoding it, and these objects are most of the nesting.
PERMISSIONS = {"orbit": ["read", "update", "delete"], "members": ["read", "update"]}


def orbit_json(
    index: int, orbit_id: str, organization_id: str, permissions: object = PERMISSIONS
) -> dict[str, object]:
    return {
        "id": orbit_id,
        "name": f"Orbit {index:04d}",
        "organization_id": organization_id,
        "bucket_secret_id": IDS["bucket_secret"],
        "total_members": 2,
        "total_collections": 9,
        "total_satellites": 1,
        "total_artifacts": 24,
        "role": "admin",
        "created_at": (
            f"2025-05-21T19:{index // 60 % 60:02d}:{index % 60:02d}.{index * 7919 % 1000000:06d}Z"
        ),
        "updated_at": "2025-08-13T22:44:58.035731Z",
        "permissions": permissions,
    }


def orbit_details_json(orbit_id: str, organization_id: str) -> dict[str, object]:
    """``OrbitDetails``: an orbit plus its members, as GET one orbit and POST answer it."""
    details = orbit_json(42, orbit_id, organization_id)
    details["members"] = [
        {
            "id": IDS["user"][:-4] + f"{n:04x}",  # type: ignore[index]
            "orbit_id": orbit_id,
            "role": "admin" if n == 0 else "member",
            "user": {
                "id": IDS["user"],
                "email": f"user{n}@example.com",
                "full_name": f"User {n}",
                "disabled": False,
                "photo": None,
                "has_api_key": True,
            },
            "created_at": "2025-05-21T19:35:17.340408Z",
            "updated_at": None,
        }
        for n in range(2)
    ]
    details["collections_tags"] = ["production", "vision"]
    return details


def organizations_json() -> list[dict[str, object]]:
    orgs: dict[int, str] = IDS["orgs"]  # type: ignore[assignment]
    return [
        {
            "id": org,
            "name": f"Bench organization {size:05d}",
            "logo": None,
            "created_at": "2025-01-02T03:04:05.000006Z",
            "updated_at": None,
            "role": "owner",
            "permissions": None,
        }
        for size, org in sorted(orgs.items())
    ]


def orbit_list_body(size: int) -> bytes:
    orgs: dict[int, str] = IDS["orgs"]  # type: ignore[assignment]
    orbits: dict[int, list[str]] = IDS["orbits"]  # type: ignore[assignment]
    org = orgs[size]
    return dumps([orbit_json(i, orbit_id, org) for i, orbit_id in enumerate(orbits[size])])


def dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()
