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

Needs the ``local`` extra (``pip install 'dataforce[local]'``) for PyYAML and jsonschema.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataforce.testing._server import (
        DEFAULT_ORBIT_LIMIT,
        InjectedFault,
        LocalDataForce,
        RecordedRequest,
        ResponseValidationError,
        serve,
    )

__all__ = [
    "DEFAULT_ORBIT_LIMIT",
    "InjectedFault",
    "LocalDataForce",
    "RecordedRequest",
    "ResponseValidationError",
    "serve",
]


def __getattr__(name: str) -> Any:
    # Imported on first use: pytest imports dataforce.testing.pytest_plugin (and with it
    # this package) in every session, which must not pay for PyYAML and jsonschema, nor
    # fail when the `local` extra is not installed.
    if name in __all__:
        return getattr(importlib.import_module("dataforce.testing._server"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
