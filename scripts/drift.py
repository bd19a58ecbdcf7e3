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
   spec, with the type documented.
5. Every request property is a parameter of its resource method in every view (sync,
   async and their ``with_raw_response`` views), or — an optional one only — listed in
   ``_contract.REQUEST_NOT_EXPOSED`` with the reason; item schemas are the keys of their
   TypedDict; each view's method takes the parameters its declaration does.
6. Every generated model is exported by ``dataforce.api``.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import tempfile
import types
from pathlib import Path
from typing import Any, get_type_hints

import msgspec
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import generate  # noqa: E402

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
                problems.append(
                    f"openapi.yaml's {model} no longer has {attribute!r}, which the facade "
                    "documents and reads: a breaking change; restore it in openapi.yaml, or "
                    f"remove {model}.{attribute} from DOCUMENTED_ATTRIBUTES in "
                    "dataforce/api/_contract.py, from the README's models paragraph, and "
                    "every use of it"
                )
                continue
            now = spec_type(spec, props[attribute])
            if now != documented:
                problems.append(
                    f"openapi.yaml's {model}.{attribute} is now {now}, the facade documents "
                    f"{documented}: a breaking change; fix openapi.yaml, or change "
                    "DOCUMENTED_ATTRIBUTES in dataforce/api/_contract.py and the docs"
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
