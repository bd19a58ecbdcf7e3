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

from dataforce.testing import LocalDataForce
from dataforce.testing._spec import load_spec
from tests._local import orbit_path, orbits_path

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
        assert server.unimplemented_operations == ("list_models",)
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

        # Every other operation answers as before.
        assert client.get(orbits_path(server.organization_id)).status_code == 200
        orbit = client.get(orbit_path(server.organization_id, server.orbit_id))
        assert orbit.status_code == 200
        assert orbit.json()["name"] == "Default Orbit"
