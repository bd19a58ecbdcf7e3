"""`make check-wheel`: the wheel holds the whole tree and works on its own.

1. Builds the wheel (`pip wheel --no-deps`) from a scratch copy of the checkout's files
   (tracked and untracked-but-not-ignored: what a fresh clone plus your work holds), so
   no stale `build/` directory can hide a missing package.
2. Fails unless every file under dataforce/ and generated/dataforce_openapi/ is in it:
   a sub-package `make generate` adds must ship without editing pyproject.toml, and
   package data (py.typed, openapi.yaml, the spec-diff baseline) must be declared.
3. Installs it in a new virtualenv with its runtime dependencies only (no extras), and
   there, from a directory outside the checkout, imports every installed module of
   `dataforce` and `dataforce_openapi` (modules of `dataforce.testing` may instead raise
   ImportError, and `dataforce.testing.LocalDataForce` must: it needs the `local` extra),
   lists orbits through `DataForceClient` from a loopback server this script runs, and
   runs the installed `dataforce spec diff` on the shipped baseline.

`--source DIR` checks another tree and `--contents-only` stops after step 2 (the tests
use both). Dependencies come from pip's cache; a run takes about 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Where each top-level package lives in the tree (pyproject.toml's package-dir).
TREES = {"dataforce": Path("dataforce"), "dataforce_openapi": Path("generated/dataforce_openapi")}
NOT_COPIED = {".git", ".venv", "build", "dist", "__pycache__", "bench-results"}

API_KEY = "dfs_" + "w" * 43
ORG_ID = "0199c455-21ec-7c74-8efe-41470e29bae5"
ORBIT_ID = "0199c455-21ed-7aba-9fe5-5231611220de"
ORGANIZATION = {
    "id": ORG_ID,
    "name": "Wheel Check",
    "logo": None,
    "created_at": "2025-05-21T19:35:17.340408Z",
    "updated_at": None,
    "role": "owner",
    "permissions": None,
}
# The two GETs of `orbits.list()`, at the spec's paths (the checkout's operation table).
sys.path.insert(0, str(ROOT))
from dataforce.api._schema import OPERATIONS  # noqa: E402

ORGANIZATIONS_PATH = OPERATIONS["list_my_organizations"].path
ORBITS_PATH = OPERATIONS["list_orbits"].template.format(ORG_ID)
ORBIT = {
    "id": ORBIT_ID,
    "name": "Default Orbit",
    "organization_id": ORG_ID,
    "bucket_secret_id": "0199c455-21ed-7aba-9fe5-5231611220aa",
    "total_members": 2,
    "total_collections": 9,
    "total_satellites": 1,
    "total_artifacts": 24,
    "role": "admin",
    "created_at": "2025-05-21T19:35:17.340408Z",
    "updated_at": "2025-08-13T22:44:58.035731Z",
    "permissions": None,
}

# Runs in the clean virtualenv (`python -I`: neither the checkout nor PYTHONPATH on
# sys.path). Walks what pip installed, per the wheel's RECORD.
PROBE = """
import importlib, importlib.metadata, json, sys
base_url, api_key = sys.argv[1], sys.argv[2]
report = {"imported": [], "need_local_extra": [], "outside_venv": []}
modules = sorted(
    ".".join(file.with_suffix("").parts).removesuffix(".__init__")
    for file in importlib.metadata.distribution("dataforce-sdk").files
    if file.suffix == ".py" and file.parts[0] in ("dataforce", "dataforce_openapi")
)
for name in modules:
    try:
        module = importlib.import_module(name)
    except ImportError as error:
        if not name.startswith("dataforce.testing"):
            raise
        report["need_local_extra"].append(f"{name}: {error}")
        continue
    report["imported"].append(name)
    if not module.__file__.startswith(sys.prefix):
        report["outside_venv"].append(f"{name}: {module.__file__}")
try:
    from dataforce.testing import LocalDataForce
except ImportError as error:
    report["local_server"] = f"ImportError: {error}"
else:
    report["local_server"] = "importable without the local extra"
from dataforce.api import DataForceClient
with DataForceClient(base_url=base_url, api_key=api_key) as client:
    orbits = client.orbits.list()
report["orbits"] = [(orbit.id, orbit.name) for orbit in orbits]
print(json.dumps(report))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="the tree to package")
    parser.add_argument("--contents-only", action="store_true", help="skip the install")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="check-wheel-") as scratch_dir:
        scratch = Path(scratch_dir)
        tree = copy_tree(args.source.resolve(), scratch / "src")
        wheel = build(tree, scratch / "dist")
        missing = sorted(expected_files(tree) - set(zipfile.ZipFile(wheel).namelist()))
        if missing:
            print(f"{wheel.name} lacks {len(missing)} file(s) of the tree:", file=sys.stderr)
            for name in missing:
                print(f"  {name}", file=sys.stderr)
            print(
                "a module needs its package's __init__.py; other files need an entry in "
                "[tool.setuptools.package-data] of pyproject.toml",
                file=sys.stderr,
            )
            return 1
        shipped = len(expected_files(tree))
        if args.contents_only:
            print(f"{wheel.name} holds all {shipped} files of the tree")
            return 0
        problems = install_and_use(wheel, scratch)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(
        f"{wheel.name}: all {shipped} files shipped; installed with runtime dependencies "
        f"only, every module imported, one call made ({time.monotonic() - started:.1f} s)"
    )
    return 0


# --------------------------------------------------------------------------- build


def copy_tree(source: Path, destination: Path) -> Path:
    files = _git_files(source)
    if files is None:  # not a git checkout (an unpacked archive): all but the usual junk
        shutil.copytree(
            source,
            destination,
            ignore=lambda _, names: [
                n
                for n in names
                if n in NOT_COPIED or n.startswith(".venv") or n.endswith((".egg-info", "_cache"))
            ],
        )
        return destination
    for name in files:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (source / name).is_file():  # listed but deleted in the working tree: skip
            shutil.copy2(source / name, target)
    return destination


def _git_files(source: Path) -> list[str] | None:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=source,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in listed.stdout.decode().split("\0") if name]


def build(tree: Path, out: Path) -> Path:
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(tree)])
    (wheel,) = out.glob("*.whl")
    return wheel


def expected_files(tree: Path) -> set[str]:
    """The wheel paths of every file of the packages' trees."""
    return {
        f"{package}/{file.relative_to(tree / location).as_posix()}"
        for package, location in TREES.items()
        for file in (tree / location).rglob("*")
        if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc"
    }


# --------------------------------------------------------------------------- install and use


def install_and_use(wheel: Path, scratch: Path) -> list[str]:
    venv = scratch / "venv"
    # No pip in the new environment (ensurepip is slow): this pip installs into it.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)])
    elsewhere = scratch / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DFS_", "PYTHON"))}
    with _service() as (base_url, requests):
        probe = subprocess.run(
            [str(python), "-I", "-c", PROBE, base_url, API_KEY],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if probe.returncode != 0:
        return [f"using the installed wheel failed:\n{probe.stderr}"]
    report: dict[str, Any] = json.loads(probe.stdout)
    problems = [f"imported from outside the virtualenv: {m}" for m in report["outside_venv"]]
    if not report["local_server"].startswith("ImportError"):
        problems.append(f"dataforce.testing.LocalDataForce is {report['local_server']}")
    imported = set(report["imported"])
    for package in TREES:
        if package not in imported:
            problems.append(f"{package} was not imported")
    if report["orbits"] != [[ORBIT_ID, ORBIT["name"]]]:
        problems.append(f"orbits.list() returned {report['orbits']}")
    answered = {f"GET {ORGANIZATIONS_PATH}", f"GET {ORBITS_PATH}"}
    if not set(requests) <= answered or f"GET {ORBITS_PATH}" not in requests:
        problems.append(f"unexpected requests: {requests}")
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    diff = subprocess.run(
        [str(scripts / "dataforce"), "spec", "diff", _installed_baseline(python, env)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if diff.returncode != 0:
        problems.append(f"`dataforce spec diff` exited {diff.returncode}: {diff.stderr.strip()}")
    if not problems:
        print(
            f"imported {len(imported)} modules; without the local extra "
            f"{len(report['need_local_extra'])} of dataforce.testing raise ImportError"
        )
    return problems


def _installed_baseline(python: Path, env: dict[str, str]) -> str:
    return subprocess.run(
        [str(python), "-I", "-c", "import dataforce._spec_diff as d; print(d.BASELINE)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


class _Handler(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(f"GET {self.path}")
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            self._answer(401, {"detail": "Authentication error"})
        elif self.path == ORGANIZATIONS_PATH:
            self._answer(200, [ORGANIZATION])
        elif self.path == ORBITS_PATH:
            self._answer(200, [ORBIT])
        else:
            self._answer(404, {"detail": "Not Found"})

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the requests are checked, not logged


@contextlib.contextmanager
def _service() -> Iterator[tuple[str, list[str]]]:
    """A loopback stand-in answering the two GETs of `orbits.list()`; yields its URL and
    the list of requests it receives."""
    requests: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Handler,), {"requests": requests}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(command: list[str]) -> None:
    """Run a build step; on failure show its output (pip is noisy on success)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(command)}")


if __name__ == "__main__":
    raise SystemExit(main())
