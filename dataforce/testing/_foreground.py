"""A stand-in for a person at a terminal: ``dataforce serve`` and the summary it prints."""

from __future__ import annotations

import sys
from typing import IO

from dataforce.testing._facade import LocalDataForce
from dataforce.testing._store import DEFAULT_ORBIT_LIMIT

__all__ = ["serve", "summary"]


def summary(server: LocalDataForce) -> str:
    """Where the server is, its key and the seeded IDs (:meth:`LocalDataForce.describe`)."""
    org = {o["id"]: o["name"] for o in server.organizations()}.get(server.organization_id)
    orbit = {o["id"]: o["name"] for o in server.orbits()}.get(server.orbit_id)
    base = server.base_url if server.running else f"{server.base_url} (not running)"
    unimplemented = server.unimplemented_operations
    return "\n".join(
        [
            "DataForce local server (in-memory: all data is lost when it stops)",
            f"  Base URL:       {base}",
            f"  API key:        {server.api_key}",
            f"  Organization:   {server.organization_id}  {org or '(gone)'}",
            f"  Bucket secret:  {server.bucket_secret_id}",
            f"  Orbit:          {server.orbit_id}  {orbit or '(deleted)'}",
            f"  Orbit limit:    {server.orbit_limit} per organization",
            *([f"  Answered 501:   {', '.join(unimplemented)}"] if unimplemented else []),
            "Point the SDK at it:",
            f"  export DFS_BASE_URL={server.base_url}",
            f"  export DFS_API_KEY={server.api_key}",
        ]
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    seed: int | None = None,
    deterministic: bool = False,
    api_key: str | None = None,
    orbit_limit: int = DEFAULT_ORBIT_LIMIT,
    validate_responses: bool = False,
    allow_remote: bool = False,
    log_requests: bool = True,
    out: IO[str] | None = None,
) -> None:
    """Run a seeded local server in this process until Ctrl-C (what ``dataforce serve`` does).

    Prints :meth:`LocalDataForce.describe` (base URL, API key, seeded IDs) to ``out``
    (default stdout) once listening, then one line per request to stderr unless
    ``log_requests`` is false. Raises ``OSError`` if the port cannot be bound and
    ``ValueError`` for a non-loopback ``host`` without ``allow_remote``.
    """
    stream = out if out is not None else sys.stdout
    server = LocalDataForce(
        host=host,
        port=port,
        seed=seed,
        deterministic=deterministic,
        api_key=api_key,
        orbit_limit=orbit_limit,
        validate_responses=validate_responses,
        allow_remote=allow_remote,
        log_requests=log_requests,
    )
    server.start()
    try:
        print(server.describe(), file=stream)
        print("Press Ctrl-C to stop.", file=stream, flush=True)
        server.serve_forever()
    finally:
        server.stop()
