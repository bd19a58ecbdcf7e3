"""The ``dataforce`` command's output and messages, run for real against a local server:
JSON with ``--json`` and readable text otherwise for every command, errors that name the
command line's own arguments, and one environment precedence shared with the SDK."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest

from dataforce.testing import LocalDataForce
from tests.test_cli import COMMAND, Result, clean_env


def run(*args: str, env: dict[str, str]) -> Result:
    proc = subprocess.run(
        [*COMMAND, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def server() -> Iterator[LocalDataForce]:
    with LocalDataForce() as server:
        yield server


@pytest.fixture
def env(server: LocalDataForce) -> dict[str, str]:
    return clean_env(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)


def _no_python_repr(text: str) -> None:
    # What str() of a dict, tuple or None looks like: never in the command's output.
    for fragment in ("{'", "['", "('", "()", "None", "': "):
        assert fragment not in text, text


def test_every_orbit_command_prints_json_or_readable_text(
    server: LocalDataForce, env: dict[str, str]
) -> None:
    secret = server.orbits(server.organization_id)[0]["bucket_secret_id"]
    created = run("orbits", "create", "Second", "--bucket-secret", secret, "--json", env=env)
    assert created.code == 0, created.stderr
    second = json.loads(created.stdout)
    assert second["name"] == "Second"
    assert second["members"] == []
    commands = [
        ["orbits", "list"],
        ["orbits", "get", server.orbit_id],
        ["orbits", "get", "Second"],
        ["orbits", "update", "Second", "--name", "Third"],
        ["orbits", "delete", second["id"], "--yes"],
    ]
    # Readable text: a table, or one field per line; lists and objects written out.
    for command in commands[:3]:
        text = run(*command, env=env)
        assert text.code == 0, (command, text.stderr)
        _no_python_repr(text.stdout)
        json_text = text.stdout.lstrip()
        assert not json_text.startswith(("{", "[")), command
    for command in commands:
        as_json = run(*command, "--json", env=env)
        assert as_json.code == 0, (command, as_json.stderr)
        data = json.loads(as_json.stdout)
        assert isinstance(data, (dict, list)), command
    details = run("orbits", "get", server.orbit_id, env=env).stdout
    fields = dict(line.split(None, 1) for line in details.splitlines() if line.strip())
    assert fields["permissions"].startswith("orbit: read, update, delete; members: read")
    assert fields["members"] == "0"
    assert fields["collections_tags"] == "-"
    assert fields["updated_at"] == "-"


def test_argument_errors_name_the_command_lines_arguments(env: dict[str, str]) -> None:
    cases = {
        ("orbits", "get", " "): "VALUE",
        ("orbits", "update", " ", "--name", "x"): "ID_OR_NAME",
        ("orbits", "update", "--orbit", " ", "--name", "x"): "--orbit",
        ("orbits", "update", "--name", " "): "--name",
        ("orbits", "create", " ", "--bucket-secret", "x"): "NAME",
        ("orbits", "list", "--organization", " "): "--organization",
    }
    for args, name in cases.items():
        result = run(*args, env=env)
        assert result.code == 2, (args, result.stderr)
        line = result.error_line()
        assert line.startswith(f"error: invalid argument: {name}: "), (args, line)
        for internal in ("orbit_value", "bucket_secret_id", "orbit_id", " organization:"):
            assert internal not in line, (args, line)
    from_env = run("orbits", "list", env={**env, "DFS_ORBIT": " "})
    assert from_env.error_line().startswith("error: invalid argument: DFS_ORBIT: ")


def test_environment_and_options_follow_the_sdks_precedence(
    server: LocalDataForce, env: dict[str, str]
) -> None:
    secret = server.orbits(server.organization_id)[0]["bucket_secret_id"]
    assert run("orbits", "create", "Second", "--bucket-secret", secret, env=env).code == 0
    two = {**env, "DFS_ORBIT": "Second"}
    from_env = json.loads(run("orbits", "get", "--json", env=two).stdout)
    assert from_env["name"] == "Second"
    option = json.loads(run("orbits", "get", "--orbit", "Default Orbit", "--json", env=two).stdout)
    assert option["id"] == server.orbit_id


def test_serve_names_its_option_for_a_remote_interface() -> None:
    result = run("serve", "--host", "0.0.0.0", "--port", "0", env=clean_env())
    assert result.code == 1
    line = result.error_line()
    assert "--allow-remote" in line
    assert "allow_remote=True" not in line
