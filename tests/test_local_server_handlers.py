"""The local server's operations (dataforce.testing._handlers, ._store), over real HTTP.

Each test names the live service's behaviour it pins (as ``dataforce.testing``'s
docstring writes it down).
The tests use the shipped ``dataforce_server`` fixture, which validates the server's own
answers against the spec and fails a test whose server sent anything off-spec.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import httpx
import pytest

from dataforce.testing import LocalDataForce
from dataforce.testing._spec import load_spec
from tests._local import (
    DETAILS_FIELDS,
    MISSING_ID,
    ORBIT_FIELDS,
    ORGANIZATION_FIELDS,
    ORGS,
    TIMESTAMP,
    create,
    is_uuid7,
    orbit_path,
    orbits_path,
    secrets_path,
)
from tests._paths import outside_enum


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    return dataforce_server


@pytest.fixture
def client(server: LocalDataForce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as c:
        yield c


# ---------------------------------------------------------------------------- organizations


def test_organizations_are_the_users_ordered_by_name(
    server: LocalDataForce, client: httpx.Client
) -> None:
    zeta = server.add_organization("Zeta")
    alpha = server.add_organization("Alpha", role="member")
    server.add_organization("Beta", member=False)
    response = client.get(ORGS)
    assert response.status_code == 200
    body = response.json()
    assert [o["name"] for o in body] == ["Alpha", "My Organization", "Zeta"]
    assert [o["id"] for o in body] == [alpha, server.organization_id, zeta]
    assert [o["role"] for o in body] == ["member", "owner", "owner"]
    assert set(body[0]) == ORGANIZATION_FIELDS
    assert TIMESTAMP.match(body[0]["created_at"])


def test_membership_can_be_changed(server: LocalDataForce, client: httpx.Client) -> None:
    server.set_membership(server.organization_id, None)
    assert client.get(ORGS).json() == []
    assert client.get(orbits_path(server.organization_id)).status_code == 403
    server.set_membership(server.organization_id, "admin")
    assert client.get(ORGS).json()[0]["role"] == "admin"


#: A valid body for each organization-scoped operation that requires one.
BODIES = {"create_orbit": {"name": "x"}, "update_orbit": {"name": "y"}}
#: Every operation of the spec under an organization that this test can send validly: a
#: body it requires is one of BODIES (an operation the spec gains without a body does too).
ORGANIZATION_SCOPED = sorted(
    op.operation_id
    for op in load_spec().operations.values()
    if "{organization_id}" in op.template
    and (op.body is None or not op.body.required or op.operation_id in BODIES)
)


@pytest.mark.parametrize("operation", ORGANIZATION_SCOPED)
def test_an_unknown_or_foreign_organization_is_403_everywhere(
    server: LocalDataForce, client: httpx.Client, operation: str
) -> None:
    # The service's permission check runs first: an organization that does not exist is
    # one the caller is not a member of, never a 404.
    assert {"list_orbits", "create_orbit", "delete_orbit"} <= set(ORGANIZATION_SCOPED)
    stranger = server.add_organization("Stranger", member=False)
    orbit = server.add_orbit(stranger, "Theirs")["id"]
    spec = load_spec().operations[operation]
    body = BODIES.get(operation)
    if operation == "create_orbit":
        body = {**BODIES[operation], "bucket_secret_id": server.bucket_secret_id}
    for org in (MISSING_ID, stranger):
        # Any other path parameter (a secret's ID...) names nothing: 403 comes first.
        params = defaultdict(lambda: MISSING_ID, organization_id=org, orbit_id=orbit)
        url = spec.template.format_map(params)
        response = client.request(spec.method, url, json=body)
        assert response.status_code == 403, org
        assert response.json() == {"detail": "Not enough rights"}
    assert [o["name"] for o in server.orbits(stranger)] == ["Theirs"]


# ---------------------------------------------------------------------------- bucket secrets


def test_bucket_secrets_never_carry_credentials(
    server: LocalDataForce, client: httpx.Client
) -> None:
    response = client.get(secrets_path(server.organization_id))
    assert response.status_code == 200
    [secret] = response.json()
    assert secret["id"] == server.bucket_secret_id
    assert secret["organization_id"] == server.organization_id
    assert not {"access_key", "secret_key", "password"} & set(secret)


def test_bucket_secrets_are_for_owners_and_admins(
    server: LocalDataForce, client: httpx.Client
) -> None:
    org = server.add_organization("Team", role="member")
    response = client.get(secrets_path(org))
    assert response.status_code == 403
    assert response.json() == {"detail": "Not enough rights"}


# ---------------------------------------------------------------------------- list, get


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
    mine = client.get(orbits_path(server.organization_id)).json()
    assert [o["name"] for o in mine] == ["Default Orbit"]


def test_get_orbit_has_members(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAILS_FIELDS
    assert body["members"] == []


def test_get_unknown_orbit_is_404(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.get(orbit_path(server.organization_id, MISSING_ID))
    assert response.status_code == 404
    assert response.json() == {"detail": "Orbit not found"}


def test_get_post_and_list_carry_permissions_patch_carries_none(
    server: LocalDataForce, client: httpx.Client
) -> None:
    org, orbit = server.organization_id, server.orbit_id
    created = create(client, server).json()
    got = client.get(orbit_path(org, orbit)).json()
    [listed, _] = client.get(orbits_path(org)).json()
    patched = client.patch(orbit_path(org, orbit), json={"name": "Renamed"}).json()
    for answer in (created, got, listed):
        assert isinstance(answer["permissions"], dict)
        assert answer["permissions"]
    assert patched["permissions"] is None
    assert client.get(orbit_path(org, orbit)).json()["permissions"] == got["permissions"]


# ---------------------------------------------------------------------------- create


def test_create_answers_200_with_details(server: LocalDataForce, client: httpx.Client) -> None:
    response = create(client, server)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAILS_FIELDS
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
    members = [{"user_id": server.user_id, "role": "member"}]
    response = create(client, server, "Team", members=members)
    assert response.status_code == 200
    details = response.json()
    assert details["total_members"] == 1
    [member] = details["members"]
    assert member["user"]["id"] == server.user_id
    assert member["orbit_id"] == details["id"]
    assert member["role"] == "member"
    response = create(client, server, "Team", members=[{"user_id": MISSING_ID, "role": "admin"}])
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid members"}


@pytest.mark.parametrize("role", outside_enum("OrbitMemberCreateSimple", "role"))
def test_a_member_role_in_a_create_is_admin_or_member(
    server: LocalDataForce, client: httpx.Client, role: str
) -> None:
    # Responses keep `role` an open string; a request may only name these two.
    response = create(client, server, members=[{"user_id": server.user_id, "role": role}])
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "members", 0, "role"]
    assert detail["input"] == role
    assert len(server.orbits()) == 1


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
    body = {"name": "x", "bucket_secret_id": server.add_bucket_secret(other)}
    assert client.post(orbits_path(other), json=body).status_code == 409
    server.set_orbit_limit(other, 1)
    assert client.post(orbits_path(other), json=body).status_code == 200
    assert client.post(orbits_path(other), json=body).status_code == 409
    server.set_orbit_limit(other, None)  # back to the server's limit
    assert client.post(orbits_path(other), json=body).status_code == 200


def test_create_with_a_bucket_secret_not_the_organizations(
    server: LocalDataForce, client: httpx.Client
) -> None:
    foreign = server.add_bucket_secret(server.add_organization("Other"))
    for secret in (foreign, MISSING_ID):
        response = client.post(
            orbits_path(server.organization_id), json={"name": "x", "bucket_secret_id": secret}
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Bucket secret not found"}
    assert len(server.orbits()) == 1


def test_create_checks_run_in_the_services_order(
    server: LocalDataForce, client: httpx.Client
) -> None:
    # 403 (membership), then 409 (limit), then 404 (bucket secret), then 400 (members):
    # each request below fails every check after the one it is answered for.
    bad_members = [{"user_id": MISSING_ID, "role": "member"}]
    everything_wrong = {"name": "x", "bucket_secret_id": MISSING_ID, "members": bad_members}
    stranger = server.add_organization("Stranger", member=False, orbit_limit=0)
    full = server.add_organization("Full", orbit_limit=0)
    roomy = server.add_organization("Roomy")
    answers = [
        client.post(orbits_path(stranger), json=everything_wrong),
        client.post(orbits_path(MISSING_ID), json=everything_wrong),
        client.post(orbits_path(full), json=everything_wrong),
        client.post(orbits_path(roomy), json=everything_wrong),
        client.post(
            orbits_path(roomy),
            json={**everything_wrong, "bucket_secret_id": server.add_bucket_secret(roomy)},
        ),
    ]
    assert [(a.status_code, a.json()["detail"]) for a in answers] == [
        (403, "Not enough rights"),
        (403, "Not enough rights"),
        (409, "Organization reached maximum number of orbits"),
        (404, "Bucket secret not found"),
        (400, "Invalid members"),
    ]


# ---------------------------------------------------------------------------- update


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


@pytest.mark.parametrize("body", [{}, {"colour": "blue"}])
def test_an_update_without_known_fields_changes_nothing(
    server: LocalDataForce, client: httpx.Client, body: dict[str, str]
) -> None:
    before = client.get(orbits_path(server.organization_id)).json()[0]
    response = client.patch(orbit_path(server.organization_id, server.orbit_id), json=body)
    assert response.status_code == 200
    assert response.json() == {**before, "permissions": None}
    assert before["updated_at"] is None
    assert server.orbits()[0]["updated_at"] is None


def test_an_update_without_a_body_is_422(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.patch(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_update_bucket_secret(server: LocalDataForce, client: httpx.Client) -> None:
    secret = server.add_bucket_secret(server.organization_id, bucket_name="second")
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"bucket_secret_id": secret}
    )
    assert response.status_code == 200
    assert response.json()["bucket_secret_id"] == secret


def test_update_takes_a_bucket_secret_of_the_organization(
    server: LocalDataForce, client: httpx.Client
) -> None:
    mine = server.add_bucket_secret(server.organization_id)
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"bucket_secret_id": mine}
    )
    assert response.status_code == 200
    assert response.json()["bucket_secret_id"] == mine
    assert server.orbits()[0]["bucket_secret_id"] == mine


@pytest.mark.parametrize("secret", ["unknown", "another organization's", "null"])
def test_update_refuses_a_bucket_secret_not_of_the_organization(
    server: LocalDataForce, client: httpx.Client, secret: str
) -> None:
    # Today's service, like create, answers 404 (it answered 500, or took a foreign one).
    value = {
        "unknown": MISSING_ID,
        "another organization's": server.add_bucket_secret(server.add_organization("Other")),
        "null": None,
    }[secret]
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"bucket_secret_id": value}
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Bucket secret not found"}
    assert server.orbits()[0]["bucket_secret_id"] == server.bucket_secret_id
    assert server.orbits()[0]["updated_at"] is None


def test_update_answers_the_services_plain_500_for_a_null_name(
    server: LocalDataForce, client: httpx.Client
) -> None:
    # A null name crashes the service. The spec forbids it (clients must not send it), the
    # stand-in answers as the service does.
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id), json={"name": None}
    )
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert response.headers["content-type"].startswith("text/plain")
    [orbit] = server.orbits()
    assert (orbit["name"], orbit["bucket_secret_id"]) == ("Default Orbit", server.bucket_secret_id)
    assert orbit["updated_at"] is None


def test_a_null_next_to_an_invalid_field_is_422(
    server: LocalDataForce, client: httpx.Client
) -> None:
    # The service's model lets null through, not a malformed UUID: validation answers first.
    response = client.patch(
        orbit_path(server.organization_id, server.orbit_id),
        json={"name": None, "bucket_secret_id": "nope"},
    )
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "bucket_secret_id"]


def test_update_unknown_orbit_is_404(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.patch(orbit_path(server.organization_id, MISSING_ID), json={"name": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Orbit not found"}


# ---------------------------------------------------------------------------- delete, scope


def test_delete(server: LocalDataForce, client: httpx.Client) -> None:
    response = client.delete(orbit_path(server.organization_id, server.orbit_id))
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert server.orbits() == []
    assert client.get(orbit_path(server.organization_id, server.orbit_id)).status_code == 404
    # Deleting what does not exist (any more) is 404, as on today's service.
    again = client.delete(orbit_path(server.organization_id, server.orbit_id))
    assert again.status_code == 404
    assert again.json() == {"detail": "Orbit not found"}


def test_orbits_are_scoped_to_the_organization_in_the_path(
    server: LocalDataForce, client: httpx.Client
) -> None:
    # As today's service does (the older release found orbits for PATCH/DELETE by ID).
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
