"""A local, stateful stand-in for the DataForce service, for tests and demos (like moto).

:class:`LocalDataForce` serves the orbits API described by the packaged ``openapi.yaml``
from memory over real HTTP on loopback, so that the SDK (or any client) is tested through
its real transport: connection pooling, timeouts, retries and error mapping included.
Every request is validated against the spec, every request is recorded, and faults
(error statuses, delays, dropped connections, malformed bodies) can be injected::

    from dataforce.testing import LocalDataForce

    with LocalDataForce() as server:
        client = make_client(base_url=server.base_url, api_key=server.api_key)
        server.inject_fault("POST", "*/orbits", status=503, retry_after=1)
        ...
        assert len(server.requests) == 2

Pytest users get the ``dataforce_server`` fixture from :mod:`dataforce.testing.pytest_plugin`
(registered automatically). ``serve()`` runs a server in the foreground for demos
(``dataforce serve``, or ``python -m dataforce.testing``).

Needs the ``local`` extra (``pip install 'dataforce-sdk[local]'``) for PyYAML, jsonschema and
werkzeug; without it, importing :class:`LocalDataForce` raises an ``ImportError`` saying so.

How it is built (like moto: state apart from HTTP), one concept per module:

* ``_store`` — the stored state and its operations, no HTTP;
* ``_handlers`` — the answer per ``operationId``, organization access, error messages;
* ``_dispatch`` — routing, authentication, request and response validation, in order;
* ``_spec`` (with ``_ecma_regex``, ``_fastapi_details``) — the packaged spec, compiled;
* ``_shapes`` — the shape of every stored record and every answer, read from the spec's
  response schemas and checked against what the store gives a value, when a server is
  built (a spec the store no longer fits stops it, naming the file to change);
* ``_faults`` — injected faults, decided in one place as one ordered list of effects;
* ``_answers`` — the answer value and the service's bodies; ``_records`` — the request
  log and the spec violations;
* ``_serving`` — HTTP, served by werkzeug; ``_facade`` — :class:`LocalDataForce`;
  ``_foreground`` — :func:`serve`; ``_ids`` — IDs, keys and timestamps.

Behaviour follows the live service as it runs today (the release the packaged spec and
the SDK's ``_spec_baseline.json`` describe; the repository's ``CHANGELOG.md`` says what
changed): every path under ``/v1``, 200 on create, ``403 {"detail": "Not enough rights"}``
for an organization the caller is not a member of (or that does not exist), a create's
checks in the service's order (403, 409, 404, 400), orbits looked up within the
organization in the path (``404 {"detail": "Orbit not found"}`` for another
organization's orbit, for GET, PATCH, DELETE and its secrets alike), 404 on deleting an orbit that
does not exist (or no longer does), ``404 "Bucket secret not found"`` for a PATCH naming
an unknown, foreign or null bucket secret, a plain-text 500 for a PATCH with a null
``name``, PATCH answering ``permissions: null``, 307 for a trailing slash, ``{"detail":
...}`` error bodies, and the framework's ``404 {"detail": "Not Found"}`` for a path it
does not serve. Where it deliberately departs from the service:

1. An organization may hold ``DEFAULT_ORBIT_LIMIT`` (50) orbits unless configured
   otherwise, so that demos and tests can create several; the service lets a new
   organization hold one. Beyond the limit a create is ``409``, as on the service.
2. Every request is validated against the packaged spec, which states the client's rules
   where the service checks less: an orbit name must be 1 to 100 characters and not blank
   (422), where the service accepts any name up to 100 characters, empty and blank ones
   included.
3. Bucket secrets are listed in the spec's older, single shape (``BucketSecretOut``),
   not the service's union of storage kinds (see the spec's ``list_bucket_secrets``).
4. Response properties the stand-in does not model take a value by one rule (see
   ``_shapes``): its placeholder if it has one, else the schema's ``default``, else
   ``null`` where allowed, else the type's empty value. So the counters
   (``total_collections``, ``total_satellites``, ``total_artifacts``) stay 0 and
   ``collections_tags`` empty, and a property the spec gains is answered at once.
5. An orbit's secrets are listed (``GET .../orbits/{orbit_id}/secrets``) but made only by
   the test control ``add_orbit_secret(...)``: the SDK lists them, nothing more. A 404
   for an orbit that is not the organization's is assumed, as for the orbit's own routes.
6. No keep-alive: werkzeug answers every request with ``Connection: close``.
7. An operation of the spec the stand-in has no handler for (the service added it, and
   the spec with it, before the stand-in followed) answers ``501 {"detail": "the local
   DataForce server does not implement <operationId> (<METHOD> <path>) yet"}`` once the
   request is authenticated and valid, and the server still starts
   (:attr:`LocalDataForce.unimplemented_operations` lists them). No spec documents that
   501, so it is not checked against the spec, and it is not recorded as a spec
   violation either: those say the stand-in misbehaved and fail the ``dataforce_server``
   fixture's test, where this one says plainly what it lacks to the call that hit it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dataforce import DISTRIBUTION

if TYPE_CHECKING:
    from dataforce.testing._facade import DEFAULT_ORBIT_LIMIT, LocalDataForce
    from dataforce.testing._faults import InjectedFault
    from dataforce.testing._foreground import serve
    from dataforce.testing._records import (
        RecordedRequest,
        RequestViolation,
        ResponseValidationError,
        SpecViolation,
    )

__all__ = [
    "DEFAULT_ORBIT_LIMIT",
    "InjectedFault",
    "LocalDataForce",
    "RecordedRequest",
    "RequestViolation",
    "ResponseValidationError",
    "SpecViolation",
    "serve",
]

_HOMES = {
    "DEFAULT_ORBIT_LIMIT": "_facade",
    "LocalDataForce": "_facade",
    "serve": "_foreground",
    "InjectedFault": "_faults",
    "RecordedRequest": "_records",
    "RequestViolation": "_records",
    "ResponseValidationError": "_records",
    "SpecViolation": "_records",
}


def __getattr__(name: str) -> Any:
    # Imported on first use: pytest imports dataforce.testing.pytest_plugin (and with it
    # this package) in every session, which must not pay for PyYAML, jsonschema and
    # werkzeug, nor fail when the `local` extra is not installed.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module(f"dataforce.testing.{home}")
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] == "dataforce":
            raise
        raise ImportError(
            f"dataforce.testing.{name} needs the 'local' extra, which is not installed "
            f"(no module named {exc.name!r}): pip install '{DISTRIBUTION}[local]'",
            name=exc.name,
        ) from exc
    return getattr(module, name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
