"""Pytest fixtures for testing code that talks to DataForce, against a local stand-in.

Registered automatically through the ``pytest11`` entry point ``dataforce`` when the
package is installed, so tests simply ask for the fixture::

    def test_lists_orbits(dataforce_server):
        client = make_client(base_url=dataforce_server.base_url,
                             api_key=dataforce_server.api_key)
        ...
        assert dataforce_server.requests[-1].method == "GET"

``dataforce_server`` is function-scoped in behaviour: each test sees a freshly seeded
server (one organization, bucket secret and orbit; no recorded requests; no faults). For
speed it is one server per session, started on first use and :meth:`reset` around each
test, rather than a new socket and thread per test. It validates its own responses
against the spec, and a test fails at teardown if the server sent anything the spec does
not allow (or crashed): a passing test then also means the stand-in behaved like the
documented service.

This module imports nothing heavy at import time, because pytest loads it in every
session of every project that has the package installed; the server (and its
PyYAML/jsonschema dependencies, the ``local`` extra) is imported inside the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from dataforce import DISTRIBUTION

if TYPE_CHECKING:
    from dataforce.testing import LocalDataForce

__all__ = ["dataforce_env", "dataforce_server"]


@pytest.fixture(scope="session")
def _dataforce_session_server() -> Iterator[LocalDataForce]:
    try:
        from dataforce.testing import LocalDataForce

        server = LocalDataForce(validate_responses=True)
    except ImportError as error:
        pytest.fail(
            f"the dataforce_server fixture needs the 'local' extra "
            f"(pip install '{DISTRIBUTION}[local]'): {error}",
            pytrace=False,
        )
    with server:
        yield server


@pytest.fixture
def dataforce_server(_dataforce_session_server: LocalDataForce) -> Iterator[LocalDataForce]:
    """A running, freshly seeded :class:`~dataforce.testing.LocalDataForce`.

    Fails the test at teardown if the server recorded response-validation errors.
    """
    server = _dataforce_session_server
    if not server.running:  # a previous test stopped it
        server.start()
    server.reset()
    yield server
    errors = server.spec_violations
    server.reset()
    if errors:
        listed = "\n".join(f"  - {error}" for error in errors)
        pytest.fail(
            f"the local DataForce server sent responses its spec does not allow:\n{listed}",
            pytrace=False,
        )


@pytest.fixture
def dataforce_env(
    dataforce_server: LocalDataForce, monkeypatch: pytest.MonkeyPatch
) -> LocalDataForce:
    """``dataforce_server`` with ``DFS_BASE_URL`` and ``DFS_API_KEY`` pointing at it."""
    monkeypatch.setenv("DFS_BASE_URL", dataforce_server.base_url)
    monkeypatch.setenv("DFS_API_KEY", dataforce_server.api_key)
    return dataforce_server
