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

**Strict mode** (opt-in) also fails a test whose application sent the server a request
the spec does not allow — an undocumented path or method, a parameter or body that breaks
the operation's schema. The server answers such a request as the service would (404,
405, 422), which an application that swallows errors never notices; strict mode reports
each one (:attr:`LocalDataForce.request_violations`: the operation and the JSON path) as
the test's failure. Turn it on for a test with ``@pytest.mark.dataforce_strict``, or for
the whole suite with the ini option ``dataforce_strict = true``
(``@pytest.mark.dataforce_strict(False)`` then exempts a test that sends off-spec
requests on purpose).

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

_STRICT_INI = "dataforce_strict"
_STRICT_MARKER = "dataforce_strict"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _STRICT_INI,
        type="bool",
        default=False,
        help="dataforce_server: fail a test whose application sent a request the spec "
        "does not allow (default: false; per test: @pytest.mark.dataforce_strict)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_STRICT_MARKER}(on=True): fail the test if the dataforce_server fixture received "
        "a request its spec does not allow (overrides the dataforce_strict ini option)",
    )


def _strict(item: pytest.Item) -> bool:
    marker = item.get_closest_marker(_STRICT_MARKER)
    if marker is not None:
        return bool(marker.args[0]) if marker.args else bool(marker.kwargs.get("on", True))
    return bool(item.config.getini(_STRICT_INI))


@pytest.hookimpl(trylast=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    # Runs after the test function (pytest's own implementation of this hook), and only
    # when it passed: an off-spec request is then the test's failure, in the test's own
    # phase, rather than an error of the fixture's teardown.
    funcargs = getattr(item, "funcargs", {})
    server = funcargs.get("dataforce_server")
    if server is None or not _strict(item):
        return
    violations = server.request_violations
    server.clear_request_violations()
    if violations:
        listed = "\n".join(f"  - {violation}" for violation in violations)
        pytest.fail(
            "the application sent the local DataForce server requests its spec does not "
            f"allow (strict mode):\n{listed}",
            pytrace=False,
        )


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
