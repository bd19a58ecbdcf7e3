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
  edit — the kind's ``expected`` fragments must all be among them. Where the kind has a
  ``fix``, it makes those edits at the places the messages list (``file:line``, parsed
  from drift's output: nowhere else), `make generate` runs again, and drift must pass
  (with ``--suite``: the suite and mypy too). A kind whose edits at those places mean a
  decision (what replaces a removed attribute, what a string count means) has no fix,
  and says so in its notes.

``--keep`` keeps each copy (its path is printed) to look at what the fix did.

The copy is made of the tracked files (``git ls-files``) and run with the checkout's
virtualenv, the copy first on ``PYTHONPATH`` so that its own ``dataforce`` and
``dataforce_openapi`` are the ones imported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _brackets import closing

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
    """total_members renamed members_count, where it was (a move is another change)."""
    for document in (spec, baseline):
        for name in ("Orbit", "OrbitDetails"):
            properties = _schemas(document)[name]["properties"]
            _schemas(document)[name]["properties"] = {
                ("members_count" if key == "total_members" else key): value
                for key, value in properties.items()
            }


def _removed_response_property(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        for name in ("Orbit", "OrbitDetails"):
            _schemas(document)[name]["properties"].pop("permissions")


def _type_change(spec: Spec, baseline: Spec) -> None:
    for document in (spec, baseline):
        for name in ("Orbit", "OrbitDetails"):
            _schemas(document)[name]["properties"]["total_members"] = {"type": "string"}


def _new_operation(spec: Spec, baseline: Spec) -> None:
    """One orbit secret by ID, described as the service's document does (its list,
    ``list_orbit_secrets``, is exposed as ``orbits.secrets()``; its schema may be in the
    spec already, and is then not added twice)."""
    orbit_path = next(p for p in spec["paths"] if p.endswith("/orbits/{orbit_id}"))
    one = "/secrets/{secret_id}"
    operation = next(
        item["get"]
        for path, item in baseline["paths"].items()
        if path.endswith("/orbits/{orbit_id}" + one)
    )
    spec["paths"][orbit_path + one] = {
        "get": {**json.loads(json.dumps(operation)), "operationId": "get_orbit_secret"}
    }
    _schemas(spec).setdefault("OrbitSecretOut", _schemas(baseline)["OrbitSecretOut"])


# --- the edits drift names, made at the places it names ---------------------------------

#: A named place: ``    path:line: text`` under its message's headline.
PLACE = re.compile(r"^    (?P<path>[^\s:][^:]*):(?P<line>\d+): ")


def named_places(drift: list[str], headline: str) -> list[tuple[str, int]]:
    """The places listed under the first line of the drift output holding ``headline``
    (up to the next line that is not a place)."""
    start = next(i for i, line in enumerate(drift) if headline in line and not PLACE.match(line))
    places = []
    for line in drift[start + 1 :]:
        match = PLACE.match(line)
        if match is None:
            break
        places.append((match["path"], int(match["line"])))
    if any("more (all of them" in line for line in drift[start + 1 : start + 2 + len(places)]):
        raise SystemExit(f"drift's list under {headline!r} is capped: raise MAX_PLACES")
    return places


def _edit_lines(copy: Path, places: list[tuple[str, int]], edit: Callable[[str], str]) -> None:
    for name, number in places:
        path = copy / name
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = edit(lines[number - 1])
        if changed == lines[number - 1]:
            raise SystemExit(f"{name}:{number}: drift named this line, the edit found nothing")
        lines[number - 1] = changed
        path.write_text("\n".join(lines), encoding="utf-8")


def _rename_members_count(copy: Path, drift: list[str]) -> None:
    """total_members -> members_count at each place drift names, and nowhere else."""
    places = named_places(drift, "places name 'total_members'")
    _edit_lines(copy, places, lambda line: re.sub(r"\btotal_members\b", "members_count", line))
    _format(copy, places)


def _format(copy: Path, places: list[tuple[str, int]]) -> None:
    """ruff format on the edited Python files (what the maintainer's editor does)."""
    files = sorted({name for name, _ in places if name.endswith(".py")})
    if files:
        _run(copy, str(Path(sys.executable).parent / "ruff"), "format", "--quiet", *files)


REGION = "eu-central-1"


def _offset(text: str, line: int, column: int = 0) -> int:
    """The offset in ``text`` of ``line`` (1-based) and the AST's ``column`` (UTF-8)."""
    rows = text.split("\n")
    return sum(len(row) + 1 for row in rows[: line - 1]) + len(
        rows[line - 1].encode()[:column].decode()
    )


def _closing(text: str, opening: int) -> int:
    """The offset of the ``)`` matching the ``(`` at ``opening`` (quotes skipped)."""
    index = closing(text, opening)
    if index is None:
        raise ValueError("no closing parenthesis")
    return index


def _pass_argument(text: str, line: int, method: str, value: str, keep_pragma: bool = False) -> str:
    """``region=<value>`` added to the call of ``method`` shown at ``line``: first when
    its first argument is a keyword one (as in shown code), else after the last one.

    ``keep_pragma``: a one-line call with a ``# type: ignore[...]`` that would grow too
    long gets ``region`` on a line of its own, the comment staying on its arguments'
    line (ruff format then puts one argument a line, the comment with the last of the
    call's own: the line mypy reports; appended after, the comment would follow the
    closing parenthesis)."""
    start = _offset(text, line)
    row = text.split("\n")[line - 1]
    code, pragma, rest = row.partition("  # type: ignore")
    opening = code.find(f".{method}(") + len(method) + 1
    if keep_pragma and pragma and len(code) + len(f", region={value}") > 100 and opening > 0:
        closing = _closing(code, opening)
        indent = " " * (len(code) - len(code.lstrip()))
        wrapped = (
            f"{code[: opening + 1]}\n{indent}    {code[opening + 1 : closing]},{pragma}{rest}\n"
            f"{indent}    region={value},\n{indent}{code[closing:]}"
        )
        return text[:start] + wrapped + text[start + len(row) :]
    found = re.compile(rf"\.{method}\(").search(text, start)
    if found is None or text.count("\n", start, found.start()) > 0:
        raise ValueError(f"no call of {method}")
    opening = found.end() - 1
    after = re.compile(r"(\s|\\n|\.\.\.)*").match(text, opening + 1)
    first = after.end() if after else opening + 1
    if re.compile(r"[A-Za-z_]\w*=(?!=)").match(text, first):
        return f"{text[:first]}region={value}, {text[first:]}"
    closing = _closing(text, opening)
    last = len(text[:closing].rstrip())
    before = text[last - 1]
    insert = {"(": f"region={value}", ",": f" region={value},"}.get(before, f", region={value}")
    return text[:last] + insert + text[last:]


def _add_required_region(copy: Path, drift: list[str]) -> None:
    """``region`` as drift asks: a keyword-only parameter of OrbitResourceBase.create,
    documented and sent; then at each place it names: each call passes it, each mirroring
    signature takes it, each hand-written body has it, the CLI has --region and each
    invocation passes it."""
    import ast

    touched: list[tuple[str, int]] = []
    # Each mirroring signature takes it, keyword-only.
    for name, number in sorted(
        named_places(drift, "signature that mirrors create's"), key=lambda p: (p[0], -p[1])
    ):
        path = copy / name
        text = path.read_text(encoding="utf-8")
        [function] = [
            node
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.lineno == number
        ]
        arguments = function.args
        if arguments.kwonlyargs:
            at, insert = arguments.kwonlyargs[0], "region: str, "
            where = _offset(text, at.lineno, at.col_offset)
        elif arguments.kwarg is not None:
            at, insert = arguments.kwarg, "*, region: str, "
            where = _offset(text, at.lineno, at.col_offset) - 2
        else:
            raise SystemExit(f"{name}:{number}: no place for a keyword-only parameter")
        path.write_text(text[:where] + insert + text[where:], encoding="utf-8")
        touched.append((name, number))
    # Each body written out by hand has it (the declaration's: the parameter).
    for name, number in sorted(
        named_places(drift, "body written out by hand"), key=lambda p: (p[0], -p[1])
    ):
        path = copy / name
        text = path.read_text(encoding="utf-8")
        value = "region" if name == "dataforce/api/resources/orbits.py" else f'"{REGION}"'
        nodes = [
            node
            for node in ast.walk(ast.parse(text))
            if getattr(node, "lineno", None) == number
            and (
                isinstance(node, ast.Dict)
                or (isinstance(node, ast.Call) and "OrbitCreateIn" in ast.unparse(node.func))
                or (isinstance(node, ast.Constant) and isinstance(node.value, str | bytes))
            )
        ]
        # A dict or the model's call, else JSON text (the leftmost on the line).
        node = min(nodes, key=lambda n: (isinstance(n, ast.Constant), n.col_offset))
        where = _offset(text, number, node.col_offset)
        if isinstance(node, ast.Dict):
            where, insert = where + 1, f'"region": {value}, '
        elif isinstance(node, ast.Constant):  # JSON text: its object's first key
            where, insert = text.index("{", where) + 1, f'"region": "{REGION}", '
        else:
            where, insert = text.index("(", where) + 1, f"region={value}, "
        path.write_text(text[:where] + insert + text[where:], encoding="utf-8")
        touched.append((name, number))
    # Each call (after the edits that add no line): by file, bottom-up, so that an edit
    # does not move the lines to come.
    calls = named_places(drift, "pass region=… at each call of create")
    for name, number in sorted(calls, key=lambda p: (p[0], -p[1])):
        path = copy / name
        text = path.read_text(encoding="utf-8")
        shown = text.split("\n")[number - 1].split(".create(", 1)[-1]
        quote = "'" if "'" in shown and '"' not in shown else '"'  # as the call around
        value = {"dataforce/cli.py": "args.region"}.get(name, f"{quote}{REGION}{quote}")
        try:
            text = _pass_argument(text, number, "create", value, keep_pragma=True)
        except ValueError as error:
            raise SystemExit(f"{name}:{number}: {error}") from None
        path.write_text(text, encoding="utf-8")
        touched.append((name, number))
    # The declaration (last: the places named in its file are edited by then).
    resource = copy / "dataforce/api/resources/orbits.py"
    text = resource.read_text(encoding="utf-8")
    declaration = (
        "        notify: bool | None = None,\n"
        "        **options: Unpack[CallOptions],\n"
        "    ) -> OrbitDetails:"
    )
    documented = (
        "            notify: Whether the service notifies the new members (its default: no).\n"
    )
    for old, new in (
        (
            declaration,
            declaration.replace("        **options", "        region: str,\n        **options"),
        ),
        (
            documented,
            documented
            + '            region: Region the orbit is created in, e.g. ``"eu-central-1"``.\n',
        ),
    ):
        if old not in text:
            raise SystemExit(f"dataforce/api/resources/orbits.py: no {old!r}")
        text = text.replace(old, new, 1)
    resource.write_text(text, encoding="utf-8")

    # The CLI: its option, then each invocation passes it.
    cli = copy / "dataforce/cli.py"
    text = cli.read_text(encoding="utf-8")
    anchor = "    create.set_defaults(handler=_orbits_create"
    option = (
        '    create.add_argument(\n        "--region", metavar="REGION", required=True,\n'
        '        help="region the orbit is created in, e.g. eu-central-1",\n    )\n'
    )
    if anchor not in text:
        raise SystemExit("dataforce/cli.py: no create.set_defaults")
    cli.write_text(text.replace(anchor, option + anchor, 1), encoding="utf-8")

    def invoke(line: str) -> str:
        quoted = re.search(r"""(['"])create\1,\s*""", line)
        if quoted:
            q = quoted[1]
            return f"{line[: quoted.end()]}{q}--region{q}, {q}{REGION}{q}, {line[quoted.end() :]}"
        return line.rstrip() + f" --region {REGION}"

    commands = named_places(drift, "--region option")
    _edit_lines(copy, commands, invoke)
    _format(
        copy,
        [*touched, *commands, ("dataforce/cli.py", 1), ("dataforce/api/resources/orbits.py", 1)],
    )


def _leave_unexposed(copy: Path, drift: list[str]) -> None:
    """The maintainer's answer to the new operation: left unexposed, with the reason."""
    operations = copy / "dataforce" / "api" / "_operations.py"
    text = operations.read_text(encoding="utf-8")
    entry = "NOT_EXPOSED: Final = {\n"
    reason = (
        '    "get_orbit_secret": "one secret by ID: orbits.secrets() lists them; add when asked",\n'
    )
    if entry not in text:
        raise SystemExit("dataforce/api/_operations.py: no NOT_EXPOSED")
    operations.write_text(text.replace(entry, entry + reason, 1), encoding="utf-8")


@dataclass(frozen=True)
class Kind:
    name: str
    edit: Callable[[Spec, Spec], None]
    #: None: regenerating is all it takes; else what the drift messages must name.
    expected: tuple[str, ...] | None = None
    notes: str = ""
    #: The edits drift asked for, made in the copy at the places its output (given) names;
    #: then `make generate`, drift, and with --suite the tests and mypy must pass.
    fix: Callable[[Path, list[str]], None] | None = None


KINDS = (
    Kind("new-response-fields-appended", _new_fields_appended),
    Kind("new-response-fields-first", _new_fields_first),
    Kind("new-request-enum-value", _new_request_enum_value),
    Kind("path-prefix", _path_prefix),
    Kind("new-error-status-with-body", _new_error_status),
    Kind(
        "new-required-request-property",
        _new_required_request_property,
        ("OrbitCreateIn.region", "dataforce/api/resources/orbits.py", "tests/_local.py:"),
        fix=_add_required_region,
        notes="after the fix, ruff check flags the 2 lines the insertion made too long "
        "(dataforce/cli.py's docstring, a string examples/demo.py prints): wrapped by hand",
    ),
    Kind(
        "renamed-response-property",
        _renamed_response_property,
        ("total_members", "dataforce/api/_contract.py", "tests/conftest.py:"),
        fix=_rename_members_count,
    ),
    Kind(
        "removed-response-property",
        _removed_response_property,
        ("permissions", "dataforce/api/_contract.py", "tests/test_models.py:"),
        notes="no fix: what replaces a removed attribute at each use (the CLI's column, "
        "the stand-in's records, tests asserting its values) is the maintainer's call; "
        "drift names the places, an automatic edit there would not be honest",
    ),
    Kind(
        "type-change",
        _type_change,
        ("Orbit.total_members", "dataforce/api/_contract.py", "tests/test_orbits.py:"),
        notes="no fix: a string where an integer was changes what each use means (the "
        "stand-in's counts, the CLI's column, tests' values and comparisons); drift names "
        "the places, an automatic edit there would not be honest",
    ),
    Kind(
        "new-operation",
        _new_operation,
        ("get_orbit_secret", "dataforce/api/_operations.py"),
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


def prove(kind: Kind, suite: bool, keep: bool = False) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(kind)
    with tempfile.TemporaryDirectory(prefix=f"loop-{kind.name}-") as scratch:
        copy = Path(scratch)
        if keep:
            copy = Path(tempfile.mkdtemp(prefix=f"loop-{kind.name}-"))
            outcome.drift.append(f"the copy is kept: {copy}")
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
            outcome.drift += (generated.stdout + generated.stderr).splitlines()[-5:]
            return outcome
        drift = _run(copy, python, "scripts/drift.py")
        outcome.steps["drift"] = drift.returncode
        outcome.drift += drift.stdout.splitlines()
        prefix = ""
        if kind.fix is not None:
            kind.fix(copy, outcome.drift)
            prefix = "fixed "
            # The loop again: `make generate` (the reference pages follow the docstrings).
            again = _run(copy, python, "scripts/generate.py")
            if again.returncode == 0:
                again = _run(copy, python, "scripts/reference.py")
            outcome.steps["fixed generate"] = again.returncode
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
    parser.add_argument("--keep", action="store_true", help="keep each copy (printed)")
    args = parser.parse_args()
    chosen = [k for k in KINDS if not args.kind or k.name in args.kind]
    failed = 0
    for kind in chosen:
        outcome = prove(kind, args.suite, args.keep)
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
