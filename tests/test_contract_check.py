"""``dataforce contract check`` against the local server: conforming, and made to depart
through its fault pipeline (``inject_fault``), one departure of each kind.

Runs in-process through ``dataforce.cli.main`` (an escaping exception fails the test, so
"no traceback" is checked by every in-process run), and as the console script where a
signal must interrupt it. Paths come from the spec, never literals.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dataforce._contract_check import MALFORMED_ID, NAME_PREFIX
from dataforce.api import _operations
from dataforce.api._schema import OPERATIONS
from dataforce.cli import main
from dataforce.testing import LocalDataForce
from tests._paths import path

SCRIPT = Path(sys.executable).parent / "dataforce"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "dataforce.cli"]
# What the check sends: the operations the SDK relies on (USED) and the bucket secrets
# the write checks take one of; one the SDK leaves unexposed (NOT_EXPOSED) is no contract
# of it, and unchecked.
CHECKED = {*_operations.USED, "list_bucket_secrets"}
READS = {op for op, spec in OPERATIONS.items() if spec.method == "GET" and op in CHECKED}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data

    def check(self, name: str) -> dict[str, Any]:
        checks: list[dict[str, Any]] = self.json()["checks"]
        found = [check for check in checks if check["check"] == name]
        assert len(found) == 1, (name, [check["check"] for check in checks])
        return found[0]


@pytest.fixture
def check(
    dataforce_env: LocalDataForce, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Outcome]:
    """Run ``dataforce contract check ARGS`` in-process against the local server."""

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        code = main(["contract", "check", *args])
        out, err = capsys.readouterr()
        assert dataforce_env.api_key not in out + err, "the API key was printed"
        return Outcome(code, out, err)

    return run


def orbit_body(server: LocalDataForce, *, item: bool = False, **changes: Any) -> dict[str, Any]:
    """The seeded orbit as the server answers it by ID (``item``: in a list), with
    ``changes`` (None: removed)."""
    body = dict(server.orbits()[0])
    if item:  # an Orbit, not an OrbitDetails
        del body["members"], body["collections_tags"]
    for name, value in changes.items():
        if value is None:
            del body[name]
        else:
            body[name] = value
    return body


# --------------------------------------------------------------------------- conforming


def test_a_conforming_service_passes_read_only(
    check: Callable[..., Outcome], dataforce_env: LocalDataForce
) -> None:
    result = check("--json")

    assert result.code == 0, result.stdout + result.stderr
    report = result.json()
    assert report["conforms"] is True
    assert {c["result"] for c in report["checks"]} == {"conforms"}
    # Every read operation of the spec is checked, and the error contract with them.
    assert {c["operation"] for c in report["checks"]} == READS
    assert report["summary"]["checks"] == len(report["checks"]) == len(READS) + 2
    assert result.check("get_orbit: unknown orbit")["status"] == 404
    assert result.check("get_orbit: malformed orbit ID")["status"] == 422
    # Read-only: the server saw nothing but GETs, and still holds just its seeded orbit.
    assert {request.method for request in dataforce_env.requests} == {"GET"}
    assert [orbit["id"] for orbit in dataforce_env.orbits()] == [dataforce_env.orbit_id]


def test_text_output_is_a_line_per_check_and_a_summary(check: Callable[..., Outcome]) -> None:
    result = check()

    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(READS) + 3
    assert all(line.startswith("ok ") for line in lines[:-1]), lines
    assert f"GET {OPERATIONS['list_orbits'].path} -> 200" in result.stdout
    assert lines[-1].startswith(f"{len(READS) + 2} checks: {len(READS) + 2} conform, 0 depart")
    assert result.stderr == ""


def test_write_checks_every_operation_and_leaves_nothing_behind(
    check: Callable[..., Outcome], dataforce_env: LocalDataForce
) -> None:
    result = check("--write", "--json")

    assert result.code == 0, result.stdout + result.stderr
    report = result.json()
    assert {c["result"] for c in report["checks"]} == {"conforms"}
    assert {c["operation"] for c in report["checks"]} == set(OPERATIONS) & CHECKED
    assert result.check("delete_orbit: the orbit just deleted")["status"] == 404
    methods = [request.method for request in dataforce_env.requests]
    assert {"POST", "PATCH", "DELETE"} <= set(methods)
    created = next(r for r in dataforce_env.requests if r.method == "POST").json()
    assert created["name"].startswith(NAME_PREFIX)
    assert [orbit["id"] for orbit in dataforce_env.orbits()] == [dataforce_env.orbit_id]


def test_an_organization_at_its_orbit_limit_skips_the_write_checks(
    check: Callable[..., Outcome], dataforce_env: LocalDataForce
) -> None:
    dataforce_env.set_orbit_limit(dataforce_env.organization_id, 1)  # it holds one

    result = check("--write", "--json")

    assert result.code == 0, result.stdout
    create = result.check("create_orbit")
    assert (create["status"], create["result"]) == (409, "skipped")
    assert "orbit limit" in create["reason"]
    writes = result.json()["checks"][len(READS) + 2 :]  # after the reads and error checks
    assert {c["result"] for c in writes} == {"skipped"}
    assert len(writes) == 5
    assert len(dataforce_env.orbits()) == 1


# --------------------------------------------------------------------------- departures


def _unknown_orbit(server: LocalDataForce) -> re.Pattern[str]:
    """The unknown orbit's path: an orbit ID that is not the seeded one."""
    return re.compile(rf"/orbits/(?!{server.orbit_id})[0-9a-f-]{{36}}$")


@pytest.mark.parametrize(
    ("kind", "fault", "name", "where", "expected"),
    [
        (
            "a wrong type",
            lambda s: s.inject_fault(
                "GET",
                path("list_orbits", organization_id=s.organization_id),
                body=[orbit_body(s, item=True, total_members="secret-value-17")],
            ),
            "list_orbits",
            "$[0].total_members",
            "integer or null",
        ),
        (
            "a missing required property",
            lambda s: s.inject_fault(
                "GET",
                path("get_orbit", organization_id=s.organization_id, orbit_id=s.orbit_id),
                body=orbit_body(s, created_at=None),
            ),
            "get_orbit",
            "$.created_at",
            "a required property, missing",
        ),
        (
            "an undocumented status",
            lambda s: s.inject_fault(
                "GET",
                path("list_bucket_secrets", organization_id=s.organization_id),
                status=418,
                body={"detail": "secret-value-17"},
            ),
            "list_bucket_secrets",
            "status",
            "a status list_bucket_secrets documents (200, 401, 403, 422, 500)",
        ),
        (
            "a wrong error body",
            lambda s: s.inject_fault(
                "GET", f"*/orbits/{MALFORMED_ID}", status=422, body={"detail": "secret-value-17"}
            ),
            "get_orbit: malformed orbit ID",
            "$.detail",
            "array",
        ),
        (
            "a behaviour the spec does not describe: an unknown orbit found",
            lambda s: s.inject_fault("GET", _unknown_orbit(s), body=orbit_body(s)),
            "get_orbit: unknown orbit",
            "status",
            "404 for this request",
        ),
    ],
)
def test_each_departure_is_found_and_named(
    check: Callable[..., Outcome],
    dataforce_env: LocalDataForce,
    kind: str,
    fault: Callable[[LocalDataForce], Any],
    name: str,
    where: str,
    expected: str,
) -> None:
    fault(dataforce_env).times = None  # for both runs below

    result = check("--json")
    text = check()

    assert (result.code, text.code) == (1, 1), kind
    departing = [c for c in result.json()["checks"] if c["result"] == "departs"]
    assert [c["check"] for c in departing] == [name], kind
    assert departing[0]["departures"] == [{"path": where, "expected": expected, "occurrences": 1}]
    assert result.json()["conforms"] is False
    # The text names the operation, the place and what was expected...
    assert f"DEPARTS  {name}  " in text.stdout
    assert f"{where}: expected {expected}" in text.stdout
    assert "1 depart" in text.stdout.splitlines()[-1]
    # ...and never a value received.
    assert "secret-value-17" not in result.stdout + text.stdout


def test_the_same_departure_in_every_item_is_one_line_with_a_count(
    check: Callable[..., Outcome], dataforce_env: LocalDataForce
) -> None:
    items = [orbit_body(dataforce_env, item=True, id="not-an-id") for _ in range(3)]
    dataforce_env.inject_fault(
        "GET", path("list_orbits", organization_id=dataforce_env.organization_id), body=items
    )

    result = check("--json")

    assert result.check("list_orbits")["departures"] == [
        {"path": "$[0].id", "expected": "a string of format uuid", "occurrences": 3}
    ]


def test_undocumented_properties_are_information_not_departures(
    check: Callable[..., Outcome], dataforce_env: LocalDataForce
) -> None:
    dataforce_env.inject_fault(
        "GET",
        path("list_orbits", organization_id=dataforce_env.organization_id),
        body=[
            orbit_body(dataforce_env, item=True, total_widgets=3),
            orbit_body(dataforce_env, item=True, x_y=0),
        ],
    )
    # The service echoing the key as a property name: it is shown redacted.
    dataforce_env.inject_fault(
        "GET",
        path("list_my_organizations"),
        body=[
            {
                "id": dataforce_env.organization_id,
                "name": "My Organization",
                "created_at": "2025-05-21T19:35:17.340408Z",
                dataforce_env.api_key: 1,
            }
        ],
    )

    for fault in dataforce_env.faults:
        fault.times = None  # for both runs below
    result = check("--json")

    assert result.code == 0, result.stdout
    assert result.check("list_orbits")["undocumented"] == ["$[*].total_widgets", "$[*].x_y"]
    # `.name`, or `['name']` for a key with a character beyond a Python identifier's.
    [echoed] = result.check("list_my_organizations")["undocumented"]
    assert echoed in ("$[*].[redacted]", "$[*]['[redacted]']")
    text = check()
    assert "$[*].total_widgets: undocumented property (responses may grow)" in text.stdout
    assert text.stdout.splitlines()[-1].endswith("; 3 undocumented properties (information)")


# --------------------------------------------------------------------------- errors: exit 2


def _error_line(result: Outcome) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


def test_a_wrong_key_is_a_usage_error(
    check: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "dfs_" + "w" * 43
    monkeypatch.setenv("DFS_API_KEY", wrong)

    result = check()

    assert result.code == 2
    assert "authentication failed" in _error_line(result)
    assert wrong not in result.stderr


def test_no_key_unreachable_service_and_unknown_organization_exit_2(
    check: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = check("--organization", "Nobody's Organization")
    assert result.code == 2
    assert "not one of the API key's user's 1 organizations" in _error_line(result)

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check("--base-url", f"http://127.0.0.1:{port}")
    assert result.code == 2
    assert "cannot reach the service" in _error_line(result)

    monkeypatch.delenv("DFS_API_KEY")
    result = check()
    assert result.code == 2
    assert "no API key" in _error_line(result)


def test_without_the_local_extra_the_error_names_it(dataforce_env: LocalDataForce) -> None:
    # PyYAML unimportable, as in an install without the `local` extra.
    code = "import sys; sys.modules['yaml'] = None; from dataforce.cli import main; " + (
        "raise SystemExit(main(['contract', 'check']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (
        "error: contract check needs the 'local' extra: pip install 'dataforce-sdk[local]'"
    )
    assert dataforce_env.requests == []  # nothing was sent


# --------------------------------------------------------------------------- interrupted


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("stage", ["during the create", "during the rename"])
def test_an_interrupted_write_run_leaves_nothing_behind(
    dataforce_server: LocalDataForce, signum: int, stage: str
) -> None:
    server = dataforce_server
    if stage == "during the create":
        # The orbit is stored, its answer (with its ID) held back: only its name finds it.
        server.inject_fault("POST", "*", after_handling=True, delay=60)
        arrived: Callable[[], bool] = lambda: len(server.orbits()) == 2  # noqa: E731
    else:
        server.inject_fault("PATCH", "*", delay=60)
        arrived = lambda: any(r.method == "PATCH" for r in server.requests)  # noqa: E731
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    env.update(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)
    proc = subprocess.Popen(
        [*COMMAND, "contract", "check", "--write"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not arrived():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the write never reached the server"
            time.sleep(0.02)
        assert len(server.orbits()) == 2  # the contract check's orbit exists now
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait()

    assert proc.returncode == 128 + signum, stderr
    assert stderr.strip() == "error: interrupted: stopped after cleaning up"
    assert "Traceback" not in stdout + stderr
    assert server.api_key not in stdout + stderr
    assert [orbit["id"] for orbit in server.orbits()] == [server.orbit_id]
    assert server.requests[-1].method == "DELETE"


def test_help_names_the_extra_the_write_option_and_the_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["contract", "check", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: dataforce contract check")
    for words in ("--write", "pip install 'dataforce-sdk[local]'", "0 everything conforms"):
        assert words in out
    assert main(["contract"]) == 2  # no action: its help, as for every group
    assert "check" in capsys.readouterr().err
