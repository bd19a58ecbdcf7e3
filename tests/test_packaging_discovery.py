"""Packaging follows the tree: discovered packages ship, and the generator's pins hold.

`make check-wheel` (in `make test`) checks the real tree end to end; here its contents
check runs on a copy of the tree with a new generated sub-package, and generate.py's pin
check on pyprojects that pin other versions.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "scripts" / "generate.py"
CHECK_WHEEL = ROOT / "scripts" / "check_wheel.py"


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *map(str, command)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_new_generated_sub_package_ships_and_a_module_outside_packages_is_caught(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "build", "dist", "__pycache__", "*.egg-info", ".*_cache", "tests"
        ),
    )
    # What `make generate` writes for a new tag: a regular package, shipped unlisted.
    new_tag = tree / "generated" / "dataforce_openapi" / "api" / "satellites"
    new_tag.mkdir()
    (new_tag / "__init__.py").write_text('"""Contains endpoint functions."""\n')
    (new_tag / "list_satellites.py").write_text("def sync() -> None: ...\n")
    # A module in a directory without __init__.py is in no package: it must be reported.
    stray = tree / "dataforce" / "stray"
    stray.mkdir()
    (stray / "helper.py").write_text("VALUE = 1\n")

    result = _run(CHECK_WHEEL, "--source", tree, "--contents-only")

    assert result.returncode == 1, result.stdout + result.stderr
    missing = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert missing == ["dataforce/stray/helper.py"]
    assert "__init__.py" in result.stderr
    assert "package-data" in result.stderr


def _pyproject_pinning(tmp_path: Path, tool: str, requirement: str) -> Path:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pinned = re.compile(rf'"{re.escape(tool)}==[^"]*"')
    assert pinned.search(text), f"pyproject.toml no longer pins {tool}"
    path = tmp_path / "pyproject.toml"
    path.write_text(pinned.sub(f'"{requirement}"', text), encoding="utf-8")
    return path


@pytest.mark.parametrize("tool", ["openapi-python-client", "ruff"])
def test_check_generated_fails_when_the_installed_tool_is_not_the_pinned_one(
    tool: str, tmp_path: Path
) -> None:
    installed = importlib.metadata.version(tool)
    pyproject = _pyproject_pinning(tmp_path, tool, f"{tool}==0.0.1")
    result = _run(GENERATE, "--check", "--pyproject", pyproject)
    assert result.returncode == 1
    assert result.stderr == (
        f"{tool} {installed} is installed but {pyproject} pins {tool}==0.0.1: "
        "reinstall the dev tools: pip install -e '.[dev]'\n"
    )
    assert result.stdout == ""  # nothing compiled, no diff to confuse the message


def test_check_generated_fails_when_a_tool_is_not_pinned_exactly(tmp_path: Path) -> None:
    pyproject = _pyproject_pinning(tmp_path, "ruff", "ruff>=0.17")
    result = _run(GENERATE, "--check", "--pyproject", pyproject)
    assert result.returncode == 1
    assert result.stderr == (f"{pyproject} must pin ruff exactly (ruff==X.Y.Z) in the dev extra\n")


def test_generate_refuses_to_write_with_other_tool_versions(tmp_path: Path) -> None:
    target = tmp_path / "dataforce_openapi"
    pyproject = _pyproject_pinning(tmp_path, "openapi-python-client", "openapi-python-client==9.9")
    result = _run(GENERATE, "--pyproject", pyproject, "--target", target)
    assert result.returncode == 1
    assert "pins openapi-python-client==9.9" in result.stderr
    assert not target.exists()
