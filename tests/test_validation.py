"""Hostile and bad input: a typed error naming the argument, and not one request sent."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataforce.api import (
    AsyncDataForceClient,
    DataForceAPIError,
    DataForceClient,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from tests._paths import NAME_MAX_LENGTH

from .conftest import API_KEY, ORBITS_PATH, ORG_ID, SECRET_ID, Connect, FakeService

NOT_IDS: list[Any] = [
    "",
    " ",
    "not-a-uuid",
    "../../users/me/organizations",
    "..%2F..%2Fusers",
    "%2e%2e%2f",
    "0199c455-21ed-7aba-9fe5-5231611220de/../x",
    "0199c455-21ed-7aba-9fe5-5231611220de?x=1",
    "0199c455-21ed-7aba-9fe5-5231611220de ",
    "{0199c455-21ed-7aba-9fe5-5231611220de}",
    "urn:uuid:0199c455-21ed-7aba-9fe5-5231611220de",
    "0199c45521ed7aba9fe55231611220de",
    "0199c455-21ed-7aba-9fe5-5231611220d\n",
    "0199c455-21ed-7aba-9fe5-5231611220dé",
    "x" * 100_000,
]
NOT_ID_TYPES: list[Any] = [
    None,
    7,
    7.5,
    b"0199c455-21ed-7aba-9fe5-5231611220de",
    ["x"],
    {},
    object(),
]
BAD_NAMES: list[Any] = [
    "\ufeff",  # whitespace to the spec's `\S` (ECMAScript), though not to str.strip()
    "\u3000\u2003",
    "",
    " ",
    "\t\n",
    "x" * (NAME_MAX_LENGTH + 1),
    "x" * 1_000_000,
    "a\x00b",
    "a\rb",
    "\x1b[31m",
    "\ud800",
]
BAD_NAME_TYPES: list[Any] = [7, b"name", ["name"], object(), uuid.uuid4()]


def _assert_refused(error: BaseException, argument: str) -> None:
    assert isinstance(error, DataForceAPIError)
    assert isinstance(error, ValueError | TypeError)
    assert isinstance(error, InvalidArgumentError | InvalidArgumentTypeError)
    assert error.argument == argument
    assert str(error).startswith(f"{argument}: ")
    assert len(str(error)) < 300


@pytest.mark.parametrize("value", NOT_IDS + NOT_ID_TYPES)
def test_delete_refuses_non_ids(connect: Connect, service: FakeService, value: Any) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(DataForceAPIError) as raised:
        dfs.orbits.delete(value)
    _assert_refused(raised.value, "orbit_id")
    assert service.count() == before


@pytest.mark.parametrize("value", NOT_IDS + NOT_ID_TYPES)
def test_create_refuses_non_id_bucket_secret(
    connect: Connect, service: FakeService, value: Any
) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(DataForceAPIError) as raised:
        dfs.orbits.create("ML Models", value)
    _assert_refused(raised.value, "bucket_secret_id")
    assert service.count() == before


@pytest.mark.parametrize("value", [v for v in NOT_IDS + NOT_ID_TYPES if v is not None])
def test_update_refuses_non_id_bucket_secret(
    connect: Connect, service: FakeService, value: Any
) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(DataForceAPIError) as raised:
        dfs.orbits.update(bucket_secret_id=value)
    _assert_refused(raised.value, "bucket_secret_id")
    assert service.count() == before


@pytest.mark.parametrize("value", BAD_NAMES + BAD_NAME_TYPES + [None])
def test_create_refuses_bad_names(connect: Connect, service: FakeService, value: Any) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(DataForceAPIError) as raised:
        dfs.orbits.create(value, SECRET_ID)
    _assert_refused(raised.value, "name")
    assert service.count() == before


@pytest.mark.parametrize("value", BAD_NAMES + BAD_NAME_TYPES)
def test_update_refuses_bad_names(connect: Connect, service: FakeService, value: Any) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(DataForceAPIError) as raised:
        dfs.orbits.update(name=value)
    _assert_refused(raised.value, "name")
    assert service.count() == before


@pytest.mark.parametrize("value", [*BAD_NAMES, 7, b"x", ["x"], object()])
def test_get_refuses_bad_lookup_values(connect: Connect, service: FakeService, value: Any) -> None:
    dfs = connect()
    before = service.count()
    with pytest.raises(DataForceAPIError) as raised:
        dfs.orbits.get(value)
    _assert_refused(raised.value, "orbit_value")
    assert service.count() == before


@pytest.mark.parametrize("value", ["../../users/me/organizations", "..%2F..%2Fx", "a/b"])
def test_get_takes_path_like_text_as_a_name_never_as_a_path(
    connect: Connect, service: FakeService, value: str
) -> None:
    # Any string that is not a UUID is an orbit name (reference doc): it is looked up in
    # the list, and never lands in a URL path.
    dfs = connect()
    before = service.count()
    assert dfs.orbits.get(value) is None
    assert service.requests[before:] == [("GET", ORBITS_PATH)]


# --- construction -------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["dfs_abc\r\nX-Injected: 1", "dfs_abc\n", "dfs_ключ", "dfs abc", "dfs_\x00", "\t"],
)
def test_unsafe_api_key_refused_without_echoing_it(service: FakeService, key: str) -> None:
    for make in (
        lambda: DataForceClient(base_url=service.url, api_key=key, organization=ORG_ID),
        lambda: AsyncDataForceClient(base_url=service.url, api_key=key),
    ):
        with pytest.raises(InvalidArgumentError) as raised:
            make()
        _assert_refused(raised.value, "api_key")
        assert key not in str(raised.value)
        assert key.strip() not in str(raised.value) or not key.strip()
    assert service.count() == 0


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"api_key": 12345}, "api_key"),
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "localhost:8000"}, "base_url"),
        ({"base_url": 8000}, "base_url"),
        ({"base_url": "http://host:abc"}, "base_url"),
        ({"base_url": "http://[::1"}, "base_url"),
        ({"base_url": "https://h.example?x=1"}, "base_url"),
        ({"base_url": "https://h.example#f"}, "base_url"),
        ({"base_url": "https://h .example"}, "base_url"),
        ({"organization": ""}, "organization"),
        ({"organization": "\ufeff"}, "organization"),
        ({"organization": 5}, "organization"),
        ({"orbit": " "}, "orbit"),
        ({"orbit": "a\nb"}, "orbit"),
        ({"orbit": ["x"]}, "orbit"),
        ({"collection": 5}, "collection"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"max_retries": "2"}, "max_retries"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": "30"}, "timeout"),
    ],
)
def test_bad_client_arguments_refused_before_any_request(
    connect: Connect, service: FakeService, arguments: dict[str, Any], argument: str
) -> None:
    with pytest.raises(DataForceAPIError) as raised:
        connect(**arguments)
    _assert_refused(raised.value, argument)
    assert service.count() == 0


@pytest.mark.parametrize(
    "options", [{"max_retries": -2}, {"timeout": "fast"}, {"max_retries": 1.5}]
)
def test_bad_with_options_refused(connect: Connect, service: FakeService, options: Any) -> None:
    dfs = getattr(connect(), "unwrapped", None) or connect()
    with pytest.raises(DataForceAPIError):
        dfs.with_options(**options)


# --- properties -----------------------------------------------------------------------

_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_not_a_uuid = (
    st.text(max_size=60).filter(lambda s: not (len(s) == 36 and _is_uuid(s)))
    | st.binary(max_size=40)
    | st.integers()
    | st.none()
)


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


@_settings
@given(value=_not_a_uuid)
def test_property_non_uuid_never_reaches_a_path(service: FakeService, value: Any) -> None:
    with DataForceClient(base_url=service.url, api_key=API_KEY, organization=ORG_ID) as dfs:
        before = service.count()
        with pytest.raises(DataForceAPIError) as raised:
            dfs.orbits.delete(value)
        _assert_refused(raised.value, "orbit_id")
        with pytest.raises(DataForceAPIError):
            dfs.orbits.create("ok", value)
        assert service.count() == before


@_settings
@given(
    name=st.text(max_size=0)
    | st.text(alphabet=" \t\n\r\x0b\x0c", min_size=1, max_size=20)
    | st.text(min_size=101, max_size=300)
    | st.text(max_size=30).map(lambda s: s + "\x07")
)
def test_property_bad_names_refused(service: FakeService, name: str) -> None:
    with DataForceClient(base_url=service.url, api_key=API_KEY, organization=ORG_ID) as dfs:
        before = service.count()
        with pytest.raises(DataForceAPIError) as raised:
            dfs.orbits.create(name, SECRET_ID)
        _assert_refused(raised.value, "name")
        with pytest.raises(DataForceAPIError):
            dfs.orbits.update(name=name)
        assert service.count() == before


@_settings
@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=100
    ).filter(lambda s: s.strip())
)
def test_property_valid_names_are_sent_verbatim(service: FakeService, name: str) -> None:
    with DataForceClient(base_url=service.url, api_key=API_KEY, organization=ORG_ID) as dfs:
        service.once(ORBITS_PATH, "POST").respond_with_json(
            {
                "id": SECRET_ID,
                "name": name,
                "organization_id": ORG_ID,
                "bucket_secret_id": SECRET_ID,
                "created_at": "2025-05-21T19:35:17.340408Z",
            }
        )
        orbit = dfs.orbits.create(name, SECRET_ID)
        assert orbit.name == name
        assert service.bodies()[-1] == {"name": name, "bucket_secret_id": SECRET_ID}
