"""Compile openapi.yaml into the low-level client package under generated/.

`python scripts/generate.py` rewrites generated/dataforce_openapi from the spec.
`python scripts/generate.py --check` compiles into a temporary directory and fails with a
unified diff when generated/ is not exactly what the spec produces: the contract check
that CI (and our users' CI) runs.

The generator and ruff are pinned in pyproject.toml; both are looked up next to the
running interpreter so the virtualenv's versions are used, not whatever is on PATH.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "scripts" / "openapi-generator.yaml"
# The generator's templates that this project replaces (see the README's "How it is
# built"): msgspec models in place of attrs classes, the operation table, lazily imported
# models, and clients whose repr never shows a credential. The rest are the generator's.
TEMPLATES = ROOT / "scripts" / "templates"
PACKAGE = "dataforce_openapi"
TARGET = ROOT / "generated" / PACKAGE
# The spec shipped inside the facade package, for the local server (dataforce.testing).
PACKAGED_SPEC = ROOT / "dataforce" / "openapi.yaml"


def compile_into(destination: Path, spec: Path = SPEC) -> None:
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    generator = shutil.which("openapi-python-client", path=env["PATH"])
    if generator is None:
        sys.exit("openapi-python-client is not installed: pip install -e '.[dev]'")
    subprocess.run(
        [
            generator,
            "generate",
            "--path",
            str(spec),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(TEMPLATES),
            "--meta",
            "none",
            "--overwrite",
            "--fail-on-warning",
            "--output-path",
            str(destination),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    # With `--meta none` the generator writes no PEP 561 marker; the package is typed.
    (destination / "py.typed").write_text("")


def tree(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def check(spec: Path = SPEC, target: Path = TARGET) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / PACKAGE
        compile_into(fresh, spec)
        expected, actual = tree(fresh), tree(target) if target.exists() else {}
    packaged_ok = spec != SPEC or (
        PACKAGED_SPEC.is_file()
        and not PACKAGED_SPEC.is_symlink()
        and PACKAGED_SPEC.read_bytes() == SPEC.read_bytes()
    )
    if not packaged_ok:
        print("dataforce/openapi.yaml is not a copy of openapi.yaml: run `make generate`")
    if expected == actual and packaged_ok:
        print(f"generated/{PACKAGE} matches openapi.yaml")
        return 0
    for name in sorted(expected.keys() | actual.keys()):
        if expected.get(name) != actual.get(name):
            sys.stdout.writelines(
                difflib.unified_diff(
                    actual.get(name, "").splitlines(keepends=True),
                    expected.get(name, "").splitlines(keepends=True),
                    fromfile=f"generated/{PACKAGE}/{name} (committed)",
                    tofile=f"generated/{PACKAGE}/{name} (from openapi.yaml)",
                )
            )
    print(
        f"\ngenerated/{PACKAGE} is out of step with openapi.yaml: run `make generate`",
        file=sys.stderr,
    )
    return 1


# --------------------------------------------------------------------------- tool pins
# The generator's and ruff's output depends on their versions: a run with other versions
# than pyproject.toml pins would "find" (or write) differences that are not the spec's.
PINNED_TOOLS = ("openapi-python-client", "ruff")


def pin_problems(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """Why the installed generator or ruff is not the version the dev extra pins."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    dev = project.get("optional-dependencies", {}).get("dev", [])
    problems = []
    for tool in PINNED_TOOLS:
        pattern = rf"\s*{re.escape(tool)}\s*==\s*([\w.+!-]+)\s*"
        pins = [m.group(1) for r in dev if (m := re.fullmatch(pattern, str(r)))]
        if not pins:
            problems.append(f"{pyproject} must pin {tool} exactly ({tool}==X.Y.Z) in the dev extra")
            continue
        try:
            installed = f"{tool} {importlib.metadata.version(tool)} is installed"
        except importlib.metadata.PackageNotFoundError:
            installed = f"{tool} is not installed"
        if installed != f"{tool} {pins[0]} is installed":
            problems.append(
                f"{installed} but {pyproject} pins {tool}=={pins[0]}: "
                "reinstall the dev tools: pip install -e '.[dev]'"
            )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="diff instead of writing")
    parser.add_argument(
        "--pyproject", type=Path, default=ROOT / "pyproject.toml", help="where the tools are pinned"
    )
    parser.add_argument("--spec", type=Path, default=SPEC, help="the OpenAPI document")
    parser.add_argument("--target", type=Path, default=TARGET, help="the generated package")
    args = parser.parse_args()
    problems = pin_problems(args.pyproject)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if args.check:
        return check(args.spec, args.target)
    compile_into(args.target, args.spec)
    if args.spec == SPEC:
        PACKAGED_SPEC.unlink(missing_ok=True)
        shutil.copyfile(SPEC, PACKAGED_SPEC)
    print(f"wrote generated/{PACKAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
