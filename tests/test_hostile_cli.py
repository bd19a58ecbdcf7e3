"""The ``dataforce`` command under hostile conditions: whatever the service answers and
wherever stdout goes, one ``error:`` line at most, never a traceback, never the key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import API_KEY, ORBIT_ID, ORBITS_PATH, ORG_ID, ORGS_PATH, FakeService, orbit_json

SCRIPT = Path(sys.executable).parent / "dataforce"


def _env(service: FakeService, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        env.pop(name, None)
        env.pop(name.lower(), None)
    env.update(DFS_BASE_URL=service.url, DFS_API_KEY=API_KEY, DFS_ORGANIZATION=ORG_ID)
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("stdout", subprocess.PIPE)
    proc = subprocess.run(
        [str(SCRIPT), *args], env=env, stderr=subprocess.PIPE, text=True, timeout=60, **kwargs
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert API_KEY not in proc.stderr
    assert API_KEY not in (proc.stdout or "")
    return proc


def _one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


LONE = "Orbit \ud800 of \U0001f680"


@pytest.mark.parametrize("json_output", [True, False], ids=["json", "table"])
def test_any_unicode_from_the_service_is_printed(service: FakeService, json_output: bool) -> None:
    body = json.dumps([orbit_json(name=LONE)])  # "\ud800" escaped: valid JSON
    for _ in range(2):  # the client's resolution of its defaults lists the orbits too
        service.once(ORBITS_PATH).respond_with_data(body, content_type="application/json")
    args = ["--json", "orbits", "list"] if json_output else ["orbits", "list"]
    proc = _run(args, _env(service))
    assert proc.returncode == 0, proc.stderr
    if json_output:
        assert json.loads(proc.stdout)[0]["name"] == LONE
    else:
        assert "\\ud800" in proc.stdout


def test_a_closed_stdout_is_one_error_line(service: FakeService) -> None:
    proc = _run(
        ["orbits", "list"],
        _env(service),
        stdout=None,
        pass_fds=(),
        close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 1
    assert "standard output is closed" in _one_error_line(proc)


def test_a_full_stdout_is_one_error_line(service: FakeService) -> None:
    with open("/dev/full", "w") as full:
        proc = _run(["orbits", "list"], _env(service), stdout=full)
    assert proc.returncode == 1
    assert "cannot print the result" in _one_error_line(proc)


@pytest.mark.parametrize("via", ["env", "option"])
def test_a_key_echoed_by_the_service_is_not_printed(service: FakeService, via: str) -> None:
    service.once(ORGS_PATH).respond_with_json({"detail": f"unknown key {API_KEY}"}, status=401)
    env = _env(service)
    args = ["orbits", "list"]
    if via == "option":
        del env["DFS_API_KEY"]
        args += ["--api-key", API_KEY]
    proc = _run(args, env)
    assert proc.returncode == 1
    assert "unknown key [redacted]" in _one_error_line(proc)


def test_an_unusable_proxy_variable_is_one_error_line(service: FakeService) -> None:
    proc = _run(["orbits", "list"], _env(service, HTTP_PROXY="http://[::1"))
    assert proc.returncode == 1
    assert "HTTP_PROXY" in _one_error_line(proc)
    assert service.count() == 0


# CSI as its C1 character, DEL, a right-to-left override, an isolate, a C1 NEL and a
# line separator: characters json.dumps leaves as they are, each of which a terminal
# acts on (or reorders the line around) instead of showing.
TERMINAL_CONTROLS = "Orbit \x9b2J\x7f \u202eevil\u202c \u2067x\u2069 \x85 \u2028 end"


@pytest.mark.parametrize("command", [["orbits", "list"], ["orbits", "get", ORBIT_ID]])
def test_json_output_escapes_control_and_bidi_characters(
    service: FakeService, command: list[str]
) -> None:
    orbit = orbit_json(name=TERMINAL_CONTROLS)
    service.once(ORBITS_PATH).respond_with_json([orbit])  # the client's own resolution
    service.once(ORBITS_PATH).respond_with_json([orbit])
    service.once(f"{ORBITS_PATH}/{ORBIT_ID}").respond_with_json(dict(orbit, members=[]))
    proc = _run(["--json", *command], _env(service))
    assert proc.returncode == 0, proc.stderr
    unsafe = [
        c
        for c in proc.stdout
        if ord(c) in range(0x7F, 0xA0) or c in "\u202e\u202c\u2067\u2069\u2028"
    ]
    assert not unsafe, proc.stdout
    printed = json.loads(proc.stdout)  # still JSON, meaning the same text
    name = printed[0]["name"] if isinstance(printed, list) else printed["name"]
    assert name == TERMINAL_CONTROLS
