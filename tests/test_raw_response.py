"""``client.orbits.with_raw_response``: the HTTP answer of every method, sync and async,
and the headers and request id an error carries — never the API key."""

from __future__ import annotations

import pickle
from datetime import timedelta
from typing import Any

import httpx
import pytest

from dataforce.api import (
    APIStatusError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    Orbit,
    OrbitDetails,
)

from .conftest import (
    API_KEY,
    ORBIT_ID,
    ORBIT_PATH,
    ORBITS_PATH,
    OTHER_ORBIT_ID,
    SECRET_ID,
    Blocking,
    Connect,
    FakeService,
    details_json,
    orbit_json,
)

OTHER_PATH = f"{ORBITS_PATH}/{OTHER_ORBIT_ID}"


def raw(client: Any) -> Any:
    """``client.orbits.with_raw_response``, its coroutines run for the async kinds."""
    if isinstance(client, Blocking):
        return Blocking(client.unwrapped.orbits.with_raw_response, client._loop)
    return client.orbits.with_raw_response


def _no_key_anywhere(response: Any) -> None:
    texts = [repr(response), str(response), repr(response.http_request)]
    texts += [repr(response.headers), repr(response.http_request.headers)]
    texts += [value for _, value in response.http_request.headers.multi_items()]
    assert not any(API_KEY in text for text in texts)
    assert API_KEY.encode() not in pickle.dumps(response.http_request)


def test_get_shows_the_headers_the_server_set(connect: Connect, service: FakeService) -> None:
    client = connect()
    service.once(ORBIT_PATH).respond_with_json(
        details_json(),
        headers={"X-Request-Id": "req-42", "X-Ratelimit-Remaining": "99"},
    )
    response = raw(client).get(ORBIT_ID)
    assert response.status_code == 200
    assert response.headers["x-ratelimit-remaining"] == "99"
    assert response.request_id == "req-42"
    assert response.retries_taken == 0
    assert isinstance(response.elapsed, timedelta)
    request = response.http_request
    assert request.method == "GET"
    assert request.url == service.url + ORBIT_PATH
    assert request.headers["authorization"] == "[redacted]"
    assert request.headers["user-agent"].startswith("dataforce-python/")
    orbit = response.parse()
    assert isinstance(orbit, OrbitDetails)
    assert orbit == client.orbits.get(ORBIT_ID)  # exactly what the method returns
    assert "req-42" in repr(response)
    _no_key_anywhere(response)


def test_every_method_has_a_raw_response(connect: Connect, service: FakeService) -> None:
    service.server.expect_request(ORBITS_PATH, method="POST").respond_with_json(
        dict(orbit_json(id=OTHER_ORBIT_ID), members=[]), status=201
    )
    service.server.expect_request(ORBIT_PATH, method="PATCH").respond_with_json(
        orbit_json(name="Renamed")
    )
    service.server.expect_request(OTHER_PATH, method="DELETE").respond_with_data(status=204)
    service.server.expect_request(OTHER_PATH, method="GET").respond_with_json(
        {"detail": "Orbit not found"}, status=404
    )
    orbits = raw(connect())

    listed = orbits.list()
    assert (listed.status_code, listed.http_request.method) == (200, "GET")
    assert [orbit.id for orbit in listed.parse()] == [ORBIT_ID]
    assert all(type(orbit) is Orbit for orbit in listed.parse())

    by_name = orbits.get("Default Orbit")
    assert by_name.http_request.url.endswith(ORBITS_PATH)  # found through the list
    assert by_name.parse().id == ORBIT_ID
    assert type(by_name.parse()) is OrbitDetails  # as orbits.get returns, however named

    missing = orbits.get(OTHER_ORBIT_ID)
    assert missing.status_code == 404
    assert missing.parse() is None  # as orbits.get returns

    created = orbits.create("ML Models", SECRET_ID)
    assert (created.status_code, created.http_request.method) == (201, "POST")
    assert created.parse().id == OTHER_ORBIT_ID

    updated = orbits.update(name="Renamed", extra_headers={"X-Call": "1"})
    assert (updated.status_code, updated.http_request.method) == (200, "PATCH")
    assert updated.http_request.headers["x-call"] == "1"
    assert updated.parse().name == "Renamed"

    deleted = orbits.delete(OTHER_ORBIT_ID)
    assert (deleted.status_code, deleted.http_request.method) == (204, "DELETE")
    assert deleted.parse() is None
    assert deleted.request_id is None  # the server sent none
    for response in (listed, by_name, missing, created, updated, deleted):
        _no_key_anywhere(response)


def test_a_raw_response_after_a_retry_is_the_final_answer(
    connect: Connect, service: FakeService
) -> None:
    client = connect()
    service.once(ORBITS_PATH).respond_with_json(
        {"detail": "busy"}, status=503, headers={"X-Request-Id": "first"}
    )
    service.once(ORBITS_PATH).respond_with_json([orbit_json()], headers={"X-Request-Id": "second"})
    response = raw(client).list()
    assert (response.status_code, response.request_id, response.retries_taken) == (200, "second", 1)


def test_bad_input_to_a_raw_method_sends_nothing(connect: Connect, service: FakeService) -> None:
    client = connect()
    sent = service.count()
    with pytest.raises(InvalidArgumentError):
        raw(client).get(ORBIT_ID, extra_headers={"Authorization": "Bearer x"})
    with pytest.raises(InvalidArgumentError):
        raw(client).create("", SECRET_ID)
    assert service.count() == sent


def test_a_header_echoing_the_key_is_redacted(connect: Connect, service: FakeService) -> None:
    client = connect()
    service.once(ORBITS_PATH).respond_with_json([orbit_json()], headers={"X-Echo": API_KEY})
    response = raw(client).list()
    assert response.headers["x-echo"] == "[redacted]"
    _no_key_anywhere(response)


@pytest.mark.parametrize(
    ("status", "error"), [(404, NotFoundError), (500, InternalServerError)], ids=str
)
def test_an_error_carries_the_servers_headers_and_request_id(
    connect: Connect, service: FakeService, status: int, error: type[APIStatusError]
) -> None:
    client = connect()
    # A PATCH: neither retried on 500 nor turned into None on 404.
    service.once(ORBIT_PATH, method="PATCH").respond_with_json(
        {"detail": "no luck"},
        status=status,
        headers={"X-Request-Id": "req-err-7", "X-Echo": API_KEY, "X-Other": "v"},
    )
    with pytest.raises(error) as caught:
        client.orbits.update(name="Renamed")
    failure = caught.value
    assert failure.request_id == "req-err-7"
    assert failure.headers["x-request-id"] == "req-err-7"
    assert failure.headers["x-other"] == "v"
    assert failure.headers["x-echo"] == "[redacted]"
    assert "req-err-7" in str(failure)  # the id to quote to support is in the message
    dumped = pickle.dumps(failure)
    assert API_KEY.encode() not in dumped
    assert API_KEY not in repr(failure.headers) + str(failure)
    copy = pickle.loads(dumped)
    assert type(copy) is error
    assert (copy.request_id, copy.headers["x-other"], str(copy)) == (
        "req-err-7",
        "v",
        str(failure),
    )


def test_request_id_header_is_read_too_and_absent_means_none(
    connect: Connect, service: FakeService
) -> None:
    client = connect()
    service.once(ORBIT_PATH, method="PATCH").respond_with_json(
        {"detail": "x"}, status=409, headers={"Request-Id": "anthropic-style"}
    )
    with pytest.raises(APIStatusError) as caught:
        client.orbits.update(name="Renamed")
    assert caught.value.request_id == "anthropic-style"
    service.once(ORBIT_PATH, method="PATCH").respond_with_json({"detail": "x"}, status=409)
    with pytest.raises(APIStatusError) as caught:
        client.orbits.update(name="Renamed")
    assert caught.value.request_id is None
    assert "request id" not in str(caught.value)
    assert isinstance(caught.value.headers, httpx.Headers)
