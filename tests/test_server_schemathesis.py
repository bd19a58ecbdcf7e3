"""Property-based conformance of the local stand-in server to openapi.yaml, with schemathesis.

Schemathesis reads the same spec the SDK is generated from, generates valid and invalid
requests for every operation (explicit examples, its coverage phase, then up to
``MAX_EXAMPLES`` Hypothesis examples) and runs all of its default checks on each response:
status code, content type and headers documented, body matches the schema, invalid data
rejected, valid data accepted, requests without credentials rejected, 405 with ``Allow``
for undocumented methods, and so on. The server also validates its own responses
(``validate_responses=True``) and each test asserts that it recorded no failure.

Two runs over every operation the stand-in implements:

* ``test_generated_requests``: everything generated, so organizations and orbits mostly do
  not exist (403/404 paths), while the spec's explicit examples name the example IDs,
  which the server holds;
* ``test_requests_to_existing_resources``: ``organization_id`` and ``orbit_id`` pinned to
  those existing resources, so that creating (up to the limit, then 409), reading,
  updating and deleting run through the server's real logic.

Run with ``-s`` to see the figures (examples, checks, statuses) printed at the end.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from importlib.resources import as_file, files
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
)

from dataforce.testing import LocalDataForce
from dataforce.testing._handlers import HANDLERS
from dataforce.testing._spec import load_spec

MAX_EXAMPLES = 20

# Figures for the report printed at the end of the module.
EXAMPLES: Counter[str] = Counter()
CHECKS: Counter[str] = Counter()
STATUSES: Counter[tuple[str, int]] = Counter()


# The organization schemathesis is pinned to in the second run. It is the example ID the
# spec documents, and the bucket secret and orbit below are the spec's examples too, so
# schemathesis' explicit examples address resources that exist.
EXAMPLE_ORGANIZATION = "0199c455-21ec-7c74-8efe-41470e29bae5"
EXAMPLE_BUCKET_SECRET = "0199c455-21ed-7aba-9fe5-5231611220de"
EXAMPLE_ORBIT = "0199c455-21ed-7aba-9fe5-5231611220de"


@pytest.fixture(scope="module")
def running_server() -> Iterator[LocalDataForce]:
    with LocalDataForce(validate_responses=True) as running:
        yield running
    print(
        f"\nschemathesis {schemathesis.__version__}: {len(EXAMPLES)} operation runs, "
        f"{sum(EXAMPLES.values())} examples, {sum(CHECKS.values())} checks run "
        f"({len(CHECKS)} distinct: {', '.join(sorted(CHECKS))})",
        file=sys.stderr,
    )
    for run, count in sorted(EXAMPLES.items()):
        answers = sorted((status, n) for (r, status), n in STATUSES.items() if r == run)
        listed = ", ".join(f"{status}x{n}" for status, n in answers)
        print(f"  {run}: {count} examples; statuses {listed}", file=sys.stderr)


@pytest.fixture
def server(running_server: LocalDataForce) -> Iterator[LocalDataForce]:
    """The module's server, reset for each operation's run, plus the spec's example IDs."""
    running_server.reset()
    running_server.add_organization(
        "Schemathesis", organization_id=EXAMPLE_ORGANIZATION, orbit_limit=5
    )
    running_server.add_bucket_secret(EXAMPLE_ORGANIZATION, bucket_secret_id=EXAMPLE_BUCKET_SECRET)
    running_server.add_orbit(EXAMPLE_ORGANIZATION, "Default Orbit", orbit_id=EXAMPLE_ORBIT)
    yield running_server
    assert running_server.spec_violations == []


def _load(**parameters: str) -> Any:
    # Loaded at import time (pytest parametrizes from it); the server's URL and key are
    # given per call. (schemathesis.pytest.from_fixture would load it from a fixture, but
    # it does not work with pytest 9.)
    with as_file(files("dataforce") / "openapi.yaml") as path:
        schema = schemathesis.openapi.from_path(path)
    # An operation the stand-in has no handler for yet answers its own 501, which no spec
    # documents (tests/test_local_server_spec.py covers it): left out here.
    unimplemented = sorted(set(load_spec().operations) - set(HANDLERS))
    if unimplemented:
        schema = schema.exclude(operation_id=unimplemented)
    if parameters:
        schema.config.update(parameters=parameters)

    @schema.hook
    def after_validate(context: Any, case: Any, response: Any, results: Any) -> None:
        for result in results:
            CHECKS[result.name] += 1

    return schema


generated = _load()
existing = _load(organization_id=EXAMPLE_ORGANIZATION, orbit_id=EXAMPLE_ORBIT)


def _documented_exemptions(case: Any, response: Any) -> list[Any]:
    """Checks to skip for one response, only where it is the live service's documented answer.

    * A PATCH naming a bucket secret that does not exist, or a null ``name`` or
      ``bucket_secret_id``, is answered with a plain-text 500 by the live service
      (api-contract.md; openapi.yaml documents it). The stand-in reproduces it so that
      clients get tested against it, so "not a server error" (and, for the nulls, which
      the spec forbids, "negative data rejection") is skipped for exactly that response.
    * A create naming members the service does not know is answered 400 "Invalid
      members" (documented). Generated user IDs never exist, so "positive data
      acceptance" is skipped for exactly that response.

    Every other response gets every default check.
    """
    operation_id = case.operation.definition.raw.get("operationId")
    body = case.body if isinstance(case.body, dict) else {}
    if (
        operation_id == "update_orbit"
        and response.status_code == 500
        and response.text == "Internal Server Error"
    ):
        if body.get("name", "") is None or body.get("bucket_secret_id", "") is None:
            return [not_a_server_error, negative_data_rejection]
        if "bucket_secret_id" in body:
            return [not_a_server_error]
    if (
        operation_id == "create_orbit"
        and response.status_code == 400
        and body.get("members")
        and response.json() == {"detail": "Invalid members"}
    ):
        return [positive_data_acceptance]
    return []


def _run(case: Any, server: LocalDataForce, label: str) -> None:
    EXAMPLES[f"{label} {case.operation.label}"] += 1
    transport = {"base_url": server.base_url, "headers": server.auth_headers}
    response = case.call(**transport)
    STATUSES[(f"{label} {case.operation.label}", response.status_code)] += 1
    case.validate_response(
        response,
        headers=server.auth_headers,
        excluded_checks=_documented_exemptions(case, response),
        transport_kwargs=transport,
    )


# Each operation's run shares one reset server (hence the function-scoped fixture inside
# Hypothesis, a health check deliberately suppressed): state carries over between examples,
# as it would against the live service.
@generated.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests(case: Any, server: LocalDataForce) -> None:
    _run(case, server, "generated")


@existing.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_requests_to_existing_resources(case: Any, server: LocalDataForce) -> None:
    _run(case, server, "existing")
