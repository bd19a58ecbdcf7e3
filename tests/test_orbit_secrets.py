"""``orbits.secrets()``: an orbit's secrets, whose values are never shown.

Against the project's local server (sync and async clients, the raw view), and against a
``pytest-httpserver`` (conftest's ``FakeService``) that answers what the local server
never would (a broken answer holding values). A value must not reach a repr, an error's
message or body, or a log record — as with the API key (tests/test_secrets.py).
"""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from dataforce.api import (
    APIResponseValidationError,
    AsyncDataForceClient,
    ConfigurationError,
    DataForceClient,
    InvalidArgumentError,
    NotFoundError,
    OrbitSecretOut,
)
from dataforce.testing import LocalDataForce

from ._paths import path
from .conftest import ORBIT_ID, ORG_ID, Blocking, Connect, FakeService

VALUE = "s3cr3t-VALUE-never-shown"
UNKNOWN_ORBIT = "0199c455-21ed-7aba-9fe5-000000000000"


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    dataforce_server.add_orbit_secret(
        dataforce_server.orbit_id, "MLFLOW_TRACKING_TOKEN", VALUE, tags=["tracking"]
    )
    return dataforce_server


@pytest.fixture(params=["sync", "async"])
def dfs(request: pytest.FixtureRequest, server: LocalDataForce) -> Iterator[Any]:
    """A client of the seeded account with its default orbit, either kind."""
    if request.param == "sync":
        with DataForceClient(
            base_url=server.base_url,
            api_key=server.api_key,
            organization=server.organization_id,
            orbit=server.orbit_id,
        ) as client:
            yield client
        return
    import asyncio

    loop = asyncio.new_event_loop()
    aclient = AsyncDataForceClient(base_url=server.base_url, api_key=server.api_key)
    aclient.setup_config(organization=server.organization_id, orbit=server.orbit_id)
    yield Blocking(aclient, loop)
    loop.run_until_complete(aclient.close())
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


def test_the_default_orbits_secrets_with_their_values(dfs: Any, server: LocalDataForce) -> None:
    [secret] = dfs.orbits.secrets()
    assert isinstance(secret, OrbitSecretOut)
    assert (secret.name, secret.value, secret.tags) == (
        "MLFLOW_TRACKING_TOKEN",
        VALUE,
        ("tracking",),
    )
    assert secret.orbit_id == server.orbit_id
    assert secret.to_dict()["value"] == VALUE


def test_another_orbits_secrets_by_id(dfs: Any, server: LocalDataForce) -> None:
    other = server.add_orbit(server.organization_id, "Other")["id"]
    assert dfs.orbits.secrets(other) == []
    server.add_orbit_secret(other, "A", "a-value")
    server.add_orbit_secret(other, "B", "b-value")
    assert [s.name for s in dfs.orbits.secrets(other.upper())] == ["A", "B"]


def test_an_unknown_orbit_is_not_found(dfs: Any) -> None:
    with pytest.raises(NotFoundError) as raised:
        dfs.orbits.secrets(UNKNOWN_ORBIT)
    assert raised.value.detail == "Orbit not found"


def test_invalid_input_sends_nothing(server: LocalDataForce) -> None:
    with DataForceClient(
        base_url=server.base_url, api_key=server.api_key, organization=server.organization_id
    ) as client:
        client.orbits.list()  # the client is set up: what follows is the call's own doing
        server.clear_requests()
        with pytest.raises(InvalidArgumentError, match="orbit_id"):
            client.orbits.secrets("Default Orbit")  # a name: get the orbit by name first
    assert server.requests == []


def test_without_a_default_orbit_it_says_so_and_sends_nothing(server: LocalDataForce) -> None:
    server.add_orbit(server.organization_id, "Second")  # no orbit is the obvious default
    with DataForceClient(
        base_url=server.base_url, api_key=server.api_key, organization=server.organization_id
    ) as client:
        server.clear_requests()
        with pytest.raises(ConfigurationError, match="orbit"):
            client.orbits.secrets()
    assert server.requests == []


def test_the_raw_view_parses_to_the_same_secrets(dfs: Any) -> None:
    raw = dfs.orbits.with_raw_response.secrets()
    assert raw.status_code == 200
    assert [s.value for s in raw.parse()] == [VALUE]
    assert VALUE not in repr(raw)


def test_a_value_is_never_shown(
    dfs: Any, server: LocalDataForce, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx and httpcore records too
    secrets = dfs.orbits.secrets()
    [secret] = secrets
    shown = [repr(secret), str(secret), repr(secrets), f"{secret}", f"{secrets!r}"]
    assert all("value='[hidden]'" in text for text in shown)
    assert not [text for text in shown if VALUE in text]
    assert [record for record in caplog.records if VALUE in record.getMessage()] == []
    assert VALUE not in caplog.text
    # Hidden from display only: the value survives a round trip.
    assert pickle.loads(pickle.dumps(secret)).value == VALUE
    assert OrbitSecretOut.from_dict(secret.to_dict()) == secret


def test_the_form_to_print_hides_the_value_and_keeps_the_rest(dfs: Any) -> None:
    [secret] = dfs.orbits.secrets()
    printable, full = secret.to_dict(hide_secrets=True), secret.to_dict()
    assert printable == {**full, "value": "[hidden]"}
    assert full["value"] == VALUE


def _texts_of(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    return texts + [repr(value) for value in vars(error).values()]


@pytest.mark.parametrize(
    "broken",
    [
        # One item breaks the contract; the others hold real values.
        lambda: [{"name": "X", "value": VALUE}],
        lambda: [_secret_json(), {**_secret_json(), "created_at": "yesterday"}],
        lambda: [_secret_json(), {**_secret_json(), "id": "not-a-uuid-" + "0" * 25}],
        lambda: [{**_secret_json(), "value": 42}, {**_secret_json(), "tags": VALUE}],
    ],
    ids=["missing-fields", "bad-timestamp", "bad-uuid", "mistyped"],
)
def test_an_answer_that_breaks_the_contract_is_never_quoted(
    connect: Connect, service: FakeService, broken: Any
) -> None:
    secrets_path = path("list_orbit_secrets", organization_id=ORG_ID, orbit_id=ORBIT_ID)
    service.server.expect_request(secrets_path).respond_with_json(broken())
    dfs = connect(max_retries=0)
    with pytest.raises(APIResponseValidationError) as raised:
        dfs.orbits.secrets()
    assert raised.value.status_code == 200
    assert raised.value.body == "[withheld: this answer holds secret values]"
    assert not [text for text in _texts_of(raised.value) if VALUE in text]


def _secret_json() -> dict[str, Any]:
    return {
        "id": "0199c4a0-1f2e-7b3c-9d4e-5f6a7b8c9d0e",
        "name": "TOKEN",
        "value": VALUE,
        "orbit_id": ORBIT_ID,
        "tags": None,
        "created_at": "2025-10-08T09:12:44Z",
        "updated_at": None,
    }


def test_the_local_server_answers_the_spec(server: LocalDataForce) -> None:
    import httpx

    url = server.url(
        path("list_orbit_secrets", organization_id=server.organization_id, orbit_id=server.orbit_id)
    )
    answer = httpx.get(url, headers=server.auth_headers)
    assert answer.status_code == 200
    assert [s["value"] for s in json.loads(answer.content)] == [VALUE]
    assert server.spec_violations == []
