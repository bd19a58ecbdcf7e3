# Generated from openapi.yaml by scripts/facade_codegen.py (`make generate`).
# Do not edit: change the spec and regenerate. `make check-generated` fails when
# this file is not what the spec produces.

"""The facade's view of openapi.yaml: response models, operations, request fields.

Models are immutable msgspec structs decoded straight from the response bytes; see
``_models.Model`` for what they share. Never edit: see scripts/facade_codegen.py.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from ._models import Model, Operation, RequestField, Timestamp, UUIDText

__all__ = [
    "BucketSecretOut",
    "Orbit",
    "OrbitDetails",
    "OrbitMember",
    "OrganizationSwitcher",
    "UserOut",
]


class OrganizationSwitcher(Model, frozen=True, kw_only=True):
    """The spec's ``OrganizationSwitcher`` schema."""

    id: UUIDText
    name: str
    logo: str | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None
    role: str | None = None
    permissions: dict[str, Any] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id",)


class BucketSecretOut(Model, frozen=True, kw_only=True):
    """The spec's ``BucketSecretOut`` schema."""

    id: UUIDText
    endpoint: str
    bucket_name: str
    secure: bool | None = None
    region: str | None = None
    cert_check: bool | None = None
    organization_id: UUIDText
    created_at: Timestamp
    updated_at: Timestamp | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "organization_id")


class Orbit(Model, frozen=True, kw_only=True):
    """The spec's ``Orbit`` schema."""

    id: UUIDText
    name: str
    organization_id: UUIDText
    bucket_secret_id: UUIDText
    total_members: int | None = None
    total_collections: int | None = None
    total_satellites: int | None = None
    total_artifacts: int | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None
    role: str | None = None
    permissions: dict[str, Any] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "organization_id", "bucket_secret_id")


class UserOut(Model, frozen=True, kw_only=True):
    """The spec's ``UserOut`` schema."""

    id: UUIDText
    email: str
    full_name: str | None = None
    disabled: bool | None = None
    photo: str | None = None
    has_api_key: bool = False
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id",)


class OrbitMember(Model, frozen=True, kw_only=True):
    """The spec's ``OrbitMember`` schema."""

    id: UUIDText
    orbit_id: UUIDText
    role: str
    user: UserOut
    created_at: Timestamp
    updated_at: Timestamp | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "orbit_id")
    _nested_fields: ClassVar[tuple[tuple[str, str], ...]] = (("user", "UserOut"),)


class OrbitDetails(Orbit, frozen=True, kw_only=True):
    """An orbit with its members; may carry more fields than `Orbit`."""

    members: tuple[OrbitMember, ...] | None = None
    collections_tags: tuple[str, ...] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "organization_id", "bucket_secret_id")
    _nested_fields: ClassVar[tuple[tuple[str, str], ...]] = (("members", "OrbitMember"),)


#: Every operation of the spec, by operationId.
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
    "update_orbit": Operation(
        "update_orbit",
        "PATCH",
        "/v1/organizations/{organization_id}/orbits/{orbit_id}",
        "/v1/organizations/{0}/orbits/{1}",
        params=("organization_id", "orbit_id"),
        retry="idempotent",
        request="OrbitUpdate",
        response="Orbit",
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
}

#: The properties of every request body schema, in the spec's order.
REQUEST_FIELDS: Final[dict[str, tuple[RequestField, ...]]] = {
    "OrbitCreateIn": (
        RequestField(
            name="name", type="string", required=True, min_length=1, max_length=100, pattern="\\S"
        ),
        RequestField(name="bucket_secret_id", type="string", format="uuid", required=True),
        RequestField(name="members", type="array", nullable=True, items="OrbitMemberCreateSimple"),
        RequestField(name="notify", type="boolean", has_default=True, default=False),
    ),
    "OrbitMemberCreateSimple": (
        RequestField(name="user_id", type="string", format="uuid", required=True),
        RequestField(name="role", type="string", required=True, enum=("admin", "member")),
    ),
    "OrbitUpdate": (
        RequestField(name="name", type="string", min_length=1, max_length=100, pattern="\\S"),
        RequestField(name="bucket_secret_id", type="string", format="uuid"),
    ),
}
