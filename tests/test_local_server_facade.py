"""The public facade (dataforce.testing: LocalDataForce, the pytest plugin, the package).

Seeds and reset, the summary, the ``dataforce_server``/``dataforce_env`` fixtures, and
what importing the package costs (and says) without the ``local`` extra.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dataforce.testing import LocalDataForce
from tests._local import API_KEY, MISSING_ID, ORGS, create, is_uuid7, orbit_path, orbits_path
from tests._paths import path


@pytest.fixture
def server(dataforce_server: LocalDataForce) -> LocalDataForce:
    return dataforce_server


@pytest.fixture
def client(server: LocalDataForce) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as c:
        yield c


# ---------------------------------------------------------------------------- reset, seeds


def test_reset_restores_the_seed(server: LocalDataForce, client: httpx.Client) -> None:
    seeded = (server.api_key, server.organization_id, server.orbit_id, server.bucket_secret_id)
    server.add_organization("Extra")
    create(client, server)
    client.delete(orbit_path(server.organization_id, server.orbit_id))
    server.inject_fault(status=500, times=None)
    server.orbit_limit = 1
    server.reset()
    assert server.requests == []
    assert server.faults == []
    assert server.orbit_limit == 50
    assert seeded == (
        server.api_key,
        server.organization_id,
        server.orbit_id,
        server.bucket_secret_id,
    )
    assert [o["id"] for o in client.get(orbits_path(server.organization_id)).json()] == [
        server.orbit_id
    ]
    assert len(client.get(ORGS).json()) == 1


def test_deterministic_servers_hand_out_the_same_ids() -> None:
    def run(server: LocalDataForce) -> list[str]:
        with httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
            body = {"name": "x", "bucket_secret_id": server.bucket_secret_id}
            created = c.post(orbits_path(server.organization_id), json=body).json()
        return [server.api_key, server.organization_id, server.orbit_id, created["id"]]

    with LocalDataForce(deterministic=True) as a, LocalDataForce(seed=0) as b:
        first = run(a)
        assert run(b) == first
        a.reset()
        assert run(a) == first  # a reset replays the same IDs
        assert a.orbits()[1]["created_at"] == b.orbits()[1]["created_at"]
    with LocalDataForce(seed=1) as c:
        assert run(c)[0] != first[0]
    assert API_KEY.match(first[0])
    assert all(is_uuid7(i) for i in first[1:])


def test_the_seeded_ids_can_be_given_and_a_reset_keeps_them() -> None:
    # Examples and fixtures that name their IDs (the API reference's) get them served.
    org, secret, orbit = (
        "0199c455-21ec-7c74-8efe-41470e29bae5",
        "0199c455-21ef-7d1c-8a3e-6b5f2c9d0e41",
        "0199c455-21ed-7aba-9fe5-5231611220de",
    )
    server = LocalDataForce(organization_id=org, bucket_secret_id=secret, orbit_id=orbit)
    with server, httpx.Client(base_url=server.base_url, headers=server.auth_headers) as c:
        assert [(o["id"], o["name"]) for o in c.get(ORGS).json()] == [(org, "My Organization")]
        served = c.get(orbit_path(org, orbit)).json()
        assert (served["name"], served["bucket_secret_id"]) == ("Default Orbit", secret)
        server.reset()
        assert (server.organization_id, server.bucket_secret_id, server.orbit_id) == (
            org,
            secret,
            orbit,
        )
        assert c.get(orbit_path(org, orbit)).status_code == 200
    with pytest.raises(ValueError, match="orbit_id"):
        LocalDataForce(orbit_id="not-a-uuid")


def test_random_servers_differ() -> None:
    a, b = LocalDataForce(), LocalDataForce()
    assert a.api_key != b.api_key
    assert a.orbit_id != b.orbit_id
    assert API_KEY.match(a.api_key)


def test_explicit_api_key_and_ids() -> None:
    server = LocalDataForce(api_key="dfs_" + "k" * 43, deterministic=True)
    assert server.api_key == "dfs_" + "k" * 43
    assert server.orbit_id == LocalDataForce(deterministic=True).orbit_id
    org = server.add_organization("Fixed", organization_id=MISSING_ID.upper())
    assert org == MISSING_ID
    with pytest.raises(ValueError, match="already exists"):
        server.add_organization("Again", organization_id=MISSING_ID)
    with pytest.raises(ValueError, match="UUID"):
        server.add_orbit(org, "x", orbit_id="nope")


def test_describe(server: LocalDataForce) -> None:
    text = server.describe()
    for value in (
        server.base_url,
        server.api_key,
        server.organization_id,
        server.orbit_id,
        server.bucket_secret_id,
    ):
        assert value in text
    # Only what the stand-in has no handler for (an operation the SDK leaves unexposed) is
    # listed as answered 501; every operation the SDK sends is served (drift checks it).
    from dataforce.api import _operations

    unimplemented = server.unimplemented_operations
    assert not set(unimplemented) & set(_operations.USED)
    if unimplemented:
        assert f"Answered 501:   {', '.join(unimplemented)}" in text
    else:
        assert "Answered 501" not in text


# ---------------------------------------------------------------------------- the pytest plugin


def test_dataforce_env_fixture(dataforce_env: LocalDataForce) -> None:
    assert os.environ["DFS_BASE_URL"] == dataforce_env.base_url
    assert os.environ["DFS_API_KEY"] == dataforce_env.api_key


def test_plugin_fails_a_test_whose_server_sent_an_off_spec_answer(tmp_path: Path) -> None:
    test_file = tmp_path / "test_sample.py"
    organizations = path("list_my_organizations")
    test_file.write_text(
        "import httpx\n"
        "def test_ok(dataforce_server):\n"
        f"    r = httpx.get(dataforce_server.url({organizations!r}),\n"
        "                  headers=dataforce_server.auth_headers)\n"
        "    assert r.status_code == 200\n"
        "def test_bad(dataforce_server):\n"
        "    dataforce_server.inject_fault(body={'x': 1}, validate_response=True)\n"
        f"    httpx.get(dataforce_server.url({organizations!r}),\n"
        "              headers=dataforce_server.auth_headers)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed, 1 error" in result.stdout, result.stdout  # the error: at teardown
    assert "spec does not allow" in result.stdout


def test_plugin_import_is_cheap() -> None:
    code = (
        "import sys, dataforce.testing.pytest_plugin\n"
        "heavy = {'yaml', 'jsonschema', 'werkzeug', 'dataforce.testing._facade'}\n"
        "heavy &= set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


# ---------------------------------------------------------------------------- the package


_BLOCK_THE_EXTRA = textwrap.dedent(
    """
    import importlib.abc, sys

    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in {"yaml", "jsonschema", "werkzeug"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
    """
)


@pytest.mark.parametrize(
    "statement",
    [
        "from dataforce.testing import LocalDataForce",
        "import dataforce.testing as t; t.serve",
    ],
)
def test_without_the_local_extra_the_import_error_says_what_to_install(statement: str) -> None:
    code = _BLOCK_THE_EXTRA + textwrap.dedent(
        f"""
        import dataforce.testing.pytest_plugin  # still importable: pytest loads it everywhere
        try:
            {statement}
        except ImportError as exc:
            print(type(exc).__name__, exc)
        else:
            raise SystemExit("imported without the extra")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ImportError ")
    assert "pip install 'dataforce-sdk[local]'" in result.stdout
    assert "'local' extra" in result.stdout


def test_the_old_record_name_still_imports() -> None:
    from dataforce.testing import ResponseValidationError, SpecViolation

    assert ResponseValidationError is SpecViolation


def test_url_for_names_an_operation_not_a_path(server: LocalDataForce) -> None:
    ids = {"organization_id": server.organization_id, "orbit_id": server.orbit_id}
    url = server.url_for("get_orbit", **ids)
    assert url == server.url(path("get_orbit", **ids))
    with httpx.Client(headers=server.auth_headers) as client:
        assert client.get(url).json()["id"] == server.orbit_id
    with pytest.raises(KeyError, match="no operation 'get_orbits'"):
        server.url_for("get_orbits", **ids)
    with pytest.raises(KeyError, match="needs the parameter 'orbit_id'"):
        server.url_for("get_orbit", organization_id=server.organization_id)
