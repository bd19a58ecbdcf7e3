"""Every failure surfaces as a typed error: statuses, broken responses, configuration."""

from __future__ import annotations

import json
import re

import pytest

from dataforce.api import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DataForceAPIError,
    InternalServerError,
    MultipleResourcesFoundError,
    NotFoundError,
    OrbitResourceNotFoundError,
    OrganizationResourceNotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
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
    configure_and_use,
    orbit_json,
    org_json,
)

VALIDATION_422 = {
    "detail": [
        {
            "type": "uuid_parsing",
            "loc": ["path", "organization_id"],
            "msg": "Input should be a valid UUID",
            "input": "x",
        }
    ]
}


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (400, {"detail": "Invalid members"}, BadRequestError, "Invalid members"),
        (401, {"detail": "Not authenticated"}, AuthenticationError, "Not authenticated"),
        (403, {"detail": "Not enough rights"}, PermissionDeniedError, "Not enough rights"),
        (404, {"detail": "Organization not found"}, NotFoundError, "Organization not found"),
        (
            409,
            {"detail": "Organization reached maximum number of orbits"},
            ConflictError,
            "maximum number of orbits",
        ),
        (
            422,
            VALIDATION_422,
            UnprocessableEntityError,
            "path.organization_id: Input should be a valid UUID",
        ),
        (429, {"detail": "Slow down"}, RateLimitError, "Slow down"),
        (500, "Internal Server Error", InternalServerError, "Internal Server Error"),
        (502, "<html><body>Bad Gateway</body></html>", InternalServerError, "Bad Gateway"),
        (418, {"detail": "teapot"}, APIStatusError, "teapot"),
    ],
)
def test_status_maps_to_error_class(
    connect: Connect,
    service: FakeService,
    status: int,
    body: object,
    error: type[APIStatusError],
    message: str,
) -> None:
    dfs = connect(max_retries=0)
    handler = service.once(ORBITS_PATH, "POST")
    if isinstance(body, dict):
        handler.respond_with_json(body, status=status)
    else:
        content_type = "text/html" if body.startswith("<") else "text/plain"  # type: ignore[union-attr]
        handler.respond_with_data(body, status=status, content_type=content_type)
    with pytest.raises(error, match=message) as raised:
        dfs.orbits.create("ML Models", SECRET_ID)
    assert type(raised.value) is error
    assert raised.value.status_code == status
    assert raised.value.method == "POST"
    assert raised.value.path == ORBITS_PATH
    assert raised.value.body == body
    assert isinstance(raised.value, DataForceAPIError)


def test_get_by_id_404_is_none_but_other_statuses_raise(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect(max_retries=0)
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}").respond_with_json(
        {"detail": "Orbit not found"}, status=404
    )
    assert dfs.orbits.get(OTHER_ORBIT_ID) is None
    service.once(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}").respond_with_json(
        {"detail": "Not enough rights"}, status=403
    )
    with pytest.raises(PermissionDeniedError):
        dfs.orbits.get(OTHER_ORBIT_ID)


def test_list_404_raises(connect: Connect, service: FakeService) -> None:
    dfs = connect(max_retries=0)
    service.once(ORBITS_PATH).respond_with_json({"detail": "Organization not found"}, status=404)
    with pytest.raises(NotFoundError):
        dfs.orbits.list()


def test_long_detail_is_shortened_in_message(connect: Connect, service: FakeService) -> None:
    dfs = connect(max_retries=0)
    service.once(ORBITS_PATH).respond_with_json({"detail": "x" * 5000}, status=400)
    with pytest.raises(BadRequestError) as raised:
        dfs.orbits.list()
    assert len(str(raised.value)) < 500
    assert raised.value.detail == "x" * 5000


# --- responses that break the contract ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('[{"id": "0199c455-21ed', "application/json", "not valid JSON"),
        ("<html>oops</html>", "text/html", "not valid JSON"),
        (
            json.dumps({"detail": "not a list"}),
            "application/json",
            "Expected `array`, got `object`",
        ),
        (json.dumps(["orbit"]), "application/json", r"Expected `object`, got `str` - at `\$\[0\]`"),
    ],
)
def test_list_with_broken_body_raises_validation_error(
    connect: Connect, service: FakeService, body: str, content_type: str, message: str
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_data(body, content_type=content_type)
    with pytest.raises(APIResponseValidationError, match=message) as raised:
        dfs.orbits.list()
    assert raised.value.status_code == 200


# (change, the field's path in the body, what the message says of it)
BROKEN_FIELDS = [
    ({"id": None}, "id", "Expected `str`, got `null`"),
    ({"id": "not-a-uuid"}, "id", "Expected `str` of length >= 36"),
    ({"id": "0199c455-21ed-7aba-9fe5-5231611220dX"}, "id", "not a UUID: '0199c455-21ed-7aba"),
    ({"organization_id": "0199c455_21ed_7aba_9fe5_5231611220de"}, "organization_id", "not a UUID"),
    (
        {"bucket_secret_id": "0199c455-21ed-7aba-9fe5-52316112-0de"},
        "bucket_secret_id",
        "not a UUID",
    ),
    ({"name": 7}, "name", "Expected `str`, got `int`"),
    ({"total_members": "2"}, "total_members", "Expected `int | null`, got `str`"),
    ({"total_collections": 1.5}, "total_collections", "Expected `int | null`, got `float`"),
    ({"created_at": "yesterday"}, "created_at", "Invalid RFC3339 encoded datetime"),
    ({"created_at": None}, "created_at", "Expected `datetime`, got `null`"),
    ({"created_at": "2025-05-21T19:35:17"}, "created_at", "with a timezone component"),
    ({"updated_at": 5}, "updated_at", "Expected `datetime | null`, got `int`"),
    ({"updated_at": "soon"}, "updated_at", "Invalid RFC3339 encoded datetime"),
    ({"permissions": []}, "permissions", "Expected `object | null`, got `array`"),
    ({"role": 3}, "role", "Expected `str | null`, got `int`"),
]


@pytest.mark.parametrize(("change", "field", "message"), BROKEN_FIELDS)
def test_broken_field_in_a_list_raises_naming_it(
    connect: Connect, service: FakeService, change: dict[str, object], field: str, message: str
) -> None:
    # Every field of every listed orbit is checked as the list is decoded.
    dfs = connect()
    body = [orbit_json(name="Fine"), orbit_json(**change)]
    service.once(ORBITS_PATH).respond_with_json(body)
    with pytest.raises(APIResponseValidationError, match=re.escape(message)) as raised:
        dfs.orbits.list()
    assert f"$[1].{field}" in str(raised.value) or f"$[*].{field}" in str(raised.value)
    assert raised.value.status_code == 200


def test_missing_field_in_a_list_raises_naming_it(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_json([orbit_json(), {"name": "x"}])
    with pytest.raises(
        APIResponseValidationError,
        match=re.escape("Object missing required field `id` - at `$[1]`"),
    ):
        dfs.orbits.list()


@pytest.mark.parametrize(("change", "field", "message"), BROKEN_FIELDS)
def test_broken_single_orbit_raises_at_once(
    connect: Connect, service: FakeService, change: dict[str, object], field: str, message: str
) -> None:
    dfs = connect()
    service.once(ORBIT_PATH).respond_with_json(orbit_json(**change))
    with pytest.raises(APIResponseValidationError, match=re.escape(message)) as raised:
        dfs.orbits.get(ORBIT_ID)
    assert f"$.{field}" in str(raised.value)
    service.once(ORBITS_PATH, "POST").respond_with_json(orbit_json(**change))
    with pytest.raises(APIResponseValidationError, match=re.escape(message)):
        dfs.orbits.create("x", SECRET_ID)


def test_broken_member_of_a_single_orbit_raises(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    member = {
        "id": OTHER_ORBIT_ID,
        "orbit_id": ORBIT_ID,
        "role": "admin",
        "user": {"id": "nope" * 9, "email": "a@example.com"},
        "created_at": "2025-05-21T19:35:17.340408Z",
    }
    service.once(ORBIT_PATH).respond_with_json(orbit_json(members=[member]))
    with pytest.raises(APIResponseValidationError, match=re.escape("$.members.user.id")):
        dfs.orbits.get(ORBIT_ID)


@pytest.mark.parametrize(
    "body",
    [[{"id": ORBIT_ID}], [orbit_json(name=7)], ["x"], {"items": []}, None],
)
def test_get_by_name_with_broken_body_raises_validation_error(
    connect: Connect, service: FakeService, body: object
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_json(body)
    with pytest.raises(APIResponseValidationError):
        dfs.orbits.get(7 and "Default Orbit")


def test_get_by_id_with_empty_body_raises_validation_error(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(ORBIT_PATH).respond_with_data("", status=200)
    with pytest.raises(APIResponseValidationError):
        dfs.orbits.get(ORBIT_ID)


def test_unknown_fields_and_roles_are_tolerated(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_json(
        [orbit_json(role="auditor", shiny_new_field={"a": 1}, permissions={"orbit": ["read"]})]
    )
    [orbit] = dfs.orbits.list()
    assert orbit.id == ORBIT_ID


def test_empty_list_where_a_match_was_expected_is_none(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    service.once(ORBITS_PATH).respond_with_json([])
    assert dfs.orbits.get("Default Orbit") is None


# --- configuration ----------------------------------------------------------------------


def test_no_api_key_is_a_configuration_error(
    connect: Connect, service: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DFS_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="DFS_API_KEY") as raised:
        connect(api_key=None)
    assert raised.value.missing == "api_key"
    assert service.count() == 0


def test_api_key_and_base_url_from_environment(
    connect: Connect, service: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_API_KEY", "dfs_from_env")
    monkeypatch.setenv("DFS_BASE_URL", service.url)
    from dataforce.api import DataForceClient

    with DataForceClient(organization=ORG_ID, orbit=ORBIT_ID) as dfs:
        assert dfs.base_url == service.url
        dfs.orbits.list()
    assert service.headers()[-1]["Authorization"] == "Bearer dfs_from_env"


def test_default_base_url_is_production(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataforce.api._base_client import Options

    monkeypatch.delenv("DFS_BASE_URL", raising=False)
    assert Options(None, "dfs_x", 0, 1.0).base_url == "https://api.dataforce.studio"


def test_unknown_organization_lists_the_available_ones(
    connect: Connect, service: FakeService
) -> None:
    with pytest.raises(OrganizationResourceNotFoundError) as raised:
        configure_and_use(connect, organization="Nope")
    assert "'My Organization' (0199c455-21ec-7c74-8efe-41470e29bae5)" in str(raised.value)


def test_unknown_organization_id(connect: Connect, service: FakeService) -> None:
    with pytest.raises(OrganizationResourceNotFoundError, match="available organizations"):
        configure_and_use(connect, organization=OTHER_ORBIT_ID)


def test_unknown_orbit_name_lists_the_available_ones(
    connect: Connect, service: FakeService
) -> None:
    with pytest.raises(OrbitResourceNotFoundError) as raised:
        configure_and_use(connect, orbit="Nope")
    assert "'Default Orbit' (0199c455-21ed-7aba-9fe5-5231611220de)" in str(raised.value)


def test_unknown_orbit_id(connect: Connect, service: FakeService) -> None:
    service.server.expect_request(f"{ORBITS_PATH}/{OTHER_ORBIT_ID}").respond_with_json(
        {"detail": "Orbit not found"}, status=404
    )
    with pytest.raises(OrbitResourceNotFoundError, match="'Default Orbit'"):
        configure_and_use(connect, orbit=OTHER_ORBIT_ID)


def test_duplicate_orbit_name_at_construction(connect: Connect, service: FakeService) -> None:
    service.server.clear()
    service.standard(orbits=[orbit_json(), orbit_json(id=OTHER_ORBIT_ID)])
    with pytest.raises(MultipleResourcesFoundError, match="pass the ID"):
        configure_and_use(connect, orbit="Default Orbit")


def test_several_organizations_and_none_given(connect: Connect, service: FakeService) -> None:
    service.server.clear()
    service.server.expect_request(ORGS_PATH).respond_with_json(
        [org_json(), org_json(id_=OTHER_ORBIT_ID, name="Another")]
    )
    with pytest.raises(ConfigurationError, match="pass organization="):
        configure_and_use(connect, organization=None)
    dfs = connect(organization=None, orbit=None, ready=False)
    with pytest.raises(ConfigurationError, match="default organization") as raised:
        dfs.orbits.list()
    assert raised.value.missing == "organization"
    assert dfs.organization is None


def test_failed_construction_sends_nothing_more(connect: Connect, service: FakeService) -> None:
    service.server.clear()
    service.server.expect_request(ORGS_PATH).respond_with_json(
        {"detail": "Not authenticated"}, status=401
    )
    with pytest.raises(AuthenticationError):
        configure_and_use(connect)
    assert service.requests == [("GET", ORGS_PATH)]


def test_client_repr_shows_defaults_not_key(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    dfs.orbits.list()
    client = getattr(dfs, "unwrapped", dfs)
    text = repr(client)
    assert ORG_ID in text
    assert ORBIT_ID in text
    assert "dfs_" not in text


def test_organization_property_before_lazy_resolution(
    connect: Connect, service: FakeService, kind: str
) -> None:
    dfs = connect(ready=False)
    if kind == "async-lazy":
        assert dfs.organization is None
        assert service.count() == 0
    dfs.orbits.list()
    assert dfs.organization == ORG_ID


@pytest.mark.parametrize(
    "body",
    [
        {"detail": [{"loc": None, "msg": "x", "type": "t"}]},
        {"detail": [{"loc": 5, "msg": "x", "type": "t"}]},
        {"detail": [{"loc": ["body", None, 3], "type": "t"}]},
        {"detail": [7, "x", None]},
        {"detail": {"nested": True}},
        ["not", "an", "object"],
    ],
)
def test_odd_error_bodies_still_give_a_typed_error(
    connect: Connect, service: FakeService, body: object
) -> None:
    dfs = connect(max_retries=0)
    service.once(ORBITS_PATH).respond_with_json(body, status=422)
    with pytest.raises(UnprocessableEntityError) as raised:
        dfs.orbits.list()
    assert raised.value.body == body


@pytest.mark.parametrize("status", [200, 500])
def test_deeply_nested_json_is_a_typed_error(
    connect: Connect, service: FakeService, status: int
) -> None:
    dfs = connect(max_retries=0)
    service.once(ORBITS_PATH).respond_with_data(
        "[" * 100_000, status=status, content_type="application/json"
    )
    with pytest.raises(APIResponseValidationError if status == 200 else InternalServerError):
        dfs.orbits.list()


@pytest.mark.parametrize(
    "organizations",
    [
        [org_json(id_="../../users/me/organizations?x=")],
        [org_json(id_=ORG_ID + "/../x")],
        [{"id": 5, "name": "My Organization"}],
        [{"id": ORG_ID}],
        {"id": ORG_ID},
    ],
)
def test_service_ids_that_are_not_uuids_never_reach_a_path(
    connect: Connect, service: FakeService, organizations: object
) -> None:
    service.server.clear()
    service.server.expect_request(ORGS_PATH).respond_with_json(organizations)
    with pytest.raises(APIResponseValidationError, match="breaks the contract: "):
        configure_and_use(connect, organization=None, orbit=None)
    assert service.requests == [("GET", ORGS_PATH)]


def test_errors_survive_pickling() -> None:
    import pickle

    from dataforce.api import (
        APIConnectionError,
        APIResponseTooLargeError,
        DefaultOrbitDeletionError,
        InvalidArgumentError,
        InvalidArgumentTypeError,
    )

    errors: list[Exception] = [
        InvalidArgumentError("name", "must not be blank"),
        InvalidArgumentTypeError("orbit_id", "expected str"),
        ConfigurationError("no default orbit", missing="orbit"),
        APIResponseValidationError("broken", status_code=200, body=[1]),
        NotFoundError(status_code=404, method="GET", path="/x", body={"detail": "d"}, detail="d"),
        APIConnectionError("refused"),
        DefaultOrbitDeletionError("refused"),
        MultipleResourcesFoundError("orbit", "ML", [f"id-{i}" for i in range(30)], "use IDs"),
        APIResponseTooLargeError("too large", status_code=200, limit=10),
    ]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert vars(copy) == vars(error)
