"""The local stand-in server (dataforce.testing), exercised over real HTTP with httpx.

Most tests use the shipped pytest fixture ``dataforce_server`` (a session server reset per
test, validating its own responses and failing the test if any did not conform), so the
fixture is tested along the way.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dataforce.testing import LocalDataForce, RecordedRequest

ORBIT_FIELDS = {
    "id",
    "name",
    "organization_id",
    "bucket_secret_id",
    "total_members",
    "total_collections",
    "role",
    "created_at",
    "updated_at",
    "permissions",
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
API_KEY = re.compile(r"^dfs_[A-Za-z0-9_-]{43}$")
MISSING_ID = "0199c455-21ed-7aba-9fe5-000000000000"


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    return dataforce_server


@pytest.fixture
def client(server: LocalDataForce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as c:
        yield c


def orbits_path(org: str) -> str:
    return f"/organizations/{org}/orbits"


def orbit_path(org: str, orbit: str) -> str:
    return f"/organizations/{org}/orbits/{orbit}"


def create(client: httpx.Client, server: LocalDataForce, name: str = "ML Models") -> Any:
    body = {"name": name, "bucket_secret_id": server.bucket_secret_id}
    return client.post(orbits_path(server.organization_id), json=body)


def is_uuid7(value: str) -> bool:
    return str(uuid.UUID(value)) == value and uuid.UUID(value).version == 7


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Token {key}", "Basic {key}", "Bearer dfs_unknown", "{key}"],
)
@pytest.mark.parametrize("path", ["/users/me/organizations", "orbit"])
def test_missing_malformed_or_unknown_key_is_401(
    server: LocalDataForce, authorization: str | None, path: str
) -> None:
    if path == "orbit":
        path = orbit_path(server.organization_id, server.orbit_id)
    headers = {} if authorization is None else {"Authorization": authorization}
    if authorization is not None:
        headers["Authorization"] = authorization.format(key=server.api_key)
    response = httpx.get(server.url(path), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_scheme_is_case_insensitive(server: LocalDataForce) -> None:
    response = httpx.get(
        server.url("/users/me/organizations"), headers={"Authorization": f"bearer {server.api_key}"}
    )
    assert response.status_code == 200


def test_authentication_comes_before_validation(server: LocalDataForce) -> None:
    response = httpx.get(server.url(orbit_path("not-a-uuid", "nor-this")))
    assert response.status_code == 401


# ---------------------------------------------------------------------------- organizations


def test_organizations_are_the_users_ordered_by_name(
    server: LocalDataForce, client: httpx.Client
) -> None:
    zeta = server.add_organization("Zeta")
    alpha = server.add_organization("Alpha", role="member")
    server.add_organization("Beta", member=False)
    response = client.get("/users/me/organizations")
    assert response.status_code == 200
    body = response.json()
    assert [o["name"] for o in body] == ["Alpha", "My Organization", "Zeta"]
    assert [o["id"] for o in body] == [alpha, server.organization_id, zeta]
    assert [o["role"] for o in body] == ["member", "owner", "owner"]
    assert set(body[0]) == {
        "id",
        "name",
        "logo",
        "created_at",
        "updated_at",
        "role",
        "permissions",
    }
    assert TIMESTAMP.match(body[0]["created_at"])


def test_membership_can_be_changed(server: LocalDataForce, client: httpx.Client) -> None:
    server.set_membership(server.organization_id, None)
    assert client.get("/users/me/organizations").json() == []
    assert client.get(orbits_path(server.organization_id)).status_code == 403
    server.set_membership(server.organization_id, "admin")
    assert client.get("/users/me/organizations").json()[0]["role"] == "admin"


# ---------------------------------------------------------------------------- bucket secrets


def test_bucket_secrets_never_carry_credentials(
    server: LocalDataForce, client: httpx.Client
) -> None:
    response = client.get(f"/organizations/{server.organization_id}/bucket-secrets")
    assert response.status_code == 200
    [secret] = response.json()
    assert secret["id"] == server.bucket_secret_id
    assert secret["organization_id"] == server.organization_id
    assert not {"access_key", "secret_key", "password"} & set(secret)


def test_bucket_secrets_are_for_owners_and_admins(
    server: LocalDataForce, client: httpx.Client
) -> None:
    org = server.add_organization("Team", role="member")
    response = client.get(f"/organizations/{org}/bucket-secrets")
    assert response.status_code == 403
    assert response.json() == {"detail": "Not enough rights"}


def test_bucket_secrets_of_an_unknown_organization_is_403(
    server: LocalDataForce, client: httpx.Client
) -> None:
    # The operation documents no 404: the caller is not a member of what does not exist.
    response = client.get(f"/organizations/{MISSING_ID}/bucket-secrets")
    assert response.status_code == 403


# ---------------------------------------------------------------------------- orbits: list, get


def test_list_orbits(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 200
    [orbit] = response.json()
    assert set(orbit) == ORBIT_FIELDS  # an Orbit: no members
    assert orbit["id"] == server.orbit_id
    assert orbit["name"] == "Default Orbit"
    assert orbit["role"] == "admin"
    assert orbit["updated_at"] is None
    assert isinstance(orbit["total_members"], int)
    assert isinstance(orbit["total_collections"], int)


def test_list_orbits_of_other_organizations(server: LocalDataForce, client: httpx.Client) -> None:
    other = server.add_organization("Other")
    server.add_orbit(other, "Elsewhere")
    assert [o["name"] for o in client.get(orbits_path(other)).json()] == ["Elsewhere"]
    assert [o["name"] for o in client.get(orbits_path(server.organization_id)).json()] == [
        "Default Orbit"
    ]
    stranger = server.add_organization("Stranger", member=False)
    assert client.get(orbits_path(stranger)).status_code == 403
    assert client.get(orbits_path(MISSING_ID)).status_code == 403


def test_get_orbit_has_members(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ORBIT_FIELDS | {"members"}
    assert body["members"] == []


def test_get_unknown_orbit_is_404(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbit_path(server.organization_id, MISSING_ID))
    assert response.status_code == 404
    assert response.json() == {"detail": "Orbit not found"}


def test_unknown_or_foreign_organization(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbit_path(MISSING_ID, server.orbit_id))
    assert response.status_code == 404
    assert response.json() == {"detail": "Organization not found"}
    stranger = server.add_organization("Stranger", member=False)
    response = client.get(orbit_path(stranger, server.orbit_id))
    assert response.status_code == 403
    assert response.json() == {"detail": "Not enough rights"}


# ---------------------------------------------------------------------------- orbits: create


def test_create_answers_200_with_details(server: LocalDataForce, client: httpx.Client) -> None:
    response = create(client, server)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ORBIT_FIELDS | {"members"}
    assert body["members"] == []
    assert body["name"] == "ML Models"
    assert body["organization_id"] == server.organization_id
    assert body["bucket_secret_id"] == server.bucket_secret_id
    assert body["total_members"] == 0
    assert body["updated_at"] is None
    assert is_uuid7(body["id"])
    assert TIMESTAMP.match(body["created_at"])
    stored = {o["id"]: o for o in server.orbits(server.organization_id)}
    assert stored[body["id"]]["name"] == "ML Models"


def test_duplicate_names_are_allowed(server: LocalDataForce, client: httpx.Client) -> None:
    first = create(client, server, "Twin").json()
    second = create(client, server, "Twin").json()
    assert first["id"] != second["id"]
    names = [o["name"] for o in client.get(orbits_path(server.organization_id)).json()]
    assert names == ["Default Orbit", "Twin", "Twin"]


def test_ids_are_time_ordered(server: LocalDataForce, client: httpx.Client) -> None:
    ids = [create(client, server, f"o{i}").json()["id"] for i in range(5)]
    assert ids == sorted(ids)
    assert all(is_uuid7(i) for i in ids)


def test_create_with_members(server: LocalDataForce, client: httpx.Client) -> None:
    body = {
        "name": "Team",
        "bucket_secret_id": server.bucket_secret_id,
        "members": [{"user_id": server.user_id, "role": "member"}],
    }
    response = client.post(orbits_path(server.organization_id), json=body)
    assert response.status_code == 200
    details = response.json()
    assert details["total_members"] == 1
    [member] = details["members"]
    assert member["user"]["id"] == server.user_id
    assert member["orbit_id"] == details["id"]
    body["members"] = [{"user_id": MISSING_ID, "role": "member"}]
    response = client.post(orbits_path(server.organization_id), json=body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid members"}


def test_create_at_the_orbit_limit_is_409(server: LocalDataForce, client: httpx.Client) -> None:
    assert server.orbit_limit == 50
    server.orbit_limit = 2
    assert create(client, server).status_code == 200
    response = create(client, server)
    assert response.status_code == 409
    assert response.json() == {"detail": "Organization reached maximum number of orbits"}
    assert len(server.orbits()) == 2


def test_orbit_limit_per_organization(server: LocalDataForce, client: httpx.Client) -> None:
    other = server.add_organization("Small", orbit_limit=0)
    secret = server.add_bucket_secret(other)
    body = {"name": "x", "bucket_secret_id": secret}
    assert client.post(orbits_path(other), json=body).status_code == 409
    server.set_orbit_limit(other, 1)
    assert client.post(orbits_path(other), json=body).status_code == 200
    assert client.post(orbits_path(other), json=body).status_code == 409
    server.set_orbit_limit(other, None)  # back to the server's limit
    assert client.post(orbits_path(other), json=body).status_code == 200


def test_create_with_a_bucket_secret_not_the_organizations(
    server: LocalDataForce, client: httpx.Client
) -> None:
    other = server.add_organization("Other")
    foreign = server.add_bucket_secret(other)
    for secret in (foreign, MISSING_ID):
        response = client.post(
            orbits_path(server.organization_id), json={"name": "x", "bucket_secret_id": secret}
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Bucket secret not found"}
    assert len(server.orbits()) == 1


def test_create_in_an_unknown_organization_is_404(
    server: LocalDataForce, client: httpx.Client
) -> None:
    response = client.post(
        orbits_path(MISSING_ID), json={"name": "x", "bucket_secret_id": server.bucket_secret_id}
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Organization not found"}


# ---------------------------------------------------------------------------- orbits: update


def test_update_name(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"name": "Renamed"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ORBIT_FIELDS  # an Orbit, without members
    assert body["name"] == "Renamed"
    assert TIMESTAMP.match(body["updated_at"])
    assert server.orbits()[0]["name"] == "Renamed"


def test_empty_update_returns_the_orbit_unchanged(
    server: LocalDataForce, client: httpx.Client
) -> None:
    before = client.get(orbits_path(server.organization_id)).json()[0]
    response = client.patch(orbit_path(server.organization_id, server.orbit_id), json={})
    assert response.status_code == 200
    assert response.json() == before
    assert before["updated_at"] is None


def test_update_bucket_secret(server: LocalDataForce, client: httpx.Client) -> None:
    secret = server.add_bucket_secret(server.organization_id, bucket_name="second")
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"bucket_secret_id": secret}
    )
    assert response.status_code == 200
    assert response.json()["bucket_secret_id"] == secret


def test_update_with_an_unknown_bucket_secret_is_a_plain_500(
    server: LocalDataForce, client: httpx.Client
) -> None:
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"bucket_secret_id": MISSING_ID}
    )
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert response.headers["content-type"].startswith("text/plain")
    assert server.orbits()[0]["bucket_secret_id"] == server.bucket_secret_id


def test_update_with_a_null_name_is_422(server: LocalDataForce, client: httpx.Client) -> None:
    # The service answers 500; the spec makes the body invalid, so validation answers first.
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"name": None}
    )
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "name"]
    assert detail["input"] is None


def test_update_unknown_orbit_is_404(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.patch(orbit_path(server.organization_id, MISSING_ID), json={"name": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Orbit not found"}


# ---------------------------------------------------------------------------- orbits: delete


def test_delete(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.delete(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert server.orbits() == []
    assert client.get(orbit_path(server.organization_id, server.orbit_id)).status_code == 404
    # Deleting what does not exist (any more) is 204 as well.
    again = client.delete(orbit_path(server.organization_id, server.orbit_id))
    assert again.status_code == 204


# ---------------------------------------------------------------------------- organization scope


def test_orbits_are_scoped_to_the_organization_in_the_path(
    server: LocalDataForce, client: httpx.Client
) -> None:
    other = server.add_organization("Other")
    foreign = server.add_orbit(other, "Theirs")["id"]
    mine = server.organization_id
    for response in (
        client.get(orbit_path(mine, foreign)),
        client.patch(orbit_path(mine, foreign), json={"name": "hijacked"}),
        client.delete(orbit_path(mine, foreign)),
    ):
        assert response.status_code == 404, response.request.method
        assert response.json() == {"detail": "Orbit not found"}
    assert server.orbits(other)[0]["name"] == "Theirs"
    assert client.get(orbit_path(other, foreign)).status_code == 200


# ---------------------------------------------------------------------------- request validation


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        ({"name": 123, "bucket_secret_id": "{secret}"}, ["body", "name"], "string_type"),
        ({"name": "", "bucket_secret_id": "{secret}"}, ["body", "name"], "string_too_short"),
        ({"name": "x" * 101, "bucket_secret_id": "{secret}"}, ["body", "name"], "string_too_long"),
        (
            {"name": "   ", "bucket_secret_id": "{secret}"},
            ["body", "name"],
            "string_pattern_mismatch",
        ),
        # JSON Schema patterns are ECMA-262: U+00A0 and U+FEFF are whitespace there.
        (
            {"name": "\u00a0\ufeff", "bucket_secret_id": "{secret}"},
            ["body", "name"],
            "string_pattern_mismatch",
        ),
        ({"name": "x"}, ["body", "bucket_secret_id"], "missing"),
        ({"name": "x", "bucket_secret_id": "nope"}, ["body", "bucket_secret_id"], "uuid_parsing"),
        (
            {"name": "x", "bucket_secret_id": "{secret}", "members": [{"role": "admin"}]},
            ["body", "members", 0, "user_id"],
            "missing",
        ),
        ([], ["body"], "model_attributes_type"),
    ],
)
def test_invalid_create_bodies_are_422(
    server: LocalDataForce, client: httpx.Client, body: Any, loc: list[Any], kind: str
) -> None:
    if isinstance(body, dict) and body.get("bucket_secret_id") == "{secret}":
        body["bucket_secret_id"] = server.bucket_secret_id
    response = client.post(orbits_path(server.organization_id), json=body)
    assert response.status_code == 422
    details = response.json()["detail"]
    assert {"type": kind, "loc": loc} in [{"type": d["type"], "loc": d["loc"]} for d in details]
    assert all({"type", "loc", "msg", "input"} <= set(d) for d in details)
    assert len(server.orbits()) == 1


def test_names_follow_ecma_262_whitespace(server: LocalDataForce, client: httpx.Client) -> None:
    # Python's `re` counts U+001F as whitespace, ECMA-262 (JSON Schema's dialect) does not.
    assert create(client, server, "\x1f").status_code == 200


def test_invalid_uuid_in_the_path_is_422(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbit_path(server.organization_id, "not-a-uuid"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "uuid_parsing",
                "loc": ["path", "orbit_id"],
                "msg": "Input should be a valid UUID",
                "input": "not-a-uuid",
            }
        ]
    }


def test_malformed_json_is_422(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.post(
        orbits_path(server.organization_id),
        content=b'{"name": ',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["type"] == "json_invalid"
    assert detail["loc"][0] == "body"


def test_missing_or_non_json_body_is_422(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.post(orbits_path(server.organization_id))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    response = client.post(
        orbits_path(server.organization_id),
        content=b"name=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422


def test_unknown_path_and_wrong_method(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get("/organizations")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    response = client.put(orbit_path(server.organization_id, server.orbit_id), json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, DELETE, PATCH"
    response = client.request("HEAD", orbits_path(server.organization_id))
    assert response.status_code == 405
    assert response.content == b""
    # The connection is still usable after a bodiless HEAD answer.
    assert client.get("/users/me/organizations").status_code == 200


# ---------------------------------------------------------------------------- request log


def test_request_log(server: LocalDataForce, client: httpx.Client) -> None:
    assert server.requests == []
    create(client, server, "Logged")
    client.get("/nowhere?x=1&y=2")
    httpx.get(server.url("/users/me/organizations"))  # rejected: no key
    log = server.requests
    assert [(r.method, r.path) for r in log] == [
        ("POST", orbits_path(server.organization_id)),
        ("GET", "/nowhere"),
        ("GET", "/users/me/organizations"),
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
    response = client.get("/users/me/organizations")
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
    assert server.response_validation_errors == []
    server.inject_fault(status=200, body="plain", content_type="text/plain")
    assert client.get("/users/me/organizations").text == "plain"


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
    assert response.text.startswith('{"id": ')
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


# ---------------------------------------------------------------------------- response validation


def test_response_validation_catches_an_off_spec_answer(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server.inject_fault("GET", "*/orbits/*", body={"name": "no id"}, validate_response=True)
    response = client.get(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 500
    assert "response validation failed" in response.text
    [error] = server.response_validation_errors
    assert error.operation_id == "get_orbit"
    assert error.status == 200
    assert any("'id' is a required property" in p for p in error.problems)
    server.clear_response_validation_errors()  # or the fixture fails this test


def test_response_validation_catches_a_server_bug(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server._state.orbits[server.orbit_id]["total_members"] = "two"  # corrupt the state
    server._state.orbits[server.orbit_id]["created_at"] = "yesterday"
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 500
    [error] = server.response_validation_errors
    assert error.operation_id == "list_orbits"
    assert any("total_members" in p for p in error.problems)
    assert any("date-time" in p for p in error.problems)
    server.clear_response_validation_errors()


def test_undocumented_status_is_caught(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("DELETE", status=200, body={}, validate_response=True)
    response = client.delete(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 500
    [error] = server.response_validation_errors
    assert "status 200 is not documented for delete_orbit" in error.problems[0]
    server.clear_response_validation_errors()


def test_an_unhandled_exception_is_a_500_and_recorded(
    server: LocalDataForce, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(call: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setitem(server._handlers, "list_orbits", broken)
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    [error] = server.response_validation_errors
    assert "boom" in error.problems[0]
    server.clear_response_validation_errors()


def test_responses_are_not_validated_by_default(server: LocalDataForce) -> None:
    with LocalDataForce() as plain, httpx.Client(headers=plain.auth_headers) as c:
        plain._state.orbits[plain.orbit_id]["total_members"] = "two"
        assert c.get(plain.url(orbits_path(plain.organization_id))).status_code == 200
        assert plain.response_validation_errors == []


# ---------------------------------------------------------------------------- reset, seeds


def test_reset_restores_the_seed(server: LocalDataForce, client: httpx.Client) -> None:
    seeded = (server.api_key, server.organization_id, server.orbit_id, server.bucket_secret_id)
    server.add_organization("Extra")
    create(client, server)
    client.delete(orbit_path(server.organization_id, server.orbit_id))
    server.inject_fault(status=500, times=None)
    server.orbit_limit = 1
    server.reset()
    assert server.requests == []
    assert server.faults == []
    assert server.orbit_limit == 50
    assert seeded == (
        server.api_key,
        server.organization_id,
        server.orbit_id,
        server.bucket_secret_id,
    )
    assert [o["id"] for o in client.get(orbits_path(server.organization_id)).json()] == [
        server.orbit_id
    ]
    assert len(client.get("/users/me/organizations").json()) == 1


def test_deterministic_servers_hand_out_the_same_ids() -> None:
    def run(server: LocalDataForce) -> list[str]:
        with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
            body = {"name": "x", "bucket_secret_id": server.bucket_secret_id}
            created = c.post(orbits_path(server.organization_id), json=body).json()
        return [server.api_key, server.organization_id, server.orbit_id, created["id"]]

    with LocalDataForce(deterministic=True) as a, LocalDataForce(seed=0) as b:
        first = run(a)
        assert run(b) == first
        a.reset()
        assert run(a) == first  # a reset replays the same IDs
        assert a.orbits()[1]["created_at"] == b.orbits()[1]["created_at"]
    with LocalDataForce(seed=1) as c:
        assert run(c)[0] != first[0]
    assert API_KEY.match(first[0])
    assert all(is_uuid7(i) for i in first[1:])


def test_random_servers_differ() -> None:
    a, b = LocalDataForce(), LocalDataForce()
    assert a.api_key != b.api_key
    assert a.orbit_id != b.orbit_id
    assert API_KEY.match(a.api_key)


def test_explicit_api_key_and_ids() -> None:
    server = LocalDataForce(api_key="dfs_" + "k" * 43, deterministic=True)
    assert server.api_key == "dfs_" + "k" * 43
    assert server.orbit_id == LocalDataForce(deterministic=True).orbit_id
    org = server.add_organization("Fixed", organization_id=MISSING_ID.upper())
    assert org == MISSING_ID
    with pytest.raises(ValueError, match="already exists"):
        server.add_organization("Again", organization_id=MISSING_ID)
    with pytest.raises(ValueError, match="UUID"):
        server.add_orbit(org, "x", orbit_id="nope")


def test_describe(server: LocalDataForce) -> None:
    text = server.describe()
    for value in (
        server.base_url,
        server.api_key,
        server.organization_id,
        server.orbit_id,
        server.bucket_secret_id,
    ):
        assert value in text


# ---------------------------------------------------------------------------- lifecycle, HTTP


def test_base_url_and_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        LocalDataForce(host="0.0.0.0")
    with pytest.raises(ValueError, match="loopback"):
        LocalDataForce(host="example.com")
    LocalDataForce(host="0.0.0.0", allow_remote=True)  # not started
    with LocalDataForce(host="localhost") as server:
        assert re.fullmatch(r"http://localhost:\d+", server.base_url)
        assert httpx.get(server.url("/users/me/organizations")).status_code == 401


def test_keep_alive(server: LocalDataForce) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", "/users/me/organizations", headers=server.auth_headers)
            response = connection.getresponse()
            assert response.status == 200
            response.read()
            sock = connection.sock
            assert sock is not None
        assert connection.sock is sock  # the same connection served all three
    finally:
        connection.close()


def test_concurrent_creates(server: LocalDataForce) -> None:
    server.orbit_limit = 1000

    def worker(names: list[str]) -> None:
        with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
            for name in names:
                assert create(c, server, name).status_code == 200

    threads = [
        threading.Thread(target=worker, args=([f"t{t}-{i}" for i in range(10)],)) for t in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    orbits = server.orbits()
    assert len(orbits) == 81
    assert len({o["id"] for o in orbits}) == 81


def test_stop_is_prompt_with_open_and_sleeping_connections() -> None:
    server = LocalDataForce().start()
    idle = httpx.Client(base_url=server.base_url, headers=server.auth_headers)
    assert idle.get("/users/me/organizations").status_code == 200  # keep-alive conn open
    server.inject_fault(delay=30)
    outcome: list[BaseException] = []

    def sleeper() -> None:
        try:
            httpx.get(server.url("/users/me/organizations"), timeout=10)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=sleeper)
    thread.start()
    while not server.requests[1:]:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.0
    thread.join(5)
    assert outcome, "the sleeping request should have been cut off"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), 1):
        pass
    idle.close()
    server.stop()  # idempotent


def test_server_can_restart() -> None:
    server = LocalDataForce()
    with server:
        assert server.running
    assert not server.running
    with server:
        assert httpx.get(server.url("/users/me/organizations")).status_code == 401


def test_serve_prints_the_summary_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dataforce.testing", "--port", "0", "--seed", "3", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        text = "".join(lines)
        base_url = re.search(r"Base URL:\s+(\S+)", text)
        key = re.search(r"API key:\s+(\S+)", text)
        assert base_url, text
        assert key, text
        response = httpx.get(
            base_url.group(1) + "/users/me/organizations",
            headers={"Authorization": f"Bearer {key.group(1)}"},
        )
        assert response.json()[0]["name"] == "My Organization"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------- the pytest plugin


def test_dataforce_env_fixture(dataforce_env: LocalDataForce) -> None:
    assert os.environ["DFS_BASE_URL"] == dataforce_env.base_url
    assert os.environ["DFS_API_KEY"] == dataforce_env.api_key


def test_plugin_fails_a_test_whose_server_sent_an_off_spec_answer(tmp_path: Path) -> None:
    test_file = tmp_path / "test_sample.py"
    test_file.write_text(
        "import httpx\n"
        "def test_ok(dataforce_server):\n"
        "    r = httpx.get(dataforce_server.url('/users/me/organizations'),\n"
        "                  headers=dataforce_server.auth_headers)\n"
        "    assert r.status_code == 200\n"
        "def test_bad(dataforce_server):\n"
        "    dataforce_server.inject_fault(body={'x': 1}, validate_response=True)\n"
        "    httpx.get(dataforce_server.url('/users/me/organizations'),\n"
        "              headers=dataforce_server.auth_headers)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed, 1 error" in result.stdout, result.stdout  # the error: at teardown
    assert "spec does not allow" in result.stdout


def test_plugin_import_is_cheap() -> None:
    code = (
        "import sys, dataforce.testing.pytest_plugin\n"
        "heavy = {'yaml', 'jsonschema', 'dataforce.testing._server'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
