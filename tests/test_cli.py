"""The ``dataforce`` console script, run for real in subprocesses against a local server.

Each run costs a process start (~0.3 s with the SDK imported), so assertions are grouped
per run. Every run is checked for tracebacks and for the API key in its output.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from dataforce.api import Orbit, OrbitDetails
from dataforce.testing import LocalDataForce
from tests._paths import path

SCRIPT = Path(sys.executable).parent / "dataforce"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "dataforce.cli"]
WRONG_KEY = "dfs_" + "w" * 43
# Every attribute of the spec's Orbit (by ID, OrbitDetails adds its members).
ORBIT_FIELDS = set(Orbit.__struct_fields__)
SUBCOMMANDS = [
    [],
    ["orbits"],
    ["orbits", "list"],
    ["orbits", "get"],
    ["orbits", "create"],
    ["orbits", "update"],
    ["orbits", "delete"],
    ["orbits", "secrets"],
    ["serve"],
]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def error_line(self) -> str:
        """The single ``error:`` line the CLI prints on failure (asserted to be one)."""
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("error: "), self.stderr
        return lines[0]


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    env.update(values)
    return env


@pytest.fixture(scope="module")
def running_server() -> Iterator[LocalDataForce]:
    with LocalDataForce(validate_responses=True) as server:
        yield server


@pytest.fixture
def server(running_server: LocalDataForce) -> Iterator[LocalDataForce]:
    running_server.reset()
    yield running_server
    errors = running_server.response_validation_errors
    running_server.reset()
    assert not errors, errors


@pytest.fixture
def env(server: LocalDataForce) -> dict[str, str]:
    return clean_env(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)


def run(
    args: Sequence[str],
    env: dict[str, str],
    *,
    stdin: int | None = subprocess.DEVNULL,
) -> Result:
    proc = subprocess.run(
        [*COMMAND, *args],
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    for key in filter(None, (env.get("DFS_API_KEY"), WRONG_KEY)):
        assert key not in output, "the API key was printed"
    return result


def orbit_names(server: LocalDataForce) -> list[str]:
    return sorted(orbit["name"] for orbit in server.orbits(server.organization_id))


def test_help_of_every_command_exits_0() -> None:
    procs = [
        subprocess.Popen(
            [*COMMAND, *args, "--help"],
            env=clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in SUBCOMMANDS
    ]
    for args, proc in zip(SUBCOMMANDS, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 0, (args, stderr)
        assert stdout.startswith(f"usage: dataforce {' '.join(args)}".rstrip()), stdout
        assert stderr == ""
        if args and args[0] == "orbits":
            assert "DFS_API_KEY" in stdout  # the connection options are on every command
        if not args:
            for name in ("DFS_API_KEY", "DFS_BASE_URL", "DFS_ORGANIZATION", "DFS_ORBIT"):
                assert name in stdout
            assert "process list" in stdout  # why --api-key is discouraged


def test_list_as_table_and_as_json(server: LocalDataForce, env: dict[str, str]) -> None:
    table = run(["orbits", "list"], env)
    assert table.code == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:2] == ["ID", "NAME"]
    assert len(rows) == 1
    assert rows[0].startswith(server.orbit_id)
    assert "Default Orbit" in rows[0]
    assert server.bucket_secret_id in rows[0]

    # The organization by name, options after the command, machine-readable output.
    as_json = run(["orbits", "list", "--json", "--organization", "My Organization"], env)
    assert as_json.code == 0, as_json.stderr
    orbits = json.loads(as_json.stdout)
    assert isinstance(orbits, list)
    assert len(orbits) == 1
    orbit = orbits[0]
    assert set(orbit) == ORBIT_FIELDS
    assert orbit["id"] == server.orbit_id
    assert orbit["name"] == "Default Orbit"
    assert orbit["organization_id"] == server.organization_id
    assert orbit["bucket_secret_id"] == server.bucket_secret_id
    assert orbit["created_at"].endswith("Z")
    assert datetime.fromisoformat(orbit["created_at"]).utcoffset() is not None


def test_get_by_name_by_id_and_not_found(server: LocalDataForce, env: dict[str, str]) -> None:
    by_name = run(["--json", "orbits", "get", "Default Orbit"], env)
    assert by_name.code == 0, by_name.stderr
    assert json.loads(by_name.stdout)["id"] == server.orbit_id

    by_id = run(["orbits", "get", server.orbit_id.upper()], env)
    assert by_id.code == 0, by_id.stderr
    fields = dict(line.split(None, 1) for line in by_id.stdout.splitlines())
    assert fields["id"] == server.orbit_id
    assert fields["name"] == "Default Orbit"
    assert fields["created_at"].endswith("Z")

    missing = run(["orbits", "get", "No Such Orbit"], env)
    assert missing.code == 1
    assert missing.stdout == ""
    line = missing.error_line()
    assert "'No Such Orbit' not found" in line


def test_secrets_are_listed_without_their_values(
    server: LocalDataForce, env: dict[str, str]
) -> None:
    value = "cli-secret-VALUE-never-printed"
    server.add_orbit_secret(server.orbit_id, "MLFLOW_TRACKING_TOKEN", value, tags=["ml", "x"])
    other = server.add_orbit(server.organization_id, "Other")["id"]

    # The default orbit: the only one there is... until `Other` exists: named by --orbit.
    table = run(["orbits", "secrets", "--orbit", "Default Orbit"], env)
    assert table.code == 0, table.stderr
    header, row = table.stdout.splitlines()
    assert header.split() == ["ID", "NAME", "TAGS", "CREATED"]
    assert "MLFLOW_TRACKING_TOKEN" in row
    assert "ml, x" in row
    as_json = run(["--json", "orbits", "secrets", server.orbit_id], env)
    assert as_json.code == 0, as_json.stderr
    [secret] = json.loads(as_json.stdout)
    assert (secret["name"], secret["value"]) == ("MLFLOW_TRACKING_TOKEN", "[hidden]")
    assert secret["orbit_id"] == server.orbit_id
    assert value not in table.stdout + as_json.stdout

    assert run(["orbits", "secrets", other], env).stdout == "No secrets.\n"
    unknown = run(["orbits", "secrets", "0199c455-21ed-7aba-9fe5-000000000000"], env)
    assert unknown.code == 1
    assert "Orbit not found" in unknown.error_line()
    by_name = run(["orbits", "secrets", "Default Orbit"], env)
    assert by_name.code == 2
    assert "ORBIT_ID" in by_name.stderr
    which = run(["orbits", "secrets"], env)  # two orbits now, and no default named
    assert which.code == 1
    assert "which orbit?" in which.error_line()


def test_create_update_and_delete(server: LocalDataForce, env: dict[str, str]) -> None:
    created = run(
        ["orbits", "create", "ML Models", "--bucket-secret", server.bucket_secret_id, "--json"],
        env,
    )
    assert created.code == 0, created.stderr
    orbit = json.loads(created.stdout)
    assert set(orbit) == set(OrbitDetails.__struct_fields__)
    assert orbit["name"] == "ML Models"
    assert orbit_names(server) == ["Default Orbit", "ML Models"]

    # Two orbits now: `update` needs to be told which one...
    ambiguous = run(["orbits", "update", "--name", "Renamed"], env)
    assert ambiguous.code == 1
    line = ambiguous.error_line()
    assert "which orbit? name it (dataforce orbits update ID_OR_NAME ...)" in line
    assert "--orbit / DFS_ORBIT" in line
    assert orbit_names(server) == ["Default Orbit", "ML Models"]

    # ... here by name, through DFS_ORBIT.
    updated = run(
        ["orbits", "update", "--name", "Renamed", "--bucket-secret", server.bucket_secret_id],
        {**env, "DFS_ORBIT": "Default Orbit"},
    )
    assert updated.code == 0, updated.stderr
    assert "Renamed" in updated.stdout
    assert orbit_names(server) == ["ML Models", "Renamed"]

    # stdin is not a terminal and there is no --yes: nothing is deleted.
    refused = run(["orbits", "delete", orbit["id"]], env)
    assert refused.code == 1
    assert "--yes" in refused.error_line()
    assert orbit_names(server) == ["ML Models", "Renamed"]

    deleted = run(["orbits", "delete", orbit["id"], "--yes"], env)
    assert deleted.code == 0, deleted.stderr
    assert orbit["id"] in deleted.stdout
    assert orbit_names(server) == ["Renamed"]
    deletes = [r.path for r in server.requests if r.method == "DELETE"]
    assert deletes == [
        path("delete_orbit", organization_id=server.organization_id, orbit_id=orbit["id"])
    ]


def test_update_an_orbit_named_by_id_or_name(server: LocalDataForce, env: dict[str, str]) -> None:
    scratch = server.add_orbit(server.organization_id, "Scratch")
    other_secret = server.add_bucket_secret(server.organization_id)

    # By exact name, although two orbits exist and no default orbit is configured.
    by_name = run(["orbits", "update", "Scratch", "--name", "Renamed", "--json"], env)
    assert by_name.code == 0, by_name.stderr
    assert json.loads(by_name.stdout)["id"] == scratch["id"]
    assert orbit_names(server) == ["Default Orbit", "Renamed"]

    # By ID (any case), the bucket secret only; it wins over a configured default orbit.
    by_id = run(
        ["orbits", "update", scratch["id"].upper(), "--bucket-secret", other_secret],
        {**env, "DFS_ORBIT": "Default Orbit"},
    )
    assert by_id.code == 0, by_id.stderr
    orbits = {orbit["id"]: orbit for orbit in server.orbits(server.organization_id)}
    assert orbits[scratch["id"]]["bucket_secret_id"] == other_secret
    assert orbits[scratch["id"]]["name"] == "Renamed"
    assert orbits[server.orbit_id]["bucket_secret_id"] == server.bucket_secret_id
    patches = [r.path for r in server.requests if r.method == "PATCH"]
    scratch_path = path(
        "update_orbit", organization_id=server.organization_id, orbit_id=scratch["id"]
    )
    assert patches == [scratch_path, scratch_path]


def test_update_of_an_unknown_or_ambiguous_orbit_is_a_one_line_error(
    server: LocalDataForce, env: dict[str, str]
) -> None:
    server.add_orbit(server.organization_id, "Twin")
    server.add_orbit(server.organization_id, "Twin")
    before = server.orbits(server.organization_id)

    ambiguous = run(["orbits", "update", "Twin", "--name", "Renamed"], env)
    assert ambiguous.code == 1
    assert "2 orbits are named 'Twin'" in ambiguous.error_line()

    missing = run(["orbits", "update", "No Such Orbit", "--name", "Renamed"], env)
    assert missing.code == 1
    assert "'No Such Orbit' not found" in missing.error_line()

    unknown_id = "0199c475-8339-70ec-b032-7b3f5d59fdc1"
    missing_id = run(["orbits", "update", unknown_id, "--name", "Renamed"], env)
    assert missing_id.code == 1
    assert f"orbit {unknown_id} not found" in missing_id.error_line()

    empty = run(["orbits", "update", "", "--name", "Renamed"], env)
    assert empty.code == 2
    assert "ID_OR_NAME must not be empty" in empty.stderr

    assert server.orbits(server.organization_id) == before
    assert not [r for r in server.requests if r.method == "PATCH"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("answer", "deleted"), [("n", False), ("y", True)])
def test_delete_asks_on_a_terminal(
    server: LocalDataForce, env: dict[str, str], answer: str, deleted: bool
) -> None:
    import pty

    orbit_id = server.add_orbit(server.organization_id, "Scratch")["id"]
    master, replica = pty.openpty()
    try:
        os.write(master, f"{answer}\n".encode())  # typed ahead, read by the prompt
        result = run(["orbits", "delete", orbit_id], env, stdin=replica)
    finally:
        os.close(replica)
        os.close(master)
    assert f"Delete orbit {orbit_id}? [y/N]" in result.stderr
    assert result.code == (0 if deleted else 1), result.stderr
    assert ("Scratch" in orbit_names(server)) is not deleted


def test_errors_are_one_line(server: LocalDataForce, env: dict[str, str]) -> None:
    wrong_key = run(["orbits", "list"], {**env, "DFS_API_KEY": WRONG_KEY})
    assert wrong_key.code == 1
    line = wrong_key.error_line()
    assert "authentication failed" in line
    assert "401" in line

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    unreachable = run(
        ["orbits", "list"], {**env, "DFS_BASE_URL": f"http://127.0.0.1:{closed_port}"}
    )
    assert unreachable.code == 1
    assert "cannot reach the service" in unreachable.error_line()

    default = run(["orbits", "delete", server.orbit_id, "--yes", "--orbit", server.orbit_id], env)
    assert default.code == 1
    assert "default orbit" in default.error_line()
    assert server.orbit_id in {orbit["id"] for orbit in server.orbits(server.organization_id)}

    no_key = run(["orbits", "list"], clean_env(DFS_BASE_URL=server.base_url))
    assert no_key.code == 1
    assert "DFS_API_KEY" in no_key.error_line()

    usage = run(["orbits", "update"], env)  # nothing to update
    assert usage.code == 2
    assert "nothing to update" in usage.stderr


def test_serve_runs_until_interrupted() -> None:
    proc = subprocess.Popen(
        [*COMMAND, "serve", "--port", "0", "--quiet"],
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = []
        for line in proc.stdout:
            banner.append(line)
            if "Ctrl-C" in line:
                break
        text = "".join(banner)
        assert "Base URL:" in text, text + (proc.stderr.read() if proc.stderr else "")
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_serve_without_the_local_extra_says_what_to_install() -> None:
    # Simulate a missing PyYAML: an import of it fails as if it were not installed.
    code = (
        "import sys; sys.modules['yaml'] = None; "
        "from dataforce.cli import main; sys.exit(main(['serve']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    assert result.code == 1
    assert "pip install 'dataforce-sdk[local]'" in result.error_line()
