"""``examples/demo.py`` (``make demo``): runs offline, shows every step, exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dataforce.testing import LocalDataForce

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.py"

# Each walkthrough step's heading, shown once per client.
STEPS = [
    "--- List the orbits of the organization",
    "--- Get an orbit by name",
    "--- Get an orbit by ID",
    "--- Create an orbit",
    "--- Update the default orbit's name\n",
    "--- Update the default orbit's name and bucket secret",
    "--- Names are not unique",
    "--- The default orbit cannot be deleted",
    "--- Delete the orbits created above",
]


def run_demo(*args: str, **env_values: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    env.update(env_values)
    return subprocess.run(
        [sys.executable, str(DEMO), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_demo_walks_through_every_example_offline() -> None:
    proc = run_demo()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr
    assert "embedded local server" in out
    sync_part, _, async_part = out.partition("=== AsyncDataForceClient (async) ===")
    assert "=== DataForceClient (sync) ===" in sync_part
    assert async_part, "no async walkthrough"
    assert "dfs.setup_config(" in async_part
    for part in (sync_part, async_part):
        for heading in STEPS:
            assert heading in part, heading
        assert part.count("name='Default Orbit'") >= 2  # get by name, get by ID
        assert "name='ML Models'" in part
        assert "name='New Orbit Name'" in part
        assert "raised MultipleResourcesFoundError: 2 orbits are named 'ML Models'" in part
        assert "raised DefaultOrbitDeletionError: refusing to delete orbit" in part
        assert part.count("-> None") == 2  # both created orbits are gone
        assert "default orbit restored: name='Default Orbit'" in part
        assert "unexpected" not in part
    assert out.rstrip().endswith("Done.")
    assert "dfs_" not in out.replace('api_key="dfs_..."', "")  # no API key shown
    # Fits a 100-column terminal, with its long IDs, reprs and messages.
    wide = [line for line in out.splitlines() if len(line) > 100]
    assert not wide, wide


def make_dry_run(target: str, tmp_path: Path) -> str:
    """The commands ``make target`` would run for fresh virtualenvs under ``tmp_path``."""
    # Not the settings of a make this test may run under (`make test`).
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    proc = subprocess.run(
        [
            "make",
            "--dry-run",
            "--no-print-directory",
            target,
            f"VENV={tmp_path / 'dev'}",
            f"DEMO_VENV={tmp_path / 'demo'}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return proc.stdout


def test_make_demo_installs_only_the_local_extra(tmp_path: Path) -> None:
    demo = make_dry_run("demo", tmp_path)
    assert "-e '.[local]'" in demo
    assert "[dev]" not in demo
    assert str(tmp_path / "dev") not in demo  # not the dev virtualenv either
    assert demo.splitlines()[-1] == f"{tmp_path / 'demo'}/bin/python examples/demo.py"
    # `make test` keeps the whole dev toolchain.
    assert "-e '.[dev]'" in make_dry_run("test", tmp_path)


@pytest.fixture
def server() -> Iterator[LocalDataForce]:
    with LocalDataForce() as server:
        yield server


def test_demo_against_a_configured_service_only_reads(server: LocalDataForce) -> None:
    proc = run_demo(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert server.base_url in proc.stdout
    assert "read-only" in proc.stdout
    assert "--- Get an orbit by ID" in proc.stdout
    assert "--- Create an orbit" not in proc.stdout
    assert {request.method for request in server.requests} == {"GET"}


def test_demo_write_mode_leaves_the_service_as_it_was(server: LocalDataForce) -> None:
    before = server.orbits(server.organization_id)
    proc = run_demo("--write", DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("raised MultipleResourcesFoundError") == 2
    after = server.orbits(server.organization_id)
    assert [(o["id"], o["name"], o["bucket_secret_id"]) for o in after] == [
        (o["id"], o["name"], o["bucket_secret_id"]) for o in before
    ]
