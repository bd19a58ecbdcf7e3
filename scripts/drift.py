"""Does the facade (dataforce.api) still agree with openapi.yaml? The drift check.

`python scripts/drift.py` prints one line per disagreement and exits 1, or exits 0.
tests/test_drift.py runs it on the real spec (so `make test` fails on drift) and on
edited copies (to prove each kind of drift is caught). Every message says what to do:
which file to regenerate, or which entry of which file to add or change.

Checked:
1. ``generated/dataforce_openapi`` is what the spec produces (else: run `make generate`),
   and ``dataforce/api/_schema.py`` names every model the operations answer with.
2. Every operationId is used by the facade or listed, with a reason, as not exposed
   (``dataforce/api/_operations.py``: USED / NOT_EXPOSED), and no entry is stale; USED is
   exactly what the code sends (``ops.<operation>(...)`` calls, read from the source);
   the local server has a handler for each, and records its schemas fit.
3. Every property of every response schema is an attribute of its model, with the type
   the spec gives (msgspec's view of the model, compared with the spec's own words).
4. The attributes the facade documents (``dataforce/api/_contract.py``) are still in the
   spec, with the type documented; when one is not, the message lists, ``file:line``, every
   line of the repository's files that names it (:func:`uses_of`).
5. Every request property is a parameter of its resource method in every view (sync,
   async and their ``with_raw_response`` views), or — an optional one only — listed in
   ``_contract.REQUEST_NOT_EXPOSED`` with the reason; item schemas are the keys of their
   TypedDict; each view's method takes the parameters its declaration does. A new
   required one is needed by every request: the message lists each place that sends one
   (:func:`request_places`: calls, signatures mirroring the method, bodies written by
   hand, the CLI's command and its invocations).

The places are searched in the repository's files (``git ls-files``; in a copy that is
no checkout, the tree), but what is regenerated or is a spec (:data:`NOT_PLACES`). A
message is one headline, then its places, each on an indented line of its own.
6. Every generated model is exported by ``dataforce.api``.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_type_hints

import msgspec
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import generate  # noqa: E402
from _brackets import closing  # noqa: E402

SCHEMA_FILE = "dataforce/api/_schema.py"
REGENERATE = "generated/dataforce_openapi is out of date with openapi.yaml: run `make generate`"


def answered_models(operations: dict[str, Any]) -> dict[str, type]:
    """The models the operations the facade uses (``_operations.USED``) answer with, and
    those they hold, by name: what the facade must name. An operation it does not expose
    needs nothing of it."""
    from dataforce.api import _operations

    package = sys.modules[type(next(iter(operations.values()))).__module__.rsplit(".", 1)[0]]
    models = importlib.import_module(f"{package.__name__}.models")
    found: dict[str, type] = {}
    pending = [
        op.response
        for name, op in operations.items()
        if op.response is not None and name in _operations.USED
    ]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found[name] = getattr(models, name)
        pending += [nested.__name__ for _, nested in found[name]._nested_fields]
    return found


def generated_view(spec: dict[str, Any]) -> types.SimpleNamespace:
    """What ``make generate`` would give the facade for ``spec``: the package compiled
    into a scratch directory, imported under a name of its own."""
    scratch = Path(tempfile.mkdtemp(prefix="drift-"))
    name = f"dataforce_openapi_under_test_{len(_LOADED)}"
    path = scratch / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    generate.compile_into(scratch / name, path)
    sys.path.insert(0, str(scratch))
    _LOADED.append(name)
    api = importlib.import_module(f"{name}.api")
    return types.SimpleNamespace(OPERATIONS=api.OPERATIONS, MODELS=answered_models(api.OPERATIONS))


_LOADED: list[str] = []


def spec_type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    """A property's type in the spec's own words: ``uuid``, ``date-time``, ``string``,
    ``integer``, ``array<…>``, ``object``, the model name for a $ref; ``|null``."""
    names = spec.get("components", {}).get("schemas", {})
    nullable = False
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf") or []
        rest = [option for option in options if option.get("type") != "null"]
        nullable = len(rest) < len(options)
        schema = rest[0] if len(rest) == 1 else {"type": "union"}
    kinds = schema.get("type")
    if isinstance(kinds, list):
        nullable = nullable or "null" in kinds
        others = [kind for kind in kinds if kind != "null"]
        schema = {**schema, "type": others[0] if len(others) == 1 else "union"}
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = names.get(name, {})
        if target.get("type") == "object" and "properties" in target:
            text = name
        else:
            inner = spec_type(spec, target)
            nullable = nullable or inner.endswith("|null")
            text = inner.removesuffix("|null")
    elif schema.get("type") == "string" and schema.get("format") in ("uuid", "date-time"):
        text = schema["format"]
    elif "enum" in schema:
        text = "enum(" + ",".join(map(str, schema["enum"])) + ")"
    elif schema.get("type") == "array":
        text = f"array<{spec_type(spec, schema.get('items', {}))}>"
    else:
        text = schema.get("type", "any")
    return f"{text}|null" if nullable else text


def model_type(info: Any) -> str:
    """The same words for an attribute, from msgspec's view of the generated model."""
    insp = msgspec.inspect
    if isinstance(info, insp.UnionType):
        others = [t for t in info.types if not isinstance(t, insp.NoneType)]
        text = model_type(others[0]) if len(others) == 1 else "union"
        return f"{text}|null" if len(others) < len(info.types) else text
    if isinstance(info, insp.StrType):
        return "uuid" if (info.min_length, info.max_length) == (36, 36) else "string"
    if isinstance(info, insp.DateTimeType):
        return "date-time" if info.tz else "naive date-time"
    if isinstance(info, insp.LiteralType):
        return "enum(" + ",".join(map(str, info.values)) + ")"
    if isinstance(info, insp.VarTupleType):
        return f"array<{model_type(info.item_type)}>"
    if isinstance(info, insp.StructType):
        return info.cls.__name__
    simple = {
        insp.IntType: "integer",
        insp.FloatType: "number",
        insp.BoolType: "boolean",
        insp.DictType: "object",
        insp.AnyType: "any",
    }
    return simple.get(type(info), type(info).__name__)


def check(spec: dict[str, Any], schema: Any, stale: bool = False) -> list[str]:
    """Every disagreement between ``spec`` and the facade (``schema``: its OPERATIONS and
    MODELS), one message each; ``stale`` when generated/ is not what the spec gives."""
    problems: list[str] = []
    regenerate = REGENERATE
    if stale:
        problems.append(regenerate)
    answered = answered_models(schema.OPERATIONS)
    for name in sorted(set(answered) - set(schema.MODELS)):
        problems.append(
            f"model {name} is answered by an operation but not named by the facade: add it "
            f"to {SCHEMA_FILE}"
        )

    from dataforce.api import _contract, _operations

    # 2. operations
    operation_ids = {
        operation["operationId"]
        for item in spec.get("paths", {}).values()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    listed = set(_operations.USED) | set(_operations.NOT_EXPOSED)
    for operation_id in sorted(operation_ids - listed):
        problems.append(
            f"operation {operation_id!r} of openapi.yaml is neither used by the facade nor "
            "listed as not exposed: use it, or add it with the reason to NOT_EXPOSED in "
            "dataforce/api/_operations.py"
        )
    for operation_id in sorted(listed - operation_ids):
        problems.append(
            f"operation {operation_id!r} is no longer in openapi.yaml: a breaking change; "
            "remove its use and its entry in dataforce/api/_operations.py (USED / NOT_EXPOSED)"
        )
    if set(schema.OPERATIONS) != operation_ids:
        problems.append(regenerate)
    sent = sent_operations()
    for operation_id in sorted(set(_operations.USED) - sent):
        problems.append(
            f"operation {operation_id!r} is listed as USED in dataforce/api/_operations.py "
            "but no code sends it: call it from a flow (dataforce/api/resources/, _config.py) "
            "or the CLI, or move it to NOT_EXPOSED with the reason"
        )
    for operation_id in sorted(sent - set(_operations.USED)):
        problems.append(
            f"operation {operation_id!r} is sent by the SDK but not listed as USED in "
            "dataforce/api/_operations.py: add it with the methods that send it"
        )

    # 2b. the local server answers every operation, with records that fit the spec
    problems += local_server_problems(spec)

    # 3. response schemas against the generated models
    schemas = spec.get("components", {}).get("schemas", {})
    for name, model in schema.MODELS.items():
        if name not in schemas:
            problems.append(f"model {name} has no schema in openapi.yaml: {regenerate}")
            continue
        fields = {field.encode_name: field for field in msgspec.inspect.type_info(model).fields}
        for prop, prop_schema in schemas[name].get("properties", {}).items():
            expected = spec_type(spec, prop_schema)
            required = prop in schemas[name].get("required", [])
            if prop not in fields:
                problems.append(
                    f"{name}.{prop} is in openapi.yaml but not a model attribute: {regenerate}"
                )
                continue
            actual = model_type(fields[prop].type)
            if not required and not expected.endswith("|null") and "default" not in prop_schema:
                expected += "|null"  # not sent: None
            if actual != expected:
                problems.append(
                    f"{name}.{prop}: openapi.yaml says {expected}, the model has {actual}: "
                    f"{regenerate}"
                )
            if fields[prop].required != required:
                problems.append(f"{name}.{prop}: required-ness differs: {regenerate}")
        for prop in set(fields) - set(schemas[name].get("properties", {})):
            problems.append(f"{name}.{prop} is not in openapi.yaml any more: {regenerate}")

    # 4. what the facade documents
    for model, attributes in _contract.DOCUMENTED_ATTRIBUTES.items():
        props = schemas.get(model, {}).get("properties")
        if props is None:
            problems.append(
                f"openapi.yaml has no schema {model}, which the facade documents: a breaking "
                "change; restore it, or change DOCUMENTED_ATTRIBUTES in dataforce/api/_contract.py"
                " (and the code and docs that read it)"
            )
            continue
        for attribute, documented in attributes.items():
            if attribute not in props:
                uses = uses_of(attribute)
                problems.append(
                    f"openapi.yaml's {model} no longer has {attribute!r}, which the facade "
                    "documents and reads: a breaking change; restore it in openapi.yaml, or "
                    f"remove {model}.{attribute} from DOCUMENTED_ATTRIBUTES in "
                    "dataforce/api/_contract.py, from the README's models paragraph, and "
                    f"every use of it (renamed: rename it there) — {len(uses)} places name "
                    f"{attribute!r}:" + indented(uses)
                )
                continue
            now = spec_type(spec, props[attribute])
            if now != documented:
                uses = uses_of(attribute)
                problems.append(
                    f"openapi.yaml's {model}.{attribute} is now {now}, the facade documents "
                    f"{documented}: a breaking change; fix openapi.yaml, or change "
                    "DOCUMENTED_ATTRIBUTES in dataforce/api/_contract.py and the docs, and "
                    f"check each use of it for the new type — {len(uses)} places name "
                    f"{attribute!r}:" + indented(uses)
                )

    # 5. request properties, in every view of the resource (sync, async, raw responses)
    from dataforce import api
    from dataforce.api._resource import operations
    from dataforce.api.resources import orbits

    views = (
        orbits.OrbitResource,
        orbits.AsyncOrbitResource,
        orbits.OrbitResourceWithRawResponse,
        orbits.AsyncOrbitResourceWithRawResponse,
    )
    for request, method in _contract.REQUEST_METHODS.items():
        props = schemas.get(request, {}).get("properties", {})
        required = set(schemas.get(request, {}).get("required", []))
        allowed = _contract.REQUEST_NOT_EXPOSED.get(request, {})
        signatures = {view: inspect.signature(getattr(view, method)) for view in views}
        # The required properties every request gives today: what marks a place sending one.
        given = {
            prop
            for prop in required
            if all(prop in signature.parameters for signature in signatures.values())
        }
        for prop in props:
            lacking = [view for view, sig in signatures.items() if prop not in sig.parameters]
            if prop in required and prop in allowed:
                # Every request would lack it: the service refuses them all (422).
                problems.append(
                    f"{request}.{prop} is required by openapi.yaml and cannot be left out: "
                    "remove it from REQUEST_NOT_EXPOSED in dataforce/api/_contract.py and "
                    f"make it a parameter of OrbitResourceBase.{method} in "
                    "dataforce/api/resources/orbits.py"
                )
            elif lacking and prop not in allowed:
                names = ", ".join(f"{view.__name__}.{method}" for view in lacking)
                problems.append(
                    f"{request}.{prop} (openapi.yaml) is not a parameter of {names}: add it "
                    f"as a keyword-only argument of OrbitResourceBase.{method} in "
                    "dataforce/api/resources/orbits.py"
                    + (
                        " (it is required: every request needs it)"
                        + required_places(spec, request, method, prop, set(props), given)
                        if prop in required
                        else ", or add it with the reason to REQUEST_NOT_EXPOSED in "
                        "dataforce/api/_contract.py"
                    )
                )
        for prop in sorted(set(allowed) - set(props)):
            problems.append(
                f"REQUEST_NOT_EXPOSED lists {request}.{prop}, which openapi.yaml no longer "
                "has: remove the entry from dataforce/api/_contract.py"
            )
    # Every view takes what the declaration takes: a view's own method would drift apart.
    for method in operations(orbits.OrbitResourceBase):
        declared = inspect.signature(getattr(orbits.OrbitResourceBase, method)).parameters
        for view in views:
            if inspect.signature(getattr(view, method)).parameters != declared:
                problems.append(
                    f"{view.__name__}.{method} does not take the parameters "
                    f"OrbitResourceBase.{method} declares: remove the view's own {method} "
                    "from dataforce/api/resources/orbits.py (views derive theirs)"
                )
    for item_schema, typed_dict in _contract.REQUEST_ITEMS.items():
        props = set(schemas.get(item_schema, {}).get("properties", {}))
        keys = set(get_type_hints(getattr(api, typed_dict)))
        if props != keys:
            problems.append(
                f"{typed_dict} (dataforce/api/resources/orbits.py) has keys {sorted(keys)}, "
                f"openapi.yaml's {item_schema} has {sorted(props)}: make them agree"
            )

    # 6. exports
    for name in sorted(set(schema.MODELS) - set(api.__all__)):
        problems.append(
            f"model {name} is generated but not exported: add it to dataforce/api/__init__.py"
        )
    return problems


def sent_operations() -> set[str]:
    """The operations the SDK's code sends: every ``ops.<operation>(...)`` call in
    ``dataforce/api`` and the CLI (each builder of ``_operations`` is named for its
    operationId), read from the source, so that USED cannot list what nothing sends."""
    import ast

    sources = [*(ROOT / "dataforce" / "api").rglob("*.py"), ROOT / "dataforce" / "cli.py"]
    found: set[str] = set()
    for source in sources:
        if source.name == "_operations.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ops"
            ):
                found.add(node.func.attr)
    return found


def local_server_problems(spec: dict[str, Any]) -> list[str]:
    """What the local stand-in lacks for ``spec``: a handler per operation, records
    shaped as its schemas say (it names the file to change); nothing without the
    ``local`` extra."""
    try:
        from dataforce.testing._facade import LocalDataForce
        from dataforce.testing._shapes import SpecMismatch
    except ImportError:
        return []
    try:
        server = LocalDataForce(_spec=spec)
    except SpecMismatch as mismatch:
        return [str(mismatch)]
    from dataforce.api import _operations

    # An operation the SDK does not send may stay unimplemented (the stand-in answers 501).
    return [
        f"operation {operation_id!r} has no handler in the local server: the stand-in "
        "answers it 501; add one to HANDLERS in dataforce/testing/_handlers.py"
        for operation_id in server.unimplemented_operations
        if operation_id in _operations.USED
    ]


# --- the places a change reaches -------------------------------------------------------

#: Regenerated, or the spec itself (or a past one), or history: never a place to edit by
#: hand. ``make generate`` writes generated/, dataforce/openapi.yaml and docs/reference/
#: (scripts/reference.py); the baseline is the service's document, saved as published.
NOT_PLACES = (
    "generated/",
    "openapi.yaml",
    "dataforce/openapi.yaml",
    "dataforce/_spec_baseline.json",
    "tests/data/",
    "docs/reference/",
    "CHANGELOG.md",
    "LICENSE",
)
#: Beyond this many places a message lists the first ones and counts the rest.
MAX_PLACES = 120
#: What a walk of a tree that is not a git checkout skips (virtualenvs, caches, builds).
_UNTRACKED_DIRS = ("__pycache__", "build", "dist", "node_modules")


def _is_place(name: str) -> bool:
    return not any(
        name == excluded or (excluded.endswith("/") and name.startswith(excluded))
        for excluded in NOT_PLACES
    )


def tracked_files(root: Path = ROOT) -> list[str]:
    """The repository's files, relative to ``root``, that a maintainer edits: ``git
    ls-files`` in a checkout, else (a copy of the tracked files, as the maintainer loop's
    proof makes) every file under ``root`` but hidden directories, virtualenvs and caches;
    without what :data:`NOT_PLACES` lists."""
    import subprocess

    names: list[str] | None = None
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if Path(top).resolve() == root.resolve():
            listed = subprocess.run(
                ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
            ).stdout.decode()
            names = [name for name in listed.split("\0") if name and (root / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        names = None
    if names is None:
        names = [
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if path.is_file()
            and not any(
                part.startswith(".") or part in _UNTRACKED_DIRS or part.endswith(".egg-info")
                for part in path.relative_to(root).parts[:-1]
            )
        ]
    return sorted(name for name in names if _is_place(name))


def _read(root: Path, name: str) -> str | None:
    try:
        return (root / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _place(name: str, line_number: int, line: str) -> str:
    text = " ".join(line.split())
    return f"{name}:{line_number}: {text[:100] + ('…' if len(text) > 100 else '')}"


def uses_of(word: str, root: Path = ROOT) -> list[str]:
    """Every line of the tracked files that names ``word`` (as a whole word), as
    ``file:line: text``."""
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    found: list[str] = []
    for name in tracked_files(root):
        text = _read(root, name)
        if text is None or word not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                found.append(_place(name, number, line))
    return found


def indented(places: list[str]) -> str:
    """The places, one per indented line under the message's headline (capped)."""
    shown = places[:MAX_PLACES]
    text = "".join(f"\n    {place}" for place in shown)
    if len(places) > len(shown):
        text += f"\n    … and {len(places) - len(shown)} more (all of them: `git grep -n`)"
    return text


@dataclass(frozen=True)
class RequestPlaces:
    """Where a request schema's properties are given, beyond the method's declaration."""

    #: calls of the facade method (code, doctest and Markdown examples, shown code)
    calls: list[str]
    #: functions that mirror the method's parameters (protocols, stand-ins)
    signatures: list[str]
    #: request bodies written out by hand (dict displays with the schema's keys)
    bodies: list[str]
    #: the CLI's subcommand for the method, and the lines invoking it
    subcommand: list[str]
    commands: list[str]


def _sending_words(spec: dict[str, Any], schema: str, method: str) -> str:
    """A pattern for the words that say code sends ``schema``: the facade's ``method``,
    and the operationId and HTTP method of each operation whose body it is."""
    words = {re.escape(method)}
    for item in spec.get("paths", {}).values():
        for verb, operation in item.items():
            body = operation.get("requestBody", {}) if isinstance(operation, dict) else {}
            refs = [
                media.get("schema", {}).get("$ref", "")
                for media in body.get("content", {}).values()
            ]
            if any(ref.rsplit("/", 1)[-1] == schema for ref in refs):
                words |= {re.escape(operation.get("operationId", method)), rf"\b{verb}\b"}
    return "|".join(sorted(words))


def required_places(
    spec: dict[str, Any],
    request: str,
    method: str,
    prop: str,
    properties: set[str],
    given: set[str],
) -> str:
    """What a new required request property asks beyond the declaration: every place that
    sends the request (:func:`request_places`), each under what to do there."""
    from dataforce.api import _contract

    schemas = spec.get("components", {}).get("schemas", {})
    others = {
        _sending_words(spec, other, other_method): set(schemas.get(other, {}).get("properties", {}))
        for other, other_method in _contract.REQUEST_METHODS.items()
        if other != request
    }
    words = _sending_words(spec, request, method)
    found = request_places(request, method, properties, given, words, others)
    parts = [
        f"; put it into the body OrbitResourceBase.{method} builds, document it in its "
        f"docstring, then pass {prop}=… at each call of {method} — {len(found.calls)} "
        "places:" + indented(found.calls)
    ]
    if found.signatures:
        parts.append(
            f"\n  add {prop} (keyword-only) to each signature that mirrors {method}'s — "
            f"{len(found.signatures)} places:" + indented(found.signatures)
        )
    if found.bodies:
        parts.append(
            f"\n  add {prop!r} to each {request} body written out by hand — "
            f"{len(found.bodies)} places:" + indented(found.bodies)
        )
    if found.subcommand:
        option = "--" + prop.replace("_", "-")
        where = ", ".join(place.split(": ", 1)[0] for place in found.subcommand)
        parts.append(
            f"\n  give the CLI's `orbits {method}` ({where}) a required {option} option, "
            f"passed as {prop}=, and pass {option} at each invocation — "
            f"{len(found.commands)} places:" + indented(found.commands)
        )
    parts.append(
        "\n  the local server needs no edit: it validates each request against the spec "
        "(a request without it is answered 422), and no answer holds it"
    )
    return "".join(parts)


def _a_whole_call(line: str, start: int) -> bool:
    """Whether the call opened just before ``start`` is shown whole: closed on the line,
    or continued on the next (the line ends with it, or a ``\\n`` escape follows)."""
    rest = line[start:]
    if not rest.strip() or rest.lstrip().startswith("\\n"):
        return True
    return closing(rest, 0, depth=1) is not None


def _by_place(places: list[str]) -> list[str]:
    def key(place: str) -> tuple[str, int]:
        name, line, _ = place.split(":", 2)
        return name, int(line)

    return sorted(set(places), key=key)


def request_places(
    schema: str,
    method: str,
    properties: set[str],
    required: set[str],
    words: str = "",
    others: dict[str, set[str]] | None = None,
    root: Path = ROOT,
) -> RequestPlaces:
    """The places that send a request of ``schema`` (its ``properties``; ``required``:
    those every request gives today) through the facade's ``method``, or by hand.

    * calls: in .py files, every ``<receiver>.<method>(...)`` whose receiver's source
      names ``orbits`` or ``raw`` (the resource, its raw-response view), read from the
      syntax tree; in any tracked text file, lines showing such a call that the tree does
      not (doctest examples, Markdown, code printed as text), not a fragment of one;
    * signatures: a ``def <method>`` or ``__call__`` whose parameters include every one of
      ``required``, but the declaration itself (in dataforce/api/resources/);
    * bodies: dict displays whose string keys are all ``properties`` and include every one
      of ``required``, JSON text opening an object whose keys are ``properties`` and some
      of ``required``, and calls of the generated model ``schema``; a body that fits the
      body of another request too (``others``: the words that send it -> its schema's
      properties) only where the code around it sends ``schema`` (says ``words``, case
      aside) and not the other: the key it is the value of, the statement, the statement
      using the name it is assigned to, or else the functions around it, inside out;
    * the CLI's subcommand (its ``_subparser``), and its invocations with arguments: in
      .py files, argument lists holding ``"orbits", "<method>", ...`` (the line of the
      method's word), and in any file lines invoking ``orbits <method> ...``.
    """
    import ast

    others = others or {}
    found = RequestPlaces([], [], [], [], [])
    # A call shown as text; ``orbits.create()`` in prose names the method, not a call.
    showing = re.compile(rf"\b(orbits|\w*raw\w*)(\([^()]*\))?\.{re.escape(method)}\((?!\))")
    command = re.compile(rf"""\borbits['"]?,?\s+['"]?{re.escape(method)}['"]?(,\s*|\s+)[-'"\w]""")

    def scan(name: str, text: str) -> None:  # one file
        lines = text.splitlines()
        code_lines: set[int] = set()

        def place(line: int) -> str:
            return _place(name, line, lines[line - 1])

        try:
            tree = ast.parse(text) if name.endswith(".py") else None
        except SyntaxError:
            tree = None
        # (first, last line) of each function, and of each statement
        scopes: list[tuple[int, int]] = []
        statements: list[tuple[int, int]] = []
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.stmt):
                first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
                statements.append((first, node.end_lineno or node.lineno))
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    scopes.append(statements[-1])

        def sends(text: str, fits: list[str]) -> bool | None:
            """Whether ``text`` sends the request and not another (None: it says neither)."""
            other = any(re.search(o, text, re.IGNORECASE) for o in fits)
            if re.search(words or re.escape(method), text, re.IGNORECASE):
                return not other
            return False if other else None

        def innermost(line: int, ranges: list[tuple[int, int]]) -> str:
            around = [r for r in ranges if r[0] <= line <= r[1]]
            first, last = min(around, key=lambda r: r[1] - r[0]) if around else (line, line)
            return "\n".join(lines[first - 1 : last])

        keyed: dict[int, str] = {}  # id() of a dict display -> the key it is the value of
        assigned: dict[int, str] = {}  # id() of a dict display -> the name it is assigned
        uses: dict[str, list[int]] = {}  # name -> the lines of the statements reading it
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        keyed[id(value)] = key.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                if isinstance(node.targets[0], ast.Name):
                    assigned[id(node.value)] = node.targets[0].id
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                uses.setdefault(node.id, []).append(node.lineno)

        def decided(node: ast.expr, fits: list[str]) -> bool:
            if id(node) in keyed and (said := sends(keyed[id(node)], fits)) is not None:
                return said
            said = sends(innermost(node.lineno, statements), fits)
            if said is None and id(node) in assigned:
                later = [n for n in uses.get(assigned[id(node)], []) if n > node.lineno]
                if later:
                    said = sends(innermost(min(later), statements), fits)
            around = [r for r in scopes if r[0] <= node.lineno <= r[1]]
            for first, last in sorted(around, key=lambda r: r[1] - r[0]):  # inside out
                if said is None:
                    said = sends("\n".join(lines[first - 1 : last]), fits)
            return bool(said)

        for node in ast.walk(tree) if tree is not None else ():
            # The CLI's command in an argument list: "orbits", "<method>", then arguments.
            items: list[ast.expr] = []
            if isinstance(node, ast.List | ast.Tuple):
                items = node.elts
            elif isinstance(node, ast.Call):
                items = node.args
            constants = [item.value if isinstance(item, ast.Constant) else None for item in items]
            for index in range(len(constants) - 2):
                if constants[index : index + 2] == ["orbits", method]:
                    found.commands.append(place(items[index + 1].lineno))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == method
                and re.search(r"orbits|raw", ast.unparse(node.func.value))
            ):
                line = node.func.end_lineno or node.lineno
                code_lines.add(line)
                found.calls.append(place(line))
            elif isinstance(node, ast.Call) and schema in (
                getattr(node.func, "id", None),
                getattr(node.func, "attr", None),
            ):
                found.bodies.append(place(node.lineno))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args
                parameters = {
                    a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
                }
                if (
                    node.name in (method, "__call__")
                    and required <= parameters
                    and not name.startswith("dataforce/api/resources/")
                ):
                    found.signatures.append(place(node.lineno))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
                # A body written as JSON text: an object whose keys are the schema's.
                raw = (
                    node.value.decode(errors="replace")
                    if isinstance(node.value, bytes)
                    else node.value
                )
                opened = re.search(r'\{\s*"(\w+)"\s*:', raw)
                keys = set(re.findall(r'"(\w+)"\s*:', raw))
                if not (opened and keys <= properties and keys & required):
                    continue
                fits = [other for other, props in others.items() if keys <= props]
                if fits and not decided(node, fits):
                    continue
                found.bodies.append(place(node.lineno))
            elif isinstance(node, ast.Dict):
                keys = [k.value if isinstance(k, ast.Constant) else k for k in node.keys]
                if not all(k is None or isinstance(k, str) for k in keys):
                    continue
                named = {k for k in keys if isinstance(k, str)}
                if not (required and required <= named <= properties):
                    continue
                # Also another method's body? Then the statement, else the function, says.
                fits = [other for other, props in others.items() if named <= props]
                if fits and not decided(node, fits):
                    continue
                found.bodies.append(place(node.lineno))
        for number, line in enumerate(lines, 1):
            shown = showing.search(line)
            if number not in code_lines and shown and _a_whole_call(line, shown.end()):
                found.calls.append(place(number))
            if command.search(line):
                found.commands.append(place(number))
            if name == "dataforce/cli.py" and "_subparser(" in line and f'"{method}"' in line:
                found.subcommand.append(place(number))

    for name in tracked_files(root):
        text = _read(root, name)
        if text is not None:
            scan(name, text)
    return RequestPlaces(*(_by_place(places) for places in vars(found).values()))


def is_stale(spec: Path = generate.SPEC) -> bool:
    """Whether generated/ differs from what ``spec`` compiles into."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / generate.PACKAGE
        generate.compile_into(fresh, spec)
        return generate.tree(fresh) != generate.tree(generate.TARGET)


def main() -> int:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    from dataforce.api import _schema

    problems = check(spec, _schema, is_stale())
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
