"""The reference documentation's behaviour, through both clients, over real HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from dataforce.api import (
    ConfigurationError,
    DataForceAPIError,
    DataForceClient,
    DefaultOrbitDeletionError,
    MultipleResourcesFoundError,
    Orbit,
    OrbitDetails,
)

from .conftest import (
    ORBIT_ID,
    ORBIT_PATH,
    ORBITS_PATH,
    ORG_ID,
    ORGS_PATH,
    OTHER_ORBIT_ID,
    SECRET_ID,
    Connect,
    FakeService,
    orbit_json,
)

REFERENCE_TIMES = {
    "created_at": datetime(2025, 5, 21, 19, 35, 17, 340408, tzinfo=UTC),
    "updated_at": datetime(2025, 8, 13, 22, 44, 58, 35731, tzinfo=UTC),
}
REFERENCE_ORBIT = Orbit(
    id=ORBIT_ID,
    name="Default Orbit",
    organization_id=ORG_ID,
    bucket_secret_id=SECRET_ID,
    total_members=2,
    total_collections=9,
    total_satellites=1,
    total_artifacts=24,
    created_at=datetime(2025, 5, 21, 19, 35, 17, 340408, tzinfo=UTC),
    updated_at=datetime(2025, 8, 13, 22, 44, 58, 35731, tzinfo=UTC),
    role="admin",
)
# `get` by ID answers the spec's OrbitDetails: the orbit as listed, its members and tags.
REFERENCE_DETAILS = OrbitDetails(
    **REFERENCE_ORBIT.to_dict() | REFERENCE_TIMES, members=(), collections_tags=("production",)
)


def test_construction_with_ids_asks_two_requests(connect: Connect, service: FakeService) -> None:
    dfs = connect(ready=False)
    dfs.orbits.get(ORBIT_ID)
    assert service.requests == [("GET", ORGS_PATH), ("GET", ORBIT_PATH), ("GET", ORBIT_PATH)]
    assert dfs.organization == ORG_ID
    assert dfs.orbit == ORBIT_ID
    assert dfs.collection == "0199c455-21ee-74c6-b747-19a82f1a1e75"


def test_every_request_carries_bearer_key(connect: Connect, service: FakeService) -> None:
    connect().orbits.list()
    for headers in service.headers():
        assert headers["Authorization"] == "Bearer dfs_" + "k" * 43
        assert headers["Accept"] == "application/json"


def test_get_by_name(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    before = service.count()
    orbit = dfs.orbits.get("Default Orbit")
    # One type however the orbit is named: the listed orbit as OrbitDetails, without the
    # members and tags the list does not carry — and no request to fetch them.
    assert type(orbit) is OrbitDetails
    assert orbit == OrbitDetails(**REFERENCE_ORBIT.to_dict() | REFERENCE_TIMES)
    assert (orbit.members, orbit.collections_tags) == (None, None)
    assert service.requests[before:] == [("GET", ORBITS_PATH)]


def test_get_by_name_is_exact_and_case_sensitive(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    assert dfs.orbits.get("default orbit") is None
    assert dfs.orbits.get("Default Orbit ") is None


def test_get_by_id(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    before = service.count()
    assert dfs.orbits.get(ORBIT_ID) == REFERENCE_DETAILS
    assert dfs.orbits.get(uuid.UUID(ORBIT_ID)) == REFERENCE_DETAILS
    assert dfs.orbits.get(ORBIT_ID.upper()) == REFERENCE_DETAILS
    assert service.requests[before:] == [("GET", ORBIT_PATH)] * 3


def test_get_without_argument_is_the_default_orbit(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    before = service.count()
    assert dfs.orbits.get() == REFERENCE_DETAILS
    assert service.requests[before:] == [("GET", ORBIT_PATH)]


def test_get_unknown_id_is_none(connect: Connect, service: FakeService) -> None:
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}").respond_with_json(
        {"detail": "Orbit not found"}, status=404
    )
    assert connect().orbits.get(OTHER_ORBIT_ID) is None


def test_get_unknown_name_is_none(connect: Connect, service: FakeService) -> None:
    assert connect().orbits.get("No Such Orbit") is None


def test_get_duplicate_name_raises(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    twins = [orbit_json(), orbit_json(id=OTHER_ORBIT_ID), orbit_json(name="Other")]
    service.once(ORBITS_PATH).respond_with_json(twins)
    with pytest.raises(MultipleResourcesFoundError, match="2 orbits are named 'Default Orbit'"):
        dfs.orbits.get("Default Orbit")


def test_list(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    second = orbit_json(id=OTHER_ORBIT_ID, name="ML Models", updated_at=None, total_members=None)
    service.once(ORBITS_PATH).respond_with_json([orbit_json(), second])
    orbits = dfs.orbits.list()
    assert orbits[0] == REFERENCE_ORBIT
    assert orbits[1].name == "ML Models"
    assert orbits[1].updated_at is None
    assert orbits[1].total_members is None
    assert len(orbits) == 2


def test_list_empty(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_json([])
    assert dfs.orbits.list() == []


def test_create_sends_exactly_name_and_bucket_secret(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    created = orbit_json(id=OTHER_ORBIT_ID, name="ML Models", members=[], total_members=1)
    service.once(
        ORBITS_PATH, "POST", json={"name": "ML Models", "bucket_secret_id": SECRET_ID}
    ).respond_with_json(created, status=200)
    orbit = dfs.orbits.create(name="ML Models", bucket_secret_id=SECRET_ID)
    assert (orbit.id, orbit.name, orbit.total_members) == (OTHER_ORBIT_ID, "ML Models", 1)
    assert service.bodies()[-1] == {"name": "ML Models", "bucket_secret_id": SECRET_ID}
    assert service.requests[-1] == ("POST", ORBITS_PATH)


def test_create_accepts_uuid_object(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, "POST").respond_with_json(orbit_json(name="X"))
    dfs.orbits.create("X", uuid.UUID(SECRET_ID))
    assert service.bodies()[-1] == {"name": "X", "bucket_secret_id": SECRET_ID}


@pytest.mark.parametrize(
    ("arguments", "body"),
    [
        ({"name": "New Orbit Name"}, {"name": "New Orbit Name"}),
        ({"bucket_secret_id": SECRET_ID}, {"bucket_secret_id": SECRET_ID}),
        (
            {"name": "New Orbit Name", "bucket_secret_id": SECRET_ID},
            {"name": "New Orbit Name", "bucket_secret_id": SECRET_ID},
        ),
        ({}, {}),
    ],
)
def test_update_patches_the_default_orbit_with_given_fields(
    connect: Connect, service: FakeService, arguments: dict[str, str], body: dict[str, str]
) -> None:
    dfs = connect()
    service.once(ORBIT_PATH, "PATCH").respond_with_json(orbit_json(name="New Orbit Name"))
    orbit = dfs.orbits.update(**arguments)
    assert orbit.name == "New Orbit Name"
    assert service.requests[-1] == ("PATCH", ORBIT_PATH)
    assert service.bodies()[-1] == body


def test_update_without_default_orbit_is_a_configuration_error(
    connect: Connect, service: FakeService
) -> None:
    service.server.clear()
    two = [orbit_json(), orbit_json(id=OTHER_ORBIT_ID, name="Second")]
    service.standard(orbits=two)
    dfs = connect(orbit=None)
    dfs.orbits.list()
    before = service.count()
    assert dfs.orbit is None
    with pytest.raises(ConfigurationError, match="default orbit") as raised:
        dfs.orbits.update(name="x")
    assert raised.value.missing == "orbit"
    assert service.count() == before


def test_delete(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}", "DELETE").respond_with_data(status=204)
    assert dfs.orbits.delete(OTHER_ORBIT_ID) is None
    assert service.requests[-1] == ("DELETE", f"{ORBITS_PATH}/{OTHER_ORBIT_ID}")


def test_delete_refuses_the_default_orbit_before_sending(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    dfs.orbits.list()
    before = service.count()
    for same in (ORBIT_ID, ORBIT_ID.upper(), uuid.UUID(ORBIT_ID)):
        with pytest.raises(DefaultOrbitDeletionError, match="default orbit"):
            dfs.orbits.delete(same)
    assert service.count() == before


def test_default_orbit_is_the_only_one_when_not_given(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect(organization=None, orbit=None)
    dfs.orbits.list()
    assert (dfs.organization, dfs.orbit) == (ORG_ID, ORBIT_ID)


def test_orbit_by_name_at_construction(connect: Connect, service: FakeService) -> None:
    dfs = connect(organization="My Organization", orbit="Default Orbit")
    dfs.orbits.list()
    assert (dfs.organization, dfs.orbit) == (ORG_ID, ORBIT_ID)


def test_orbit_value_case_insensitive_id_is_normalised(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect(organization=ORG_ID.upper(), orbit=uuid.UUID(ORBIT_ID))
    dfs.orbits.list()
    assert (dfs.organization, dfs.orbit) == (ORG_ID, ORBIT_ID)


def test_orbit_repr_matches_the_reference_doc() -> None:
    # The reference doc's attributes in its order, timestamps as the service sends them;
    # every other attribute the spec gives is shown too, in the spec's order.
    shown = repr(REFERENCE_ORBIT)
    assert shown.startswith("Orbit(")
    assert (
        "id='0199c455-21ed-7aba-9fe5-5231611220de', name='Default Orbit', "
        "organization_id='0199c455-21ec-7c74-8efe-41470e29bae5', "
        "bucket_secret_id='0199c455-21ed-7aba-9fe5-5231611220aa', total_members=2, "
        "total_collections=9, "
    ) in shown
    assert "created_at='2025-05-21T19:35:17.340408Z', " in shown
    assert "updated_at='2025-08-13T22:44:58.035731Z', " in shown
    positions = [shown.index(f" {name}=") for name in Orbit.__struct_fields__[1:]]
    assert positions == sorted(positions)
    assert shown.endswith(")")


def test_orbit_is_immutable_and_hashable() -> None:
    with pytest.raises(AttributeError):
        REFERENCE_ORBIT.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del REFERENCE_ORBIT.name
    assert len({REFERENCE_ORBIT, REFERENCE_ORBIT}) == 1
    assert REFERENCE_ORBIT.created_at.tzinfo is not None
    import pickle

    assert pickle.loads(pickle.dumps(REFERENCE_ORBIT)) == REFERENCE_ORBIT


def test_default_orbit_refusal_is_a_dataforce_api_error() -> None:
    assert issubclass(DefaultOrbitDeletionError, DataForceAPIError)


def test_calls_after_close_raise_a_typed_error(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    client = getattr(dfs, "unwrapped", dfs)
    if isinstance(dfs, DataForceClient):
        client.close()
    else:
        dfs._loop.run_until_complete(client.close())
    before = service.count()
    with pytest.raises(DataForceAPIError, match="is closed"):
        dfs.orbits.list()
    assert service.count() == before
