"""SDK and service disagree on the API's paths: one typed error that says so, at once.

The service's framework answers ``404 {"detail": "Not Found"}`` for a path it has no route
for; the API's own 404s name what they did not find. The older release of the service
served every path without the ``/v1`` prefix: a client of today's SDK pointed at it must
fail at its first request with :class:`EndpointNotFoundError`, never ``None`` from
``get``.
"""

from __future__ import annotations

import pickle
import re

import pytest

from dataforce import DISTRIBUTION, __version__
from dataforce.api import EndpointNotFoundError, NotFoundError
from dataforce.api._operations import VERSION_PREFIX

from ._paths import path
from .conftest import (
    API_KEY,
    ORBITS_PATH,
    ORG_ID,
    OTHER_ORBIT_ID,
    Connect,
    FakeService,
    configure_and_use,
    orbit_json,
    org_json,
)

NO_ROUTE = {"detail": "Not Found"}
OLD_RELEASE = "/older-release"  # where this test serves the older release's paths


@pytest.fixture
def older_release(service: FakeService) -> str:
    """The previous release of the service, next to today's on the same test server: the
    same operations without the version prefix, and the framework's 404 for the rest."""
    server = service.server

    def old(operation_id: str, **params: str) -> str:
        return OLD_RELEASE + path(operation_id, **params).removeprefix(VERSION_PREFIX)

    server.expect_request(old("list_my_organizations")).respond_with_json([org_json()])
    server.expect_request(old("list_orbits", organization_id=ORG_ID)).respond_with_json(
        [orbit_json()]
    )
    server.expect_request(re.compile(".*")).respond_with_json(NO_ROUTE, status=404)
    return service.url + OLD_RELEASE


def test_a_client_of_an_older_release_fails_at_its_first_request(
    connect: Connect, service: FakeService, older_release: str
) -> None:
    with pytest.raises(EndpointNotFoundError) as raised:
        configure_and_use(connect, base_url=older_release)
    error = raised.value
    url = older_release + path("list_my_organizations")
    assert error.url == url
    assert isinstance(error, NotFoundError)
    assert (error.status_code, error.method, error.body) == (404, "GET", NO_ROUTE)
    message = str(error)
    assert f"GET {url} answered 404" in message
    assert "does not serve this path" in message
    assert "base_url" in message
    assert f"API version this SDK ({DISTRIBUTION} {__version__})" in message
    assert API_KEY not in message + repr(error)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.url) == (message, url)
    # One request: the answer is not one a retry could change.
    assert [p for _, p in service.requests if p.startswith(OLD_RELEASE)] == [
        OLD_RELEASE + path("list_my_organizations")
    ]


def test_get_of_a_path_the_service_does_not_serve_raises_rather_than_none(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}").respond_with_json(NO_ROUTE, status=404)
    with pytest.raises(EndpointNotFoundError, match="does not serve this path"):
        dfs.orbits.get(OTHER_ORBIT_ID)
    # The API's own 404 is still "no such orbit".
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}").respond_with_json(
        {"detail": "Orbit not found"}, status=404
    )
    assert dfs.orbits.get(OTHER_ORBIT_ID) is None


def test_delete_on_a_path_the_service_does_not_serve_raises(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}", method="DELETE").respond_with_json(
        NO_ROUTE, status=404
    )
    with pytest.raises(EndpointNotFoundError):
        dfs.orbits.delete(OTHER_ORBIT_ID)
