"""`make check-generated` — the contract check — catches drift between spec and code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate.py"


def _check(spec: Path, target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--spec", str(spec), "--target", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_fails_with_a_diff_when_generated_code_was_edited(tmp_path: Path) -> None:
    target = tmp_path / "dataforce_openapi"
    shutil.copytree(ROOT / "generated" / "dataforce_openapi", target)
    edited = target / "api" / "orbits" / "get_orbit.py"
    edited.write_text(edited.read_text().replace('"method": "get"', '"method": "post"'))
    result = _check(ROOT / "openapi.yaml", target)
    assert result.returncode == 1
    assert "api/orbits/get_orbit.py (committed)" in result.stdout
    assert '-        "method": "post",' in result.stdout
    assert '+        "method": "get",' in result.stdout
    assert "make generate" in result.stderr


def test_check_fails_when_the_spec_changed(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    text = (ROOT / "openapi.yaml").read_text()
    spec.write_text(text.replace("operationId: get_orbit", "operationId: fetch_orbit"))
    result = _check(spec, ROOT / "generated" / "dataforce_openapi")
    assert result.returncode == 1
    assert "fetch_orbit.py" in result.stdout
