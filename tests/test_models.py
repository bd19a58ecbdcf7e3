"""Models users can use: immutable, hashable, serialisable, picklable, tolerant of fields
the spec does not document; and request properties beyond the reference signatures."""

from __future__ import annotations

import copy
import json
import pickle
import uuid
from datetime import UTC, datetime

import pytest

from dataforce.api import (
    APIResponseValidationError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    Orbit,
    OrbitDetails,
    OrbitMember,
    UserOut,
)

from ._paths import outside_enum
from .conftest import (
    ORBIT_ID,
    ORBIT_PATH,
    ORBITS_PATH,
    OTHER_ORBIT_ID,
    SECRET_ID,
    Connect,
    FakeService,
    orbit_json,
)

USER_ID = "0199c455-21ee-74c6-b747-19a82f1a1e75"
BAD_ROLE = outside_enum("OrbitMemberCreateSimple", "role")[0]  # the spec's, not a literal
MEMBER = {
    "id": OTHER_ORBIT_ID,
    "orbit_id": ORBIT_ID,
    "role": "admin",
    "user": {"id": USER_ID, "email": "ada@example.com", "full_name": "Ada"},
    "created_at": "2025-05-21T19:35:17.340408Z",
}


def _details(connect: Connect, service: FakeService, **changes: object) -> OrbitDetails:
    dfs = connect()
    service.once(ORBIT_PATH).respond_with_json(orbit_json(members=[MEMBER], **changes))
    orbit = dfs.orbits.get(ORBIT_ID)
    assert isinstance(orbit, OrbitDetails)
    return orbit


def test_to_dict_is_json_with_the_services_timestamps(
    connect: Connect, service: FakeService
) -> None:
    orbit = _details(connect, service, permissions={"orbit": ["read", "write"]})
    data = json.loads(json.dumps(orbit.to_dict()))
    sent = dict(
        orbit_json(permissions={"orbit": ["read", "write"]}),
        members=[
            dict(
                MEMBER,
                updated_at=None,
                user=dict(MEMBER["user"], disabled=None, photo=None, has_api_key=False),  # type: ignore[arg-type]
            )
        ],
    )
    assert {key: data[key] for key in sent} == sent
    # What the answer did not send is there too, as the spec's default (None here).
    assert {key: data[key] for key in data.keys() - sent.keys()} == dict.fromkeys(
        data.keys() - sent.keys()
    )
    assert data["created_at"] == "2025-05-21T19:35:17.340408Z"


def test_nested_models_are_typed(connect: Connect, service: FakeService) -> None:
    orbit = _details(connect, service)
    assert orbit.members is not None
    [member] = orbit.members
    assert isinstance(member, OrbitMember)
    assert isinstance(member.user, UserOut)
    assert member.user.email == "ada@example.com"
    assert member.created_at == datetime(2025, 5, 21, 19, 35, 17, 340408, tzinfo=UTC)


def test_models_are_immutable_hashable_and_picklable(
    connect: Connect, service: FakeService
) -> None:
    orbit = _details(connect, service, permissions={"orbit": ["read"]})
    with pytest.raises(AttributeError):
        orbit.name = "x"  # type: ignore[misc]
    assert hash(orbit) == hash(copy.deepcopy(orbit))
    assert len({orbit, copy.deepcopy(orbit)}) == 1
    assert pickle.loads(pickle.dumps(orbit)) == orbit
    assert isinstance(orbit, Orbit)  # OrbitDetails extends Orbit


def test_repr_shows_every_attribute_in_the_spec_order(
    connect: Connect, service: FakeService
) -> None:
    text = repr(_details(connect, service))
    assert text.startswith("OrbitDetails(")
    assert f"id='{ORBIT_ID}', name='Default Orbit', organization_id=" in text
    assert "created_at='2025-05-21T19:35:17.340408Z', updated_at='2025-08-13T22:44:58.035731Z'" in (
        text
    )
    assert "members=(OrbitMember(id=" in text


def test_fields_the_spec_does_not_document_never_break_a_call(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_json(
        [orbit_json(shiny={"new": [1, 2]}, role="auditor", total_satellites=3)]
    )
    [orbit] = dfs.orbits.list()
    assert orbit.role == "auditor"
    assert "shiny" not in orbit.to_dict()


def test_an_orbit_answered_for_another_id_is_refused(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(ORBIT_PATH).respond_with_json(orbit_json(id=OTHER_ORBIT_ID, members=[]))
    with pytest.raises(APIResponseValidationError, match=f"answered with orbit {OTHER_ORBIT_ID}"):
        dfs.orbits.get(ORBIT_ID)


# --- request properties beyond the reference signatures ------------------------------


def test_create_sends_members_and_notify(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_json(orbit_json(members=[MEMBER]))
    dfs.orbits.create(
        "ML Models",
        SECRET_ID,
        members=[{"user_id": uuid.UUID(USER_ID), "role": "member"}],
        notify=True,
    )
    assert service.bodies()[-1] == {
        "name": "ML Models",
        "bucket_secret_id": SECRET_ID,
        "members": [{"user_id": USER_ID, "role": "member"}],
        "notify": True,
    }


def test_create_sends_only_what_was_given(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_json(orbit_json())
    dfs.orbits.create("ML Models", uuid.UUID(SECRET_ID))
    assert service.bodies()[-1] == {"name": "ML Models", "bucket_secret_id": SECRET_ID}


@pytest.mark.parametrize(
    ("members", "notify", "error", "argument"),
    [
        ([{"user_id": "nope", "role": "admin"}], None, InvalidArgumentError, "members[0].user_id"),
        ([{"user_id": USER_ID, "role": BAD_ROLE}], None, InvalidArgumentError, "members[0].role"),
        ([{"user_id": USER_ID}], None, InvalidArgumentError, "members[0].role"),
        (
            [{"user_id": USER_ID, "role": "admin", "x": 1}],
            None,
            InvalidArgumentError,
            "members[0].x",
        ),
        (["someone"], None, InvalidArgumentTypeError, "members[0]"),
        ("admin", None, InvalidArgumentTypeError, "members"),
        (None, "yes", InvalidArgumentTypeError, "notify"),
        (None, 1, InvalidArgumentTypeError, "notify"),
    ],
)
def test_bad_members_or_notify_are_refused_before_sending(
    connect: Connect,
    service: FakeService,
    members: object,
    notify: object,
    error: type[Exception],
    argument: str,
) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(error) as raised:
        dfs.orbits.create("ML Models", SECRET_ID, members=members, notify=notify)  # type: ignore[arg-type]
    assert raised.value.argument == argument  # type: ignore[attr-defined]
    assert service.count() == before


@pytest.mark.parametrize("size", [3, 12])  # the few items checked one by one, and a batch
def test_a_list_holds_one_string_for_an_id_every_orbit_repeats(
    connect: Connect, service: FakeService, size: int
) -> None:
    """The organization's ID, and a bucket secret all orbits share, are one object each;
    IDs that differ, even in the last orbit only, are every orbit's own."""
    dfs = connect()
    ids = [str(uuid.UUID(int=n + 1)) for n in range(size)]
    same = [orbit_json(id=i, name=f"O{n}") for n, i in enumerate(ids)]
    service.once(ORBITS_PATH).respond_with_json(same)
    orbits = dfs.orbits.list()
    assert [o.bucket_secret_id for o in orbits] == [SECRET_ID] * size
    if size > 8:
        assert len({id(o.bucket_secret_id) for o in orbits}) == 1
        assert len({id(o.organization_id) for o in orbits}) == 1
    last_differs = [*same[:-1], {**same[-1], "bucket_secret_id": OTHER_ORBIT_ID}]
    service.once(ORBITS_PATH).respond_with_json(last_differs)
    orbits = dfs.orbits.list()
    assert [o.bucket_secret_id for o in orbits] == [SECRET_ID] * (size - 1) + [OTHER_ORBIT_ID]
    first_differs = [{**same[0], "bucket_secret_id": OTHER_ORBIT_ID}, *same[1:]]
    service.once(ORBITS_PATH).respond_with_json(first_differs)
    orbits = dfs.orbits.list()
    assert [o.bucket_secret_id for o in orbits] == [OTHER_ORBIT_ID] + [SECRET_ID] * (size - 1)
