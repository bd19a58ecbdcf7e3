"""The request log (dataforce.testing._records): every request, in order, as received."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from dataforce.testing import LocalDataForce, RecordedRequest
from tests._local import ORGS, create, orbit_path, orbits_path


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    return dataforce_server


@pytest.fixture
def client(server: LocalDataForce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as c:
        yield c


def test_request_log(server: LocalDataForce, client: httpx.Client) -> None:
    assert server.requests == []
    create(client, server, "Logged")
    client.get("/nowhere?x=1&y=2")
    httpx.get(server.url(ORGS))  # rejected: no key
    log = server.requests
    assert [(r.method, r.path) for r in log] == [
        ("POST", orbits_path(server.organization_id)),
        ("GET", "/nowhere"),
        ("GET", ORGS),
    ]
    assert isinstance(log[0], RecordedRequest)
    assert log[0].json() == {"name": "Logged", "bucket_secret_id": server.bucket_secret_id}
    assert log[0].headers["authorization"] == f"Bearer {server.api_key}"
    assert log[0].headers["content-type"] == "application/json"
    assert log[1].query == "x=1&y=2"
    assert log[1].query_params == {"x": ["1"], "y": ["2"]}
    assert log[1].body == b""
    assert "authorization" not in log[2].headers
    server.clear_requests()
    assert server.requests == []


def test_paths_are_recorded_raw(server: LocalDataForce, client: httpx.Client) -> None:
    encoded = orbit_path(server.organization_id, "a%2Fb")
    assert client.get(encoded).status_code == 422  # not a UUID, but one segment
    assert server.requests[-1].path == encoded


def test_a_chunked_body_is_recorded_and_handled_de_chunked(
    server: LocalDataForce, client: httpx.Client
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "Chun'
        yield f'ked", "bucket_secret_id": "{server.bucket_secret_id}"}}'.encode()

    response = client.post(
        orbits_path(server.organization_id),
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    recorded = server.requests[-1]
    assert recorded.headers["transfer-encoding"] == "chunked"
    assert recorded.json() == {"name": "Chunked", "bucket_secret_id": server.bucket_secret_id}
    assert client.get(orbit_path(server.organization_id, response.json()["id"])).is_success


def test_requests_rejected_for_their_framing_are_recorded(server: LocalDataForce) -> None:
    # What a client under test sent is visible even when it never reached the service.
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
        response = c.post(orbits_path(server.organization_id), content=b"x" * (17 * 1024 * 1024))
    assert response.status_code == 413
    assert [(r.method, r.body) for r in server.requests] == [("POST", b"")]
