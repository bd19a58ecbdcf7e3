"""Contains methods for accessing the API, and the table of its operations.

Written by ``make generate`` from scripts/templates/api_init.py.jinja; never edited.
``OPERATIONS`` lists every operation of the spec by operationId; ``REQUEST_FIELDS`` the
properties of every request body schema (and of the objects its arrays hold), with the
constraints the spec states, for validation before anything is sent.
"""

from __future__ import annotations

from typing import Final

from ..types import Operation, RequestField

__all__ = ["OPERATIONS", "REQUEST_FIELDS"]

OPERATIONS: Final[dict[str, Operation]] = {
    "list_my_organizations": Operation(
        "list_my_organizations",
        "GET",
        "/v1/users/me/organizations",
        "/v1/users/me/organizations",
        params=(),
        retry="read",
        request=None,
        response="OrganizationSwitcher",
        many=True,
        success=200,
        statuses=(200, 401, 500),
    ),
    "list_bucket_secrets": Operation(
        "list_bucket_secrets",
        "GET",
        "/v1/organizations/{organization_id}/bucket-secrets",
        "/v1/organizations/{0}/bucket-secrets",
        params=("organization_id",),
        retry="read",
        request=None,
        response="BucketSecretOut",
        many=True,
        success=200,
        statuses=(200, 401, 403, 422, 500),
    ),
    "list_orbits": Operation(
        "list_orbits",
        "GET",
        "/v1/organizations/{organization_id}/orbits",
        "/v1/organizations/{0}/orbits",
        params=("organization_id",),
        retry="read",
        request=None,
        response="Orbit",
        many=True,
        success=200,
        statuses=(200, 401, 403, 422, 500),
    ),
    "create_orbit": Operation(
        "create_orbit",
        "POST",
        "/v1/organizations/{organization_id}/orbits",
        "/v1/organizations/{0}/orbits",
        params=("organization_id",),
        retry="unsafe",
        request="OrbitCreateIn",
        response="OrbitDetails",
        many=False,
        success=200,
        statuses=(200, 400, 401, 403, 404, 409, 422, 500),
    ),
    "get_orbit": Operation(
        "get_orbit",
        "GET",
        "/v1/organizations/{organization_id}/orbits/{orbit_id}",
        "/v1/organizations/{0}/orbits/{1}",
        params=("organization_id", "orbit_id"),
        retry="read",
        request=None,
        response="OrbitDetails",
        many=False,
        success=200,
        statuses=(200, 401, 403, 404, 422, 500),
    ),
    "delete_orbit": Operation(
        "delete_orbit",
        "DELETE",
        "/v1/organizations/{organization_id}/orbits/{orbit_id}",
        "/v1/organizations/{0}/orbits/{1}",
        params=("organization_id", "orbit_id"),
        retry="idempotent",
        request=None,
        response=None,
        many=False,
        success=204,
        statuses=(204, 401, 403, 404, 422, 500),
    ),
    "update_orbit": Operation(
        "update_orbit",
        "PATCH",
        "/v1/organizations/{organization_id}/orbits/{orbit_id}",
        "/v1/organizations/{0}/orbits/{1}",
        params=("organization_id", "orbit_id"),
        retry="unsafe",
        request="OrbitUpdate",
        response="Orbit",
        many=False,
        success=200,
        statuses=(200, 401, 403, 404, 422, 500),
    ),
    "list_orbit_secrets": Operation(
        "list_orbit_secrets",
        "GET",
        "/v1/organizations/{organization_id}/orbits/{orbit_id}/secrets",
        "/v1/organizations/{0}/orbits/{1}/secrets",
        params=("organization_id", "orbit_id"),
        retry="read",
        request=None,
        response="OrbitSecretOut",
        many=True,
        success=200,
        statuses=(200, 401, 403, 404, 422),
    ),
}

REQUEST_FIELDS: Final[dict[str, tuple[RequestField, ...]]] = {
    "OrbitCreateIn": (
        RequestField(
            name="name",
            type="string",
            required=True,
            min_length=1,
            max_length=100,
            pattern="\\S",
        ),
        RequestField(
            name="bucket_secret_id", type="string", format="uuid", required=True
        ),
        RequestField(
            name="members", type="array", nullable=True, items="OrbitMemberCreateSimple"
        ),
        RequestField(name="notify", type="boolean", has_default=True, default=False),
    ),
    "OrbitMemberCreateSimple": (
        RequestField(name="user_id", type="string", format="uuid", required=True),
        RequestField(
            name="role",
            type="string",
            required=True,
            enum=(
                "admin",
                "member",
            ),
        ),
    ),
    "OrbitUpdate": (
        RequestField(
            name="name", type="string", min_length=1, max_length=100, pattern="\\S"
        ),
        RequestField(name="bucket_secret_id", type="string", format="uuid"),
    ),
}
