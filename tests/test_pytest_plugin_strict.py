"""The pytest plugin's strict mode: an application's off-spec request fails its test.

The application under test is a few lines of httpx that swallow every error, as the
issue's app does; its tests run in a pytest of their own (a subprocess), with the plugin
loaded as users get it, through the installed ``pytest11`` entry point.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

from dataforce.testing import LocalDataForce
from tests._paths import NAME_MAX_LENGTH, path

APP_TESTS = '''
import httpx
import pytest

from dataforce.api._schema import OPERATIONS


def rename(server, name):
    """The application: renames the orbit and, like many, never looks at the answer."""
    url = server.base_url + OPERATIONS["update_orbit"].template.format(
        server.organization_id, server.orbit_id
    )
    try:
        httpx.patch(url, json={"name": name}, headers=server.auth_headers).raise_for_status()
    except httpx.HTTPError:
        pass


@pytest.mark.dataforce_strict
def test_strict_blank_name(dataforce_server):
    rename(dataforce_server, "   ")


@pytest.mark.dataforce_strict
def test_strict_good_name(dataforce_env):
    rename(dataforce_env, "Renamed")


def test_lenient_blank_name(dataforce_server):
    rename(dataforce_server, "   ")


@pytest.mark.dataforce_strict(False)
def test_exempt_blank_name(dataforce_server):
    rename(dataforce_server, "   ")
'''


def run_app_tests(tmp_path: Path, *options: str) -> tuple[dict[str, str], str]:
    """Run the application's tests; each test's outcome by name, and the output."""
    (tmp_path / "test_app.py").write_text(APP_TESTS, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.findall(r"^(PASSED|FAILED|ERROR) test_app\.py::(\w+)", proc.stdout, re.M)
    outcomes = {name: outcome for outcome, name in found}
    return outcomes, proc.stdout + proc.stderr


def test_strict_mode_fails_the_test_whose_request_breaks_the_spec(tmp_path: Path) -> None:
    outcomes, output = run_app_tests(tmp_path)

    assert outcomes == {
        "test_strict_blank_name": "FAILED",
        "test_strict_good_name": "PASSED",
        "test_lenient_blank_name": "PASSED",
        "test_exempt_blank_name": "PASSED",
    }, output
    # A failure of the test itself (not an error at teardown), naming the operation and
    # the JSON path in the body.
    assert "1 failed, 3 passed" in output, output
    assert "requests its spec does not allow (strict mode)" in output
    assert re.search(r"PATCH /\S+ \(update_orbit\): \$\.name: String should", output), output


def test_the_ini_option_makes_every_test_strict(tmp_path: Path) -> None:
    outcomes, output = run_app_tests(tmp_path, "-o", "dataforce_strict=true")

    assert outcomes == {
        "test_strict_blank_name": "FAILED",
        "test_strict_good_name": "PASSED",
        "test_lenient_blank_name": "FAILED",
        "test_exempt_blank_name": "PASSED",  # the marker's False wins
    }, output


# --------------------------------------------------------------------------- the records


def test_off_spec_requests_are_recorded_with_operation_and_json_path() -> None:
    with LocalDataForce() as server:
        org = server.organization_id
        orbits = server.url(path("list_orbits", organization_id=org))
        headers = server.auth_headers
        with httpx.Client(headers=headers) as http:
            assert http.get(orbits).status_code == 200  # on spec: nothing recorded
            assert server.request_violations == []

            too_long = "x" * (NAME_MAX_LENGTH + 1)
            members = [{"user_id": server.user_id, "role": "owner"}]
            body = {"name": too_long, "bucket_secret_id": server.bucket_secret_id}
            assert http.post(orbits, json={**body, "members": members}).status_code == 422
            assert http.get(orbits + "/x/members").status_code == 404
            assert http.put(orbits, json={}).status_code == 405
            bad_id = server.url(path("get_orbit", organization_id=org, orbit_id="not-a-uuid"))
            assert http.get(bad_id).status_code == 422

        create, no_route, method, param = server.request_violations

    assert create.operation_id == "create_orbit"
    assert create.method == "POST"
    assert sorted(p.split(":")[0] for p in create.problems) == ["$.members[0].role", "$.name"]
    assert no_route.operation_id is None
    assert no_route.problems == ("the spec documents no operation at this path",)
    assert method.operation_id is None
    assert method.problems == ("the spec documents only GET, POST at this path",)
    assert param.operation_id == "get_orbit"
    assert param.problems[0].startswith("path parameter orbit_id: ")
    assert str(param).startswith(
        f"GET {path('get_orbit', organization_id=org, orbit_id='not-a-uuid')} (get_orbit): "
    )


def test_reset_clears_request_violations(dataforce_server: LocalDataForce) -> None:
    httpx.get(dataforce_server.url("/nowhere"), headers=dataforce_server.auth_headers)
    assert len(dataforce_server.request_violations) == 1

    dataforce_server.reset()

    assert dataforce_server.request_violations == []


def test_the_readmes_strict_mode_example_fails_as_it_says(tmp_path: Path) -> None:
    from tests.test_readme import CODE_BLOCK, section

    [example] = CODE_BLOCK.findall(section("Contract checks in CI"))
    (tmp_path / "test_example.py").write_text(example, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_example.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert "1 failed" in proc.stdout, proc.stdout + proc.stderr
    said = re.search(r"# +(\$\.name: .*)$", example, re.M)
    assert said is not None
    assert f"(update_orbit): {said.group(1)}" in proc.stdout, proc.stdout
