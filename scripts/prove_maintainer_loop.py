"""Apply each kind of change the service makes to a copy of the checkout, and show what
the maintainer's loop does with it: `make generate`, then the drift check (and, with
``--suite``, the whole test suite and mypy) in that copy.

    python scripts/prove_maintainer_loop.py              # generate + drift, every kind
    python scripts/prove_maintainer_loop.py --suite      # + pytest and mypy (slow)
    python scripts/prove_maintainer_loop.py --kind new-request-enum-value --suite

Two families (issue #16's proof, rerunnable by a maintainer; not part of `make test`):

* **regenerate only**: after `make generate` the drift check passes, with no hand edit
  (with ``--suite``: the suite and mypy pass too);
* **drift names the places**: the drift check fails, and its messages name each file to
  edit — the kind's ``expected`` fragments must all be among them.

The copy is made of the tracked files (``git ls-files``) and run with the checkout's
virtualenv, the copy first on ``PYTHONPATH`` so that its own ``dataforce`` and
``dataforce_openapi`` are the ones imported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
NULLABLE_INT: dict[str, Any] = {"type": ["integer", "null"]}

Spec = dict[str, Any]


def _schemas(spec: Spec) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"]
    return found


def _new_fields_appended(spec: Spec, baseline: Spec) -> None:
    for name in ("Orbit", "OrbitDetails"):
        for document in (spec, baseline):
            _schemas(document)[name]["properties"]["total_deployments"] = NULLABLE_INT


def _new_fields_first(spec: Spec, baseline: Spec) -> None:
    for name in ("Orbit", "OrbitDetails"):
        for document in (spec, baseline):
            properties = _schemas(document)[name]["properties"]
            _schemas(document)[name]["properties"] = {
                "total_deployments": NULLABLE_INT,
                **properties,
            }


def _new_request_enum_value(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        role = _schemas(document)["OrbitMemberCreateSimple"]["properties"]["role"]
        role.setdefault("enum", []).append("viewer")
    _schemas(baseline)["OrbitRole"]["enum"].append("viewer")


def _path_prefix(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        document["paths"] = {"/api" + path: item for path, item in document["paths"].items()}


def _new_error_status(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        for path, item in document["paths"].items():
            if path.endswith("/orbits") and "get" in item:
                item["get"]["responses"]["429"] = {
                    "description": "Too many requests",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/HTTPValidationError"}
                        }
                    },
                }


def _new_required_request_property(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        create = _schemas(document)["OrbitCreateIn"]
        create["properties"]["region"] = {"type": "string"}
        create["required"].append("region")


def _renamed_response_property(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        for name in ("Orbit", "OrbitDetails"):
            properties = _schemas(document)[name]["properties"]
            properties["members_count"] = properties.pop("total_members")


def _removed_response_property(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        for name in ("Orbit", "OrbitDetails"):
            _schemas(document)[name]["properties"].pop("permissions")


def _type_change(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        for name in ("Orbit", "OrbitDetails"):
            _schemas(document)[name]["properties"]["total_members"] = {"type": "string"}


def _new_operation(spec: Spec, baseline: Spec) -> None:
    """The service's orbit secrets list, described as its document does."""
    orbit_path = next(p for p in spec["paths"] if p.endswith("/orbits/{orbit_id}"))
    operation = baseline["paths"][orbit_path + "/secrets"]["get"]
    spec["paths"][orbit_path + "/secrets"] = {
        "get": {**json.loads(json.dumps(operation)), "operationId": "list_orbit_secrets"}
    }
    _schemas(spec)["OrbitSecretOut"] = _schemas(baseline)["OrbitSecretOut"]


def _leave_unexposed(copy: Path) -> None:
    """The maintainer's answer to the new operation: left unexposed, with the reason."""
    operations = copy / "dataforce" / "api" / "_operations.py"
    text = operations.read_text(encoding="utf-8")
    entry = "NOT_EXPOSED: Final = {\n"
    reason = (
        '    "list_orbit_secrets": "orbit secrets are not part of the orbits SDK yet; '
        "a secret's value must never reach a repr or a log line when they are\",\n"
    )
    operations.write_text(text.replace(entry, entry + reason, 1), encoding="utf-8")


@dataclass(frozen=True)
class Kind:
    name: str
    edit: Callable[[Spec, Spec], None]
    #: None: regenerating is all it takes; else what the drift messages must name.
    expected: tuple[str, ...] | None = None
    notes: str = ""
    #: The edits drift asked for, made by hand in the copy; then it must pass as well.
    fix: Callable[[Path], None] | None = None


KINDS = (
    Kind("new-response-fields-appended", _new_fields_appended),
    Kind("new-response-fields-first", _new_fields_first),
    Kind("new-request-enum-value", _new_request_enum_value),
    Kind("path-prefix", _path_prefix),
    Kind("new-error-status-with-body", _new_error_status),
    Kind(
        "new-required-request-property",
        _new_required_request_property,
        ("OrbitCreateIn.region", "dataforce/api/resources/orbits.py"),
    ),
    Kind(
        "renamed-response-property",
        _renamed_response_property,
        ("total_members", "dataforce/api/_contract.py"),
    ),
    Kind(
        "removed-response-property",
        _removed_response_property,
        ("permissions", "dataforce/api/_contract.py"),
        notes="the README documents it: DOCUMENTED_ATTRIBUTES lists what the README does",
    ),
    Kind(
        "type-change",
        _type_change,
        ("Orbit.total_members", "dataforce/api/_contract.py"),
    ),
    Kind(
        "new-operation",
        _new_operation,
        ("list_orbit_secrets", "dataforce/api/_operations.py"),
        fix=_leave_unexposed,
    ),
)


@dataclass
class Outcome:
    kind: Kind
    steps: dict[str, int] = field(default_factory=dict)
    drift: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def proved(self) -> bool:
        after = {step: code for step, code in self.steps.items() if step.startswith("fixed")}
        if self.kind.expected is None:
            return all(code == 0 for code in self.steps.values())
        named = "\n".join(self.drift)
        return (
            self.steps.get("drift") == 1
            and all(fragment in named for fragment in self.kind.expected)
            and all(code == 0 for code in after.values())
        )


def _copy_checkout(destination: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _run(copy: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(copy), str(copy / "generated")]),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return subprocess.run(argv, cwd=copy, env=env, capture_output=True, text=True, check=False)


def prove(kind: Kind, suite: bool) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(kind)
    with tempfile.TemporaryDirectory(prefix=f"loop-{kind.name}-") as scratch:
        copy = Path(scratch)
        _copy_checkout(copy)
        spec_path = copy / "openapi.yaml"
        baseline_path = copy / "dataforce" / "_spec_baseline.json"
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        baseline = json.loads(baseline_path.read_text(encoding="utf-8"))
        kind.edit(spec, baseline)
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        # The service published the change: the maintainer saves its document as well.
        text = json.dumps(baseline, indent=2, ensure_ascii=False) + "\n"
        baseline_path.write_text(text, encoding="utf-8")
        python = sys.executable
        generated = _run(copy, python, "scripts/generate.py")
        if generated.returncode == 0:  # `make generate` writes the reference pages too
            generated = _run(copy, python, "scripts/reference.py")
        outcome.steps["generate"] = generated.returncode
        if generated.returncode != 0:
            outcome.drift = (generated.stdout + generated.stderr).splitlines()[-5:]
            return outcome
        drift = _run(copy, python, "scripts/drift.py")
        outcome.steps["drift"] = drift.returncode
        outcome.drift = drift.stdout.splitlines()
        prefix = ""
        if kind.fix is not None:
            kind.fix(copy)
            prefix = "fixed "
            again = _run(copy, python, "scripts/drift.py")
            outcome.steps["fixed drift"] = again.returncode
            outcome.drift += [f"after the fix: {line}" for line in again.stdout.splitlines()]
        if suite and (kind.expected is None or kind.fix is not None):
            tests = _run(copy, python, "-m", "pytest", "-q", "-x", "-p", "no:randomly")
            outcome.steps[prefix + "pytest"] = tests.returncode
            if tests.returncode != 0:
                outcome.drift += tests.stdout.splitlines()[-15:]
            mypy = _run(copy, str(Path(python).parent / "mypy"))
            outcome.steps[prefix + "mypy"] = mypy.returncode
            if mypy.returncode != 0:
                outcome.drift += mypy.stdout.splitlines()[-10:]
    outcome.seconds = time.perf_counter() - started
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="also run pytest and mypy")
    parser.add_argument("--kind", action="append", choices=[k.name for k in KINDS])
    args = parser.parse_args()
    chosen = [k for k in KINDS if not args.kind or k.name in args.kind]
    failed = 0
    for kind in chosen:
        outcome = prove(kind, args.suite)
        verdict = "proved" if outcome.proved else "NOT PROVED"
        failed += not outcome.proved
        steps = ", ".join(f"{step} {code}" for step, code in outcome.steps.items())
        print(f"{verdict:<10}  {kind.name:<32} {steps}  ({outcome.seconds:.0f} s)")
        for line in outcome.drift:
            print(f"            {line}")
        if kind.notes:
            print(f"            note: {kind.notes}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
