"""Validation that cannot be fooled, settings that cannot blow up later, and no key in
any message: each check asserts on what the service received (often: nothing)."""

from __future__ import annotations

import asyncio
import copy
import math
import sys
import uuid
from typing import Any

import httpx
import pytest

from dataforce.api import (
    APIConnectionError,
    AsyncDataForceClient,
    AuthenticationError,
    ConfigurationError,
    DataForceClient,
    DefaultOrbitDeletionError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    MultipleResourcesFoundError,
)

from .conftest import (
    API_KEY,
    ORBIT_ID,
    ORBITS_PATH,
    ORG_ID,
    ORGS_PATH,
    OTHER_ORBIT_ID,
    SECRET_ID,
    Connect,
    FakeService,
    configure_and_use,
    orbit_json,
)

# --- IDs and names are canonicalised, never taken from a subclass's methods ------------


class LyingUUID(uuid.UUID):
    def __str__(self) -> str:
        return "../../admin/wipe?all=1"

    def __format__(self, spec: str) -> str:
        return str(self)


class LyingStr(str):
    def lower(self) -> str:
        return "../../admin/wipe?all=1"

    def __str__(self) -> str:
        return "evil"

    def strip(self, chars: Any = None) -> str:
        return "evil"


class SelfStr(str):
    """``str()`` of it returns itself: a naive ``str(x)`` loop never ends."""

    def __str__(self) -> str:
        return self


def _expect_delete(service: FakeService, orbit_id: str) -> None:
    service.server.expect_request(f"{ORBITS_PATH}/{orbit_id}", method="DELETE").respond_with_data(
        "", status=204
    )


def test_a_uuid_subclass_cannot_reshape_the_path(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    _expect_delete(service, OTHER_ORBIT_ID)
    dfs.orbits.delete(LyingUUID(OTHER_ORBIT_ID))
    assert service.requests[-1] == ("DELETE", f"{ORBITS_PATH}/{OTHER_ORBIT_ID}")
    assert not any("admin" in path for _, path in service.requests)


def test_a_str_subclass_cannot_reshape_the_path(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    _expect_delete(service, OTHER_ORBIT_ID)
    dfs.orbits.delete(LyingStr(OTHER_ORBIT_ID.upper()))
    assert service.requests[-1] == ("DELETE", f"{ORBITS_PATH}/{OTHER_ORBIT_ID}")
    assert dfs.orbits.get(LyingStr(ORBIT_ID.upper())).id == ORBIT_ID


def test_a_uuid_subclass_equal_to_the_default_orbit_is_not_deleted(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    sent = service.count()
    with pytest.raises(DefaultOrbitDeletionError):
        dfs.orbits.delete(LyingUUID(ORBIT_ID))
    with pytest.raises(DefaultOrbitDeletionError):
        dfs.orbits.delete(LyingStr(ORBIT_ID.upper()))
    assert service.count() == sent


def test_the_default_orbit_given_in_capitals_is_still_protected(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect(orbit="Default Orbit")  # resolved by name, from the service's list
    sent = service.count()
    with pytest.raises(DefaultOrbitDeletionError):
        dfs.orbits.delete(ORBIT_ID.upper())
    assert service.count() == sent


def test_a_name_is_sent_as_its_characters(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    service.once(ORBITS_PATH, method="POST").respond_with_json(orbit_json(name="ML"), status=201)
    dfs.orbits.create(LyingStr("ML"), LyingStr(SECRET_ID))
    assert service.bodies()[-1] == {"name": "ML", "bucket_secret_id": SECRET_ID}


def test_self_returning_str_subclasses_end_in_no_recursion_error(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    assert dfs.orbits.get(SelfStr(ORBIT_ID)).id == ORBIT_ID
    assert dfs.orbits.get(SelfStr("Default Orbit")).id == ORBIT_ID
    with pytest.raises(InvalidArgumentError, match="orbit_id"):
        dfs.orbits.delete(SelfStr("not an id"))


# --- settings: refused at once, nothing sent ---------------------------------------------


def _kinds(**arguments: Any) -> list[Any]:
    """Build both clients with ``arguments``; return the errors raised."""
    errors = []
    for make in (DataForceClient, AsyncDataForceClient):
        with pytest.raises((InvalidArgumentError, InvalidArgumentTypeError)) as caught:
            make(api_key=API_KEY, **arguments)
        errors.append(caught.value)
    return errors


def test_base_url_with_userinfo_is_refused(service: FakeService) -> None:
    url = service.url.replace("http://", "http://alice:s3cr3t@")
    for error in _kinds(base_url=url):
        assert error.argument == "base_url"
        assert "s3cr3t" not in str(error)
        assert "alice" not in str(error)
    assert service.count() == 0


def test_base_url_with_userinfo_from_the_environment_is_refused(
    service: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_BASE_URL", service.url.replace("http://", "http://:s3cr3t@"))
    for error in _kinds():
        assert "s3cr3t" not in str(error)
    assert service.count() == 0


def test_an_unparsable_base_url_hides_what_looks_like_a_password() -> None:
    for error in _kinds(base_url="http://alice:s3cr3t@host:notaport"):
        assert "s3cr3t" not in str(error)


@pytest.mark.parametrize(
    "timeout",
    [
        math.nan,
        math.inf,
        -1,
        0,
        10**400,
        httpx.Timeout(-1),
        httpx.Timeout(math.nan),
        httpx.Timeout(5.0, read=math.inf),
        httpx.Timeout(None),
        httpx.Timeout(5.0, pool=None),
    ],
    ids=repr,
)
def test_timeouts_must_be_finite_and_positive(service: FakeService, timeout: object) -> None:
    for error in _kinds(base_url=service.url, timeout=timeout):
        assert error.argument.startswith("timeout")
    assert service.count() == 0
    with DataForceClient(base_url=service.url, api_key=API_KEY) as dfs:
        sent = service.count()
        with pytest.raises(InvalidArgumentError, match="timeout"):
            dfs.with_options(timeout=timeout)  # type: ignore[arg-type]
        assert service.count() == sent


@pytest.mark.parametrize("size", [0, -1, "big", True, 1.5])
def test_max_response_size_must_be_a_positive_int(service: FakeService, size: object) -> None:
    for error in _kinds(base_url=service.url, max_response_size=size):
        assert error.argument == "max_response_size"
    assert service.count() == 0


# --- proxy and TLS settings from the environment -----------------------------------------

_PROXY_VARIABLES = [
    name
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
    for name in (variable, variable.lower())
]


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTP_PROXY", "http://[::1"),
        ("https_proxy", "http://user:pa55@proxy:notaport"),
        ("ALL_PROXY", "socks5://user:pa55@127.0.0.1:1080"),  # socksio is not installed
        ("HTTP_PROXY", "ftp://proxy"),
    ],
)
def test_an_unusable_proxy_variable_is_a_configuration_error(
    service: FakeService, no_proxies: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    assert "socksio" not in sys.modules
    no_proxies.setenv(variable, value)
    for make in (DataForceClient, AsyncDataForceClient):
        with pytest.raises(ConfigurationError) as caught:
            make(base_url=service.url, api_key=API_KEY)
        assert variable in str(caught.value)
        assert "pa55" not in str(caught.value)
    assert service.count() == 0


def test_a_connection_error_through_a_proxy_names_the_variable(
    connect: Connect, service: FakeService, no_proxies: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    no_proxies.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    with pytest.raises(APIConnectionError, match="through the proxy set in HTTP_PROXY"):
        configure_and_use(connect, max_retries=0)
    assert service.count() == 0


# --- the API key, echoed by a server, reaches no message --------------------------------


@pytest.mark.parametrize("escaped", [False, True], ids=["plain", "json-escaped"])
def test_a_key_echoed_in_an_error_is_redacted(
    connect: Connect, service: FakeService, escaped: bool
) -> None:
    shown = "\\u0064" + API_KEY[1:] if escaped else API_KEY
    body = f'{{"detail": "invalid API key {shown}", "key": ["{shown}"]}}'
    service.once(ORGS_PATH).respond_with_data(body, status=401, content_type="application/json")
    with pytest.raises(AuthenticationError) as caught:
        configure_and_use(connect)
    error = caught.value
    texts = [str(error), repr(error), error.detail, repr(error.body), repr(error.args)]
    assert not any(API_KEY in text for text in texts), texts
    assert "invalid API key [redacted]" in error.detail


def test_a_key_echoed_in_a_text_error_is_redacted(connect: Connect, service: FakeService) -> None:
    service.once(ORGS_PATH).respond_with_data(f"bad key {API_KEY}\n", status=403)
    with pytest.raises(Exception) as caught:
        configure_and_use(connect)
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value.body)  # type: ignore[attr-defined]


# --- repr and frame locals ---------------------------------------------------------------


def test_repr_of_a_half_built_client_never_raises() -> None:
    for cls in (DataForceClient, AsyncDataForceClient):
        half = object.__new__(cls)
        assert repr(half).startswith(cls.__name__)


def _frames_locals(error: BaseException) -> list[str]:
    shown = []
    tb = error.__traceback__
    while tb is not None:
        for name, value in tb.tb_frame.f_locals.items():
            shown.append(f"{tb.tb_frame.f_code.co_name}.{name}={value!r}")
        tb = tb.tb_next
    return shown


@pytest.mark.parametrize(
    "base_url", ["ftp://not-http", "http://127.0.0.1:9"], ids=["invalid", "unreachable"]
)
def test_frame_locals_of_a_failed_construction_hold_no_key(
    monkeypatch: pytest.MonkeyPatch, base_url: str
) -> None:
    monkeypatch.setenv("DFS_API_KEY", API_KEY)
    with pytest.raises((InvalidArgumentError, APIConnectionError)) as caught:
        DataForceClient(base_url=base_url, max_retries=0)
    shown = _frames_locals(caught.value)  # what an error reporter captures: no raise
    assert shown
    assert not [line for line in shown if API_KEY in line]


# --- bounded messages --------------------------------------------------------------------


def test_thousands_of_orbits_sharing_a_name_make_a_short_message(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    twins = [orbit_json(id=str(uuid.UUID(int=i))) for i in range(5000)]
    service.once(ORBITS_PATH).respond_with_json(twins)
    with pytest.raises(MultipleResourcesFoundError) as caught:
        dfs.orbits.get("Default Orbit")
    error = caught.value
    assert len(str(error)) < 2000
    assert "5000 orbits are named 'Default Orbit'" in str(error)
    assert "and 4980 more" in str(error)
    assert error.ids == tuple(twin["id"] for twin in twins)


def test_a_default_orbit_name_shared_by_many_makes_a_short_message(
    connect: Connect, service: FakeService
) -> None:
    twins = [orbit_json(id=str(uuid.UUID(int=i)), name="Twin") for i in range(100)]
    service.once(ORBITS_PATH).respond_with_json(twins)
    with pytest.raises(MultipleResourcesFoundError) as caught:
        configure_and_use(connect, orbit="Twin")
    assert len(caught.value.ids) == 100
    assert "and 80 more" in str(caught.value)


# --- copies ------------------------------------------------------------------------------


def test_a_copy_does_not_own_the_pool(service: FakeService) -> None:
    with DataForceClient(
        base_url=service.url, api_key=API_KEY, organization=ORG_ID, orbit=ORBIT_ID
    ) as dfs:
        copy.copy(dfs).close()
        assert dfs.orbits.get().id == ORBIT_ID  # the original's pool still works
        with pytest.raises(TypeError, match="with_options"):
            copy.deepcopy(dfs)


def test_a_copy_of_the_async_client_does_not_own_the_pool(service: FakeService) -> None:
    async def scenario() -> str:
        dfs = AsyncDataForceClient(base_url=service.url, api_key=API_KEY)
        dfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
        await copy.copy(dfs).close()
        try:
            return (await dfs.orbits.get()).id
        finally:
            await dfs.close()

    assert asyncio.run(scenario()) == ORBIT_ID
