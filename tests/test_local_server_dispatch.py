"""Routing, authentication, request and response validation (dataforce.testing._dispatch).

Over real HTTP: the order of the steps (a redirect before authentication, authentication
before validation), FastAPI's 422 shape, and the spec violations the server records when
its own answer (or a handler) goes wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dataforce.testing import LocalDataForce, SpecViolation
from tests._local import ORGS, create, orbit_path, orbits_path
from tests._paths import NAME_MAX_LENGTH


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    return dataforce_server


@pytest.fixture
def client(server: LocalDataForce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as c:
        yield c


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Token {key}", "Basic {key}", "Bearer dfs_unknown", "{key}"],
)
@pytest.mark.parametrize("target", ["organizations", "orbit"])
def test_missing_malformed_or_unknown_key_is_401(
    server: LocalDataForce, authorization: str | None, target: str
) -> None:
    url = ORGS if target == "organizations" else orbit_path(server.organization_id, server.orbit_id)
    headers = {} if authorization is None else {"Authorization": authorization}
    if authorization is not None:
        headers["Authorization"] = authorization.format(key=server.api_key)
    response = httpx.get(server.url(url), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_scheme_is_case_insensitive(server: LocalDataForce) -> None:
    headers = {"Authorization": f"bearer {server.api_key}"}
    assert httpx.get(server.url(ORGS), headers=headers).status_code == 200


def test_authentication_comes_before_validation(server: LocalDataForce) -> None:
    assert httpx.get(server.url(orbit_path("not-a-uuid", "nor-this"))).status_code == 401


# ---------------------------------------------------------------------------- routing


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
    assert client.get(ORGS).status_code == 200


@pytest.mark.parametrize("authenticated", [True, False])
def test_a_trailing_slash_is_redirected_307_without_it(
    server: LocalDataForce, authenticated: bool
) -> None:
    # Starlette's redirect_slashes: before authentication, for any method, query kept.
    headers = server.auth_headers if authenticated else {}
    target = orbits_path(server.organization_id)
    for method in ("GET", "POST"):
        response = httpx.request(method, server.url(target + "/?x=1"), headers=headers)
        assert response.status_code == 307
        assert response.headers["location"] == server.url(target + "?x=1")
        assert response.content == b""
    assert len(server.orbits()) == 1
    followed = httpx.get(server.url(target + "/"), headers=headers, follow_redirects=True)
    assert followed.status_code == (200 if authenticated else 401)


def test_a_trailing_slash_on_an_unknown_path_is_404(client: httpx.Client) -> None:
    assert client.get("/organizations/").status_code == 404
    assert client.get("/").status_code == 404


# ---------------------------------------------------------------------------- request validation


@pytest.mark.parametrize(
    ("body", "loc", "kind"),
    [
        ({"name": 123, "bucket_secret_id": "{secret}"}, ["body", "name"], "string_type"),
        ({"name": "", "bucket_secret_id": "{secret}"}, ["body", "name"], "string_too_short"),
        (
            {"name": "x" * (NAME_MAX_LENGTH + 1), "bucket_secret_id": "{secret}"},
            ["body", "name"],
            "string_too_long",
        ),
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


# ---------------------------------------------------------------------------- response validation


def test_response_validation_catches_an_off_spec_answer(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server.inject_fault("GET", "*/orbits/*", body={"name": "no id"}, validate_response=True)
    response = client.get(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 500
    assert "response validation failed" in response.text
    [violation] = server.spec_violations
    assert isinstance(violation, SpecViolation)
    assert violation.operation_id == "get_orbit"
    assert violation.status == 200
    assert any("'id' is a required property" in p for p in violation.problems)
    assert "get_orbit" in str(violation)
    server.clear_spec_violations()  # or the fixture fails this test


def test_response_validation_catches_a_server_bug(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server._store.corrupt(server.orbit_id, total_members="two", created_at="yesterday")
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 500
    [violation] = server.spec_violations
    assert violation.operation_id == "list_orbits"
    assert any("total_members" in p for p in violation.problems)
    assert any("date-time" in p for p in violation.problems)
    server.clear_spec_violations()


def test_undocumented_status_is_caught(server: LocalDataForce, client: httpx.Client) -> None:
    server.inject_fault("DELETE", status=200, body={}, validate_response=True)
    response = client.delete(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 500
    [violation] = server.spec_violations
    assert "status 200 is not documented for delete_orbit" in violation.problems[0]
    server.clear_spec_violations()


def test_an_unhandled_exception_is_a_500_and_recorded(
    server: LocalDataForce, client: httpx.Client
) -> None:
    server._store.corrupt(server.orbit_id, name=object())  # the handler cannot encode it
    response = client.get(orbits_path(server.organization_id))
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    [violation] = server.spec_violations
    assert violation.operation_id is None
    assert "unhandled exception in the stand-in" in violation.problems[0]
    assert "TypeError" in violation.problems[0]
    # The old names still work.
    assert server.response_validation_errors == [violation]
    server.clear_response_validation_errors()
    assert server.spec_violations == []


def test_responses_are_not_validated_by_default() -> None:
    with LocalDataForce() as plain, httpx.Client(headers=plain.auth_headers) as c:
        plain._store.corrupt(plain.orbit_id, total_members="two")
        response = c.get(plain.url(orbits_path(plain.organization_id)))
        assert response.status_code == 200
        assert json.loads(response.content)[0]["total_members"] == "two"
        assert plain.spec_violations == []
