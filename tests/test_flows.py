"""The retry policy and the resolution of defaults, driven directly: each flow is fed the
outcomes a server would produce (``httpx.Response`` objects, httpx errors) and its steps
are checked one by one — no sockets, no clocks, as h11's tests drive its state machine.
One loopback test per transport fault lives in test_reliability.py and test_hostile_*.py.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from email.utils import formatdate
from typing import Any

import httpx
import pytest

from dataforce.api import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    EndpointNotFoundError,
    InternalServerError,
    MultipleResourcesFoundError,
    NotFoundError,
    OrbitResourceNotFoundError,
)
from dataforce.api import _operations as ops
from dataforce.api._base_client import Options
from dataforce.api._config import Defaults, resolve
from dataforce.api._operations import VERSION_PREFIX
from dataforce.api._transport import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    NOT_FOUND,
    Call,
    Sleep,
    execute,
)

from ._paths import path
from .conftest import API_KEY, ORBIT_ID, ORG_ID, OTHER_ORBIT_ID, orbit_json, org_json

BASE = "https://api.example.test"


def options(max_retries: int = 2) -> Options:
    return Options(BASE, API_KEY, max_retries, 5.0)


def response(status: int, body: Any = None, **headers: str) -> httpx.Response:
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(
        status,
        content=content,
        headers={k.replace("_", "-"): v for k, v in headers.items()},
        request=httpx.Request("GET", BASE),
    )


class Run:
    """A flow driven to its end: the steps it yielded, and what it returned or raised."""

    def __init__(self, flow: Generator[Any, Any, Any], outcomes: list[Any]) -> None:
        self.steps: list[Any] = []
        self.result: Any = None
        self.error: BaseException | None = None
        feed = iter(outcomes)
        outcome = None
        try:
            while True:
                step = flow.send(outcome)
                self.steps.append(step)
                outcome = None if isinstance(step, Sleep) else next(feed)
        except StopIteration as done:
            self.result = done.value
        except Exception as error:
            self.error = error

    @property
    def calls(self) -> list[Call]:
        return [step for step in self.steps if isinstance(step, Call)]

    @property
    def sleeps(self) -> list[float]:
        return [step.seconds for step in self.steps if isinstance(step, Sleep)]


GET = ops.get_orbit(ORG_ID, ORBIT_ID, not_found_ok=True)
POST = ops.create_orbit(ORG_ID, {"name": "ML", "bucket_secret_id": ORBIT_ID})


def test_a_2xx_ends_the_flow_with_the_response() -> None:
    ok = response(200, orbit_json())
    run = Run(execute(GET, options()), [ok])
    assert run.result is ok
    assert run.calls == [GET]


def test_a_404_allowed_by_the_call_is_not_found() -> None:
    assert Run(execute(GET, options()), [response(404, {"detail": "x"})]).result is NOT_FOUND


def test_a_500_is_retried_on_a_read_and_not_on_a_create() -> None:
    read = Run(execute(GET, options()), [response(500), response(500), response(200, {})])
    assert len(read.calls) == 3
    assert len(read.sleeps) == 2
    create = Run(execute(POST, options()), [response(500)])
    assert isinstance(create.error, InternalServerError)
    assert len(create.calls) == 1


def test_a_create_is_retried_only_when_it_never_left() -> None:
    request = httpx.Request("POST", BASE)
    refused = Run(
        execute(POST, options()),
        [httpx.ConnectError("refused", request=request), response(201, {})],
    )
    assert len(refused.calls) == 2
    timed_out = Run(execute(POST, options()), [httpx.ReadTimeout("slow", request=request)])
    assert isinstance(timed_out.error, APITimeoutError)
    assert len(timed_out.calls) == 1


def test_retries_give_up_with_the_typed_error() -> None:
    request = httpx.Request("GET", BASE)
    run = Run(execute(GET, options(1)), [httpx.ReadError("reset", request=request)] * 2)
    assert isinstance(run.error, APIConnectionError)
    assert len(run.calls) == 2


def test_backoff_is_capped_without_overflow_for_any_number_of_retries() -> None:
    run = Run(execute(GET, options(10**9)), [response(503)] * 1500 + [response(200, {})])
    assert run.error is None
    assert len(run.sleeps) == 1500
    assert max(run.sleeps) <= MAX_RETRY_DELAY
    assert min(run.sleeps[-100:]) >= MAX_RETRY_DELAY / 2


@pytest.mark.parametrize(
    "retry_after", ["0", "-5", formatdate(0, usegmt=True), "nan", "soon"], ids=repr
)
def test_retry_after_never_waits_less_than_the_backoff(retry_after: str) -> None:
    for call in (GET, POST):
        run = Run(
            execute(call, options()),
            [response(503, retry_after=retry_after), response(201, {})],
        )
        if call is POST and retry_after in ("nan", "soon"):
            # Not a usable Retry-After: a create without the service's word is not retried.
            assert len(run.calls) == 1
            continue
        assert run.sleeps
        assert run.sleeps[0] >= INITIAL_RETRY_DELAY / 2


def test_retry_after_is_honoured_up_to_its_cap() -> None:
    run = Run(execute(GET, options()), [response(429, retry_after="30"), response(200, {})])
    assert run.sleeps == [30.0]
    run = Run(execute(GET, options()), [response(429, retry_after="1e999"), response(200, {})])
    assert run.sleeps == [MAX_RETRY_AFTER]


def test_an_error_echoing_the_key_is_redacted() -> None:
    run = Run(execute(GET, options()), [response(401, {"detail": f"bad key {API_KEY}"})])
    assert isinstance(run.error, AuthenticationError)
    assert run.error.detail == "bad key [redacted]"
    assert API_KEY not in repr(run.error.body)


# --- the resolution of defaults ----------------------------------------------------------


def test_given_ids_the_resolution_costs_two_requests() -> None:
    run = Run(
        resolve(Defaults(ORG_ID, ORBIT_ID, None), options()),
        [response(200, [org_json()]), response(200, orbit_json())],
    )
    assert [call.path for call in run.calls] == [
        path("list_my_organizations"),
        path("get_orbit", organization_id=ORG_ID, orbit_id=ORBIT_ID),
    ]
    assert (run.result.organization, run.result.orbit) == (ORG_ID, ORBIT_ID)


def test_an_orbit_id_not_found_falls_back_to_the_list() -> None:
    run = Run(
        resolve(Defaults(ORG_ID, OTHER_ORBIT_ID, None), options()),
        [
            response(200, [org_json()]),
            response(404, {"detail": "no"}),
            response(200, [orbit_json()]),
        ],
    )
    assert isinstance(run.error, OrbitResourceNotFoundError)
    assert len(run.calls) == 3


def test_without_defaults_the_only_organization_and_orbit_are_chosen() -> None:
    upper = orbit_json(id=ORBIT_ID.upper())
    run = Run(
        resolve(Defaults(None, None, None), options()),
        [response(200, [org_json(id_=ORG_ID.upper())]), response(200, [upper])],
    )
    # Canonical (lower-case) IDs, whatever case the service used.
    assert (run.result.organization, run.result.orbit) == (ORG_ID, ORBIT_ID)


def test_a_shared_orbit_name_lists_every_id_on_the_error() -> None:
    twins = [orbit_json(id=ORBIT_ID), orbit_json(id=OTHER_ORBIT_ID)]
    run = Run(
        resolve(Defaults(ORG_ID, "Default Orbit", None), options()),
        [response(200, [org_json()]), response(200, twins)],
    )
    assert isinstance(run.error, MultipleResourcesFoundError)
    assert run.error.ids == (ORBIT_ID, OTHER_ORBIT_ID)


# --- 404s: the API's, the framework's, and a delete's --------------------------------------

DELETE = ops.delete_orbit(ORG_ID, OTHER_ORBIT_ID)
NO_ROUTE = {"detail": "Not Found"}


def test_the_frameworks_404_is_no_route_even_where_a_404_is_an_answer() -> None:
    run = Run(execute(GET, options()), [response(404, NO_ROUTE)])
    assert isinstance(run.error, EndpointNotFoundError)
    assert run.error.url == BASE + GET.path
    assert len(run.calls) == 1  # never retried


def test_a_delete_of_an_unknown_orbit_is_not_found() -> None:
    run = Run(execute(DELETE, options()), [response(404, {"detail": "Orbit not found"})])
    assert type(run.error) is NotFoundError


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadError("reset", request=httpx.Request("DELETE", BASE)),
        httpx.ReadTimeout("slow", request=httpx.Request("DELETE", BASE)),
        response(502),
        response(504),
    ],
    ids=["connection dropped", "read timeout", "502", "504"],
)
def test_a_404_after_an_attempt_that_may_have_deleted_is_done(lost: Any) -> None:
    run = Run(execute(DELETE, options()), [lost, response(404, {"detail": "Orbit not found"})])
    assert (run.error, run.result) == (None, NOT_FOUND)
    assert len(run.calls) == 2


@pytest.mark.parametrize(
    "refused",
    [
        httpx.ConnectError("refused", request=httpx.Request("DELETE", BASE)),
        response(429),
        response(408),
    ],
    ids=["never connected", "429", "408"],
)
def test_a_404_after_attempts_the_service_did_not_act_on_is_not_found(refused: Any) -> None:
    run = Run(execute(DELETE, options()), [refused, response(404, {"detail": "Orbit not found"})])
    assert type(run.error) is NotFoundError


def test_only_a_delete_takes_a_404_after_a_lost_answer_as_done() -> None:
    update = ops.update_orbit(ORG_ID, ORBIT_ID, {"name": "x"})
    lost = httpx.ReadError("reset", request=httpx.Request("PATCH", BASE))
    run = Run(execute(update, options()), [lost, response(404, {"detail": "Orbit not found"})])
    assert type(run.error) is NotFoundError


def test_a_delete_answered_no_route_after_a_lost_answer_is_still_no_route() -> None:
    lost = httpx.ReadError("reset", request=httpx.Request("DELETE", BASE))
    run = Run(execute(DELETE, options()), [lost, response(404, NO_ROUTE)])
    assert isinstance(run.error, EndpointNotFoundError)


@pytest.mark.parametrize("suffix", [VERSION_PREFIX, VERSION_PREFIX + "/"])
def test_a_base_url_ending_in_the_version_is_the_host(suffix: str) -> None:
    assert Options(BASE + suffix, API_KEY, 0, 5.0).base_url == BASE
    behind_a_proxy = "https://gateway.example.test/dataforce"
    assert Options(behind_a_proxy + suffix, API_KEY, 0, 5.0).base_url == behind_a_proxy
    longer = BASE + VERSION_PREFIX + "0"  # another path, not the version
    assert Options(longer, API_KEY, 0, 5.0).base_url == longer
