"""Injected faults (dataforce.testing._faults), over real HTTP: status, Retry-After, delay,
drop and malformed bodies, each before and after the request is handled.

Timings are asserted only as bounds that a misbehaving server would break by far (a
delay that does not happen, a timeout that does not fire).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import httpx
import pytest

from dataforce.testing import LocalDataForce
from tests._local import ORGS, create, orbit_path, orbits_path


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    return dataforce_server


@pytest.fixture
def client(server: LocalDataForce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as c:
        yield c


# ---------------------------------------------------------------------------- faults


def test_fault_status_with_retry_after_then_normal(
    server: LocalDataForce, client: httpx.Client
) -> None:
    fault = server.inject_fault("GET", "*/orbits", status=503, retry_after=2, times=2)
    for _ in range(2):
        response = client.get(orbits_path(server.organization_id))
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>503 Service Unavailable</h1>" in response.text
    assert fault.hits == 2
    assert server.faults == []
    assert client.get(orbits_path(server.organization_id)).status_code == 200
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("status", "content_type", "expected"),
    [
        (500, "text/plain", b"Internal Server Error"),
        (502, "text/html", b"502 Bad Gateway"),
        (429, "application/json", b'{"detail": "Too Many Requests"}'),
        (401, "application/json", b'{"detail": "Not authenticated"}'),
    ],
)
def test_fault_default_bodies(
    server: LocalDataForce, client: httpx.Client, status: int, content_type: str, expected: bytes
) -> None:
    server.inject_fault(status=status)
    response = client.get(ORGS)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    assert expected in response.content


def test_fault_matching(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("POST", status=418, times=None)
    server.inject_fault(path=re.compile(r"/orbits/[^/]+$"), status=410)
    assert client.get(orbits_path(server.organization_id)).status_code == 200
    assert create(client, server).status_code == 418
    assert create(client, server).status_code == 418
    assert client.get(orbit_path(server.organization_id, server.orbit_id)).status_code == 410
    assert client.get(orbit_path(server.organization_id, server.orbit_id)).status_code == 200
    assert len(server.faults) == 1  # the unlimited one
    server.clear_faults()
    assert create(client, server).status_code == 200


def test_fault_custom_body(server: LocalDataForce, client: httpx.Client) -> None:
    # A 200 lacking required fields, e.g. to test a client's handling of a bad answer. It
    # is off-spec on purpose, so response validation leaves it alone.
    server.inject_fault("GET", "*/orbits/*", body={"name": "no id"})
    response = client.get(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 200
    assert response.json() == {"name": "no id"}
    assert server.spec_violations == []
    server.inject_fault(status=200, body="plain", content_type="text/plain")
    assert client.get(ORGS).text == "plain"


def test_fault_malformed(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("GET", malformed=True)
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_fault_malformed_after_handling_truncates_the_real_answer(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server.inject_fault("POST", malformed=True, after_handling=True)
    response = create(client, server, "Half")
    assert response.status_code == 200
    # The real answer, cut short: the stored orbit's ID is in what did arrive.
    [stored] = [o for o in server.orbits() if o["name"] == "Half"]
    assert response.text.startswith("{")
    assert stored["id"] in response.text
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert [o["name"] for o in server.orbits()] == ["Default Orbit", "Half"]


def test_fault_drop(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("POST", drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        create(client, server, "Dropped")
    assert len(server.orbits()) == 1  # never processed
    assert len(server.requests) == 1  # but recorded
    assert create(client, server, "Kept").status_code == 200


def test_fault_drop_after_handling_stores_the_orbit(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server.inject_fault("POST", drop=True, after_handling=True)
    with pytest.raises(httpx.RemoteProtocolError):
        create(client, server, "Stored anyway")
    assert [o["name"] for o in server.orbits()] == ["Default Orbit", "Stored anyway"]


def test_fault_delay_after_handling_times_the_client_out(
    server: LocalDataForce, client: httpx.Client
) -> None:
    # "Create under a read timeout after the service stored the orbit".
    server.inject_fault("POST", delay=2.0, after_handling=True)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.post(
            orbits_path(server.organization_id),
            json={"name": "Slow", "bucket_secret_id": server.bucket_secret_id},
            timeout=0.3,
        )
    assert time.monotonic() - started < 1.5
    assert [o["name"] for o in server.orbits()] == ["Default Orbit", "Slow"]


def test_fault_delay_then_answer(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("GET", delay=0.3)
    started = time.monotonic()
    assert client.get(orbits_path(server.organization_id)).status_code == 200
    assert time.monotonic() - started >= 0.3
    server.inject_fault("GET", delay=0.2, status=504)
    assert client.get(orbits_path(server.organization_id)).status_code == 504


def test_fault_after_handling_status(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("POST", status=502, after_handling=True)
    assert create(client, server, "Behind a proxy").status_code == 502
    assert len(server.orbits()) == 2


def test_inject_fault_refuses_nonsense(server: LocalDataForce) -> None:
    with pytest.raises(ValueError, match="does nothing"):
        server.inject_fault("GET")
    with pytest.raises(ValueError, match="times"):
        server.inject_fault(status=500, times=0)
    with pytest.raises(ValueError, match="drop"):
        server.inject_fault(drop=True, status=500)
    with pytest.raises(ValueError, match="status"):
        server.inject_fault(status=99)


def test_inject_fault_refuses_a_body_it_cannot_send(server: LocalDataForce) -> None:
    with pytest.raises(ValueError, match="JSON-serialisable"):
        server.inject_fault(status=200, body={"when": object()})
    assert server.faults == []


def test_retry_after_goes_on_whatever_is_answered(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server.inject_fault("GET", delay=0.01, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 200  # the real answer, after the delay
    assert response.headers["retry-after"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    server.inject_fault("POST", status=429, retry_after=1.5, after_handling=True)
    response = create(client, server, "Throttled but stored")
    assert (response.status_code, response.headers["retry-after"]) == (429, "1.5")
    assert len(server.orbits()) == 2


def test_malformed_with_a_status(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("GET", status=503, malformed=True)
    response = client.get(ORGS)
    assert response.status_code == 503
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_a_validated_injected_answer_that_conforms_passes(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server.inject_fault("GET", "*/orbits/*", status=404, validate_response=True)
    response = client.get(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert server.spec_violations == []
