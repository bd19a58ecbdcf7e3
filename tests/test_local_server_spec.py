"""The local server follows the spec it is built from: edited copies of the packaged spec.

Each test edits a copy of ``dataforce/openapi.yaml`` the way a ``make generate`` after a
service change would, builds a server from it (``LocalDataForce(_spec=...)``, testing
only) and talks to it over real HTTP. Every server here validates its own answers against
the edited spec, so an answer the edited spec does not allow fails the test.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dataforce.testing import LocalDataForce
from dataforce.testing._handlers import HANDLERS
from dataforce.testing._shapes import SpecMismatch
from dataforce.testing._spec import load_spec
from tests._local import ORGS, orbit_path, orbits_path, secrets_path

#: The packaged spec's operations the stand-in has no handler for.
UNIMPLEMENTED = set(load_spec().operations) - set(HANDLERS)

MODELS_PATH = "/v1/organizations/{organization_id}/models"


def edited_spec() -> dict[str, Any]:
    """A copy of the packaged spec, free to edit."""
    return copy.deepcopy(dict(load_spec().document))


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = document["components"]["schemas"]
    return result


@contextlib.contextmanager
def running(document: dict[str, Any]) -> Iterator[tuple[LocalDataForce, httpx.Client]]:
    """A server built from ``document`` that checks its answers against it, and a client."""
    with (
        LocalDataForce(_spec=document, validate_responses=True) as server,
        httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as client,
    ):
        yield server, client
        assert server.spec_violations == []


# ---------------------------------------------------------------------------- new operations


def add_list_models(document: dict[str, Any]) -> None:
    """A new operation, as the service would add one: the stand-in has no handler for it."""
    document["paths"][MODELS_PATH] = {
        "parameters": [{"$ref": "#/components/parameters/OrganizationId"}],
        "get": {
            "operationId": "list_models",
            "responses": {
                "200": {
                    "description": "The organization's models.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"type": "object"}}
                        }
                    },
                },
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "422": {"$ref": "#/components/responses/ValidationFailed"},
            },
        },
    }


def test_an_operation_without_a_handler_is_501_and_the_rest_works() -> None:
    document = edited_spec()
    add_list_models(document)
    with running(document) as (server, client):
        # The spec's own unimplemented operations (none today), and the one added here.
        assert "list_models" in server.unimplemented_operations
        assert set(server.unimplemented_operations) - {"list_models"} == UNIMPLEMENTED
        models = MODELS_PATH.format(organization_id=server.organization_id)

        response = client.get(models)
        assert response.status_code == 501
        assert response.json() == {
            "detail": "the local DataForce server does not implement list_models "
            f"(GET {MODELS_PATH}) yet"
        }
        # The stand-in's own answer, not a spec violation (`running` checks there is none,
        # as the dataforce_server fixture does); the request is in the log as any other.
        assert server.spec_violations == []
        assert [(r.method, r.path) for r in server.requests] == [("GET", models)]

        # Authentication and request validation follow the spec alone: they still apply.
        assert httpx.get(server.url(models)).status_code == 401
        invalid = client.get(MODELS_PATH.format(organization_id="not-a-uuid"))
        assert invalid.status_code == 422
        assert invalid.json()["detail"][0]["loc"] == ["path", "organization_id"]

        # `dataforce serve` says so when it starts, beneath the seeded IDs.
        assert "list_models" in server.describe().partition("Answered 501:")[2]

        # Every other operation answers as before.
        assert client.get(orbits_path(server.organization_id)).status_code == 200
        orbit = client.get(orbit_path(server.organization_id, server.orbit_id))
        assert orbit.status_code == 200
        assert orbit.json()["name"] == "Default Orbit"


# ---------------------------------------------------------------------------- properties the
# store does not model: they follow the spec


def orbit_answers(server: LocalDataForce, client: httpx.Client) -> dict[str, dict[str, Any]]:
    """An orbit as every orbit operation answers it: created, listed, got and updated."""
    org = server.organization_id
    body = {"name": "Fresh", "bucket_secret_id": server.bucket_secret_id}
    created = client.post(orbits_path(org), json=body)
    assert created.status_code == 200, created.text
    orbit_id = created.json()["id"]
    [listed] = [o for o in client.get(orbits_path(org)).json() if o["id"] == orbit_id]
    got = client.get(orbit_path(org, orbit_id))
    updated = client.patch(orbit_path(org, orbit_id), json={"name": "Renamed"})
    assert (got.status_code, updated.status_code) == (200, 200)
    return {"create": created.json(), "list": listed, "get": got.json(), "update": updated.json()}


@pytest.mark.parametrize(
    ("schema", "answered"),
    [
        ({"type": ["integer", "null"]}, None),  # nullable: null
        ({"type": ["integer", "null"], "default": 0}, 0),  # its default first
        ({"type": "integer"}, 0),  # else the type's empty value
        ({"type": "string"}, ""),
        ({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}, None),
        ({"type": "array", "items": {"type": "string"}}, []),
        ({"type": "string", "enum": ["draft", "ready"]}, "draft"),
    ],
)
def test_a_new_property_is_answered_by_every_orbit_operation(
    schema: dict[str, Any], answered: Any
) -> None:
    document = edited_spec()
    for name in ("Orbit", "OrbitDetails"):
        schemas(document)[name]["properties"]["total_models"] = copy.deepcopy(schema)
    with running(document) as (server, client):
        for operation, orbit in orbit_answers(server, client).items():
            assert orbit["total_models"] == answered, operation
        assert server.orbits()[0]["total_models"] == answered  # stored in the details' shape


def test_a_new_property_of_the_listed_orbit_only_is_answered_by_the_list() -> None:
    document = edited_spec()
    schemas(document)["Orbit"]["properties"]["archived"] = {"type": "boolean", "default": False}
    with running(document) as (server, client):
        answers = orbit_answers(server, client)
        assert answers["list"]["archived"] is False
        assert answers["update"]["archived"] is False  # PATCH answers an Orbit too
        assert "archived" not in answers["get"]  # not a property of OrbitDetails


def test_an_optional_property_without_a_value_to_make_up_is_left_out() -> None:
    # No default, not nullable, and "" is no UUID: the stand-in answers nothing rather
    # than something the spec refuses.
    document = edited_spec()
    owner = {"type": "string", "format": "uuid"}
    schemas(document)["OrbitDetails"]["properties"]["owner_id"] = owner
    with running(document) as (server, client):
        assert "owner_id" not in orbit_answers(server, client)["get"]


def test_removed_properties_the_store_does_not_model_are_not_answered() -> None:
    document = edited_spec()
    for name in ("Orbit", "OrbitDetails"):
        del schemas(document)[name]["properties"]["total_satellites"]
    del schemas(document)["OrbitDetails"]["properties"]["collections_tags"]
    del schemas(document)["OrganizationSwitcher"]["properties"]["logo"]
    del schemas(document)["BucketSecretOut"]["properties"]["region"]
    del schemas(document)["UserOut"]["properties"]["photo"]
    with running(document) as (server, client):
        for operation, orbit in orbit_answers(server, client).items():
            assert "total_satellites" not in orbit, operation
            assert "collections_tags" not in orbit, operation
            assert orbit["total_artifacts"] == 0, operation  # its neighbours stay
        [organization] = client.get(ORGS).json()
        assert "logo" not in organization
        assert organization["name"] == "My Organization"
        [secret] = client.get(secrets_path(server.organization_id)).json()
        assert "region" not in secret
        assert secret["bucket_name"] == "dataforce-local"
        member = create_with_member(server, client)
        assert "photo" not in member["user"]
        assert member["user"]["email"] == "colleague@dataforce.local"


def create_with_member(server: LocalDataForce, client: httpx.Client) -> dict[str, Any]:
    """The one member of a new orbit, as the create answers it."""
    user_id = server._store.add_user("colleague@dataforce.local", "A Colleague")
    body = {
        "name": "Team",
        "bucket_secret_id": server.bucket_secret_id,
        "members": [{"user_id": user_id, "role": "member"}],
    }
    response = client.post(orbits_path(server.organization_id), json=body)
    assert response.status_code == 200, response.text
    [member] = response.json()["members"]
    assert member["role"] == "member"
    return dict(member)


def test_a_retyped_property_the_store_does_not_model_follows_its_new_type() -> None:
    # The placeholder 0 no longer fits: the rule takes over.
    document = edited_spec()
    for name in ("Orbit", "OrbitDetails"):
        schemas(document)[name]["properties"]["total_collections"] = {"type": "string"}
    with running(document) as (server, client):
        for operation, orbit in orbit_answers(server, client).items():
            assert orbit["total_collections"] == "", operation


# ---------------------------------------------------------------------------- properties the
# store models: a spec that drops or retypes one stops the server from starting

STORE = "dataforce/testing/_store.py"


def refused(document: dict[str, Any]) -> str:
    """Why a server cannot be built from ``document``."""
    with pytest.raises(SpecMismatch) as caught:
        LocalDataForce(_spec=document)
    message = str(caught.value)
    assert message.startswith("the local DataForce server does not fit its spec:")
    return message


def test_a_removed_property_the_store_models_is_refused_at_construction() -> None:
    document = edited_spec()
    del schemas(document)["OrbitDetails"]["properties"]["name"]
    message = refused(document)
    assert "OrbitDetails (the answer of get_orbit) has no property 'name'" in message
    assert f"which {STORE} gives a value (orbit records)" in message


def test_a_renamed_property_the_store_models_is_refused_at_construction() -> None:
    document = edited_spec()
    for name in ("Orbit", "OrbitDetails"):
        properties = schemas(document)[name]["properties"]
        properties["member_count"] = properties.pop("total_members")
    message = refused(document)
    assert "has no property 'total_members'" in message
    assert STORE in message


@pytest.mark.parametrize(
    ("schema", "property_name", "refusal"),
    [
        ("OrbitDetails", "total_members", "OrbitDetails (the answer of get_orbit)"),
        # Retyped where only an answer carries it: the list's Orbit.
        ("Orbit", "total_members", "Orbit (the answer of list_orbits)"),
        ("OrbitMember", "role", "OrbitMember (OrbitDetails (the answer of get_orbit).members)"),
    ],
)
def test_a_retyped_property_the_store_models_is_refused_at_construction(
    schema: str, property_name: str, refusal: str
) -> None:
    document = edited_spec()
    schemas(document)[schema]["properties"][property_name] = {"type": "boolean"}
    message = refused(document)
    assert f"{refusal}: property {property_name!r} does not accept" in message
    assert f"is not of type 'boolean'): change {STORE}" in message


def test_a_nested_record_that_is_no_longer_an_object_is_refused() -> None:
    document = edited_spec()
    schemas(document)["OrbitMember"]["properties"]["user"] = {"type": "string", "format": "email"}
    message = refused(document)
    assert "OrbitMember (OrbitDetails (the answer of get_orbit).members).user" in message
    assert f"no longer an object or a list of objects, which {STORE} stores there" in message


def test_a_required_property_the_stand_in_cannot_make_up_is_refused() -> None:
    document = edited_spec()
    details = schemas(document)["OrbitDetails"]
    details["properties"]["owner_id"] = {"type": "string", "format": "uuid"}
    details["required"].append("owner_id")
    message = refused(document)
    assert "required property 'owner_id' has no value the stand-in can make up" in message
    assert f"give it one in {STORE}" in message


def test_a_spec_without_the_operation_a_record_is_shaped_by_is_refused() -> None:
    document = edited_spec()
    del document["paths"][orbit_path("{organization_id}", "{orbit_id}")]["get"]
    message = refused(document)
    assert f"no JSON success answer for get_orbit, the shape of records in {STORE}" in message
