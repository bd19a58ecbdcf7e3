"""``DFS_LOG`` in a real process: each request is logged once, through the application's
logging when it configured some (before or after the client was made), else on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dataforce.api._operations import VERSION_PREFIX
from dataforce.testing import LocalDataForce

SCRIPT = """
import logging, sys
from dataforce.api import DataForceClient

when = sys.argv[1]
if when == "before":
    logging.basicConfig(format="APP %(name)s: %(message)s")
dfs = DataForceClient()
if when == "after":
    logging.basicConfig(format="APP %(name)s: %(message)s")
dfs.orbits.list()
dfs.close()
"""


def _run(tmp_path: Path, server: LocalDataForce, when: str, level: str) -> list[str]:
    script = tmp_path / "app.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    env.update(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key, DFS_LOG=level)
    proc = subprocess.run(
        [sys.executable, str(script), when],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert server.api_key not in proc.stderr
    return proc.stderr.splitlines()


@pytest.mark.parametrize("level", ["info", "debug"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_dfs_log_with_the_applications_logging_logs_each_request_once(
    tmp_path: Path, when: str, level: str
) -> None:
    with LocalDataForce() as server:
        lines = _run(tmp_path, server, when, level)
        sent = [f"{r.method} {r.path}" for r in server.requests]
    logged = [line for line in lines if " -> 200 in " in line]
    # One line per request, never a second in the other format.
    assert len(logged) == len(sent) == 3, lines
    assert [line.split(" -> ")[0].rsplit(" ", 2)[1:] for line in logged] == [
        request.split(" ") for request in sent
    ]
    # From the moment the application configured logging, in its format: the two
    # requests of the client's construction came before it in "after".
    app_format = [line.startswith(f"APP dataforce: GET {VERSION_PREFIX}/") for line in logged]
    assert app_format == ([True] * 3 if when == "before" else [False, False, True]), lines


def test_dfs_log_without_logging_configured_writes_to_stderr(tmp_path: Path) -> None:
    with LocalDataForce() as server:
        lines = _run(tmp_path, server, "never", "info")
        sent = len(server.requests)
    logged = [line for line in lines if " -> 200 in " in line]
    assert len(logged) == sent == 3, lines
    assert all(f" dataforce INFO GET {VERSION_PREFIX}/" in line for line in logged), lines
