"""Compile openapi.yaml into the facade's own view of it: ``dataforce/api/_schema.py``.

openapi-python-client gives the generated layer (request builders, attrs models); the
facade needs other things from the same spec, and this module writes them, so that a
spec change reaches ``dataforce.api`` by ``make generate`` alone:

* **Response models**: a msgspec ``Struct`` per object schema an operation answers with
  (and every schema those reference), each property an attribute named as in the spec,
  with the spec's type. A schema whose properties include another's, identically, is
  generated as its subclass (``OrbitDetails(Orbit)``), so code written for the smaller
  one accepts the larger.
* **Operations**: method, path template, path parameters, retry class, request and
  response schema and documented statuses of every operation, by operationId.
* **Request fields**: name, type and constraints of every property of each request body
  schema, for the facade's validation before anything is sent.

Type mapping (the drift test, tests/test_drift.py, checks the facade against it):

================================  ==============================================
spec                              attribute
================================  ==============================================
``string``                        ``str``
``string``, ``format: uuid``      ``str``, 36 characters, checked as a UUID
``string``, ``format: date-time`` ``datetime`` with a timezone
``string`` with ``enum``          ``Literal[...]``
``integer`` / ``number``          ``int`` / ``float``
``boolean``                       ``bool``
``array``                         ``tuple[...]`` (immutable)
``object`` without properties     ``dict[str, Any]``
``$ref`` to an object schema      that schema's model
``{}``                            ``Any``
nullable (type list or anyOf)     ``... | None``
not required                      defaults to the spec's ``default``, else ``None``
================================  ==============================================

UUIDs stay ``str`` (as the reference documentation shows them) rather than
``uuid.UUID``: decoding 30,000 UUID objects for a list of 10,000 orbits would double
its cost and make every ID a garbage-collected object; the text is checked instead.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

HEADER = (
    "# Generated from openapi.yaml by scripts/facade_codegen.py (`make generate`).\n"
    "# Do not edit: change the spec and regenerate. `make check-generated` fails when\n"
    "# this file is not what the spec produces.\n"
)
_HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
# RFC 9110's idempotent methods; the spec's `x-dataforce-retry` overrides it per operation.
_RETRY_BY_METHOD = {
    "GET": "read",
    "HEAD": "read",
    "OPTIONS": "read",
    "PUT": "idempotent",
    "DELETE": "idempotent",
    "POST": "unsafe",
    "PATCH": "unsafe",
}
RETRY_CLASSES = ("read", "idempotent", "unsafe")


class SpecError(Exception):
    """The spec uses something this generator cannot map; the message says what."""


class _Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[_ref_name(schema["$ref"])]
        return schema

    def operations(self) -> list[dict[str, Any]]:
        found = []
        for path, item in self.document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in _HTTP_METHODS:
                if method not in item:
                    continue
                operation = item[method]
                if "operationId" not in operation:
                    raise SpecError(f"{method.upper()} {path} has no operationId")
                found.append(
                    {
                        "id": operation["operationId"],
                        "method": method.upper(),
                        "path": path,
                        "operation": operation,
                        "parameters": shared + operation.get("parameters", []),
                    }
                )
        return found


def _ref_name(ref: str) -> str:
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise SpecError(f"unsupported $ref {ref!r}: only {prefix}* is")
    return ref[len(prefix) :]


def _json_schema(content: dict[str, Any] | None) -> dict[str, Any] | None:
    if not content or "application/json" not in content:
        return None
    schema: dict[str, Any] | None = content["application/json"].get("schema")
    return schema


def _schema_name(spec: _Spec, schema: dict[str, Any] | None) -> str | None:
    """The component name of a body schema (or of its array's items)."""
    if schema is None:
        return None
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return _ref_name(schema["items"]["$ref"])
    return None


def _success(operation: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    for status, response in sorted(operation.get("responses", {}).items()):
        if str(status).startswith("2"):
            return int(status), _json_schema(response.get("content"))
    raise SpecError(f"operation {operation.get('operationId')} documents no 2xx response")


def _is_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null"


def _split_nullable(spec: _Spec, schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``(schema without null, nullable)`` for ``anyOf [X, null]`` and ``type: [X, null]``."""
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf")
        rest = [option for option in options if not _is_null(option)]
        if len(rest) != 1:
            raise SpecError(f"unsupported union {schema!r}: only `X or null` is")
        return rest[0], len(rest) < len(options)
    types = schema.get("type")
    if isinstance(types, list):
        rest = [t for t in types if t != "null"]
        if len(rest) != 1:
            raise SpecError(f"unsupported type list {types!r}: only [X, 'null'] is")
        return {**schema, "type": rest[0]}, len(rest) < len(types)
    return schema, False


class _Models:
    """The response models: which schemas, in which order, with which base."""

    def __init__(self, spec: _Spec) -> None:
        self.spec = spec
        self.order: list[str] = []

    def collect(self, name: str) -> None:
        if name in self.order:
            return
        schema = self.spec.schemas.get(name)
        if schema is None:
            raise SpecError(f"schema {name!r} is referenced but not defined")
        if schema.get("type") != "object" or "properties" not in schema:
            return
        for prop in schema["properties"].values():
            for ref in _refs(prop):
                self.collect(ref)
        self.order.append(name)

    def base_of(self, name: str) -> str | None:
        """The largest other model whose properties ``name`` repeats, identically."""
        schema = self.spec.schemas[name]
        best = None
        for other in self.order:
            if other == name:
                continue
            candidate = self.spec.schemas[other]
            props, mine = candidate["properties"], schema["properties"]
            if len(props) >= len(mine) or any(mine.get(k) != v for k, v in props.items()):
                continue
            if set(candidate.get("required", [])) != set(schema.get("required", [])):
                continue
            if list(mine)[: len(props)] != list(props):
                continue  # the subclass's attributes must come in the spec's order
            if best is None or len(props) > len(self.spec.schemas[best]["properties"]):
                best = other
        return best

    def ordered(self) -> list[str]:
        """Bases before subclasses, otherwise the order schemas were reached in."""
        done: list[str] = []

        def visit(name: str) -> None:
            if name in done:
                return
            base = self.base_of(name)
            if base is not None:
                visit(base)
            done.append(name)

        for name in self.order:
            visit(name)
        return done


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        found = [_ref_name(schema["$ref"])] if "$ref" in schema else []
        for value in schema.values():
            found += _refs(value)
        return found
    if isinstance(schema, list):
        return [ref for item in schema for ref in _refs(item)]
    return []


def annotation(spec: _Spec, schema: dict[str, Any], models: set[str]) -> str:
    """The Python annotation of a response property (see the module's type mapping)."""
    inner, nullable = _split_nullable(spec, schema)
    text = _annotation(spec, inner, models)
    return f"{text} | None" if nullable and text != "Any" else text


def _annotation(spec: _Spec, schema: dict[str, Any], models: set[str]) -> str:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        if name in models:
            return name
        return annotation(spec, spec.schemas[name], models)
    if not schema:
        return "Any"
    kind = schema.get("type")
    if "enum" in schema:
        return "Literal[" + ", ".join(repr(value) for value in schema["enum"]) + "]"
    if kind == "string":
        return {"uuid": "UUIDText", "date-time": "Timestamp"}.get(schema.get("format", ""), "str")
    if kind == "integer":
        return "int"
    if kind == "number":
        return "float"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        return f"tuple[{annotation(spec, schema.get('items', {}), models)}, ...]"
    if kind == "object" and "properties" not in schema:
        return "dict[str, Any]"
    raise SpecError(f"unsupported schema {schema!r}")


def _identifier(name: str) -> str:
    python = re.sub(r"\W", "_", name)
    if not python.isidentifier() or keyword.iskeyword(python) or python.startswith("_"):
        python = f"{python.lstrip('_')}_"
    return python


def _uuid_fields(spec: _Spec, schema: dict[str, Any]) -> list[str]:
    fields = []
    for name, prop in schema["properties"].items():
        inner, _ = _split_nullable(spec, prop)
        inner = spec.resolve(inner)
        if inner.get("type") == "string" and inner.get("format") == "uuid":
            fields.append(_identifier(name))
    return fields


def _nested_fields(spec: _Spec, schema: dict[str, Any], models: set[str]) -> list[tuple[str, str]]:
    """The attributes holding models, or arrays of them (their UUIDs are checked too)."""
    fields = []
    for name, prop in schema["properties"].items():
        inner, _ = _split_nullable(spec, prop)
        if inner.get("type") == "array":
            inner = inner.get("items", {})
        if "$ref" in inner and _ref_name(inner["$ref"]) in models:
            fields.append((_identifier(name), _ref_name(inner["$ref"])))
    return fields


def _model_source(spec: _Spec, name: str, base: str | None, models: set[str]) -> str:
    schema = spec.schemas[name]
    required = set(schema.get("required", []))
    inherited = spec.schemas[base]["properties"] if base else {}
    doc = (schema.get("description") or f"The spec's ``{name}`` schema.").strip()
    lines = [
        f"class {name}({base or 'Model'}, frozen=True, kw_only=True):",
        f'    """{_docstring(doc)}"""',
        "",
    ]
    for prop_name, prop in schema["properties"].items():
        if prop_name in inherited:
            continue
        python = _identifier(prop_name)
        text = annotation(spec, prop, models)
        rename = "" if python == prop_name else f"name={prop_name!r}"
        if prop_name in required:
            value = f" = msgspec.field({rename})" if rename else ""
        else:
            if "default" in prop:
                default = repr(prop["default"])
            else:
                default = "None"
                if not text.endswith("| None") and text != "Any":
                    text += " | None"
            value = f" = msgspec.field(default={default}, {rename})" if rename else f" = {default}"
        lines.append(f"    {python}: {text}{value}")
    uuid_fields = _uuid_fields(spec, schema)
    lines.append(f"    _uuid_fields: ClassVar[tuple[str, ...]] = {tuple(uuid_fields)!r}")
    nested = _nested_fields(spec, schema, models)
    if nested:
        lines.append(
            f"    _nested_fields: ClassVar[tuple[tuple[str, str], ...]] = {tuple(nested)!r}"
        )
    return "\n".join(lines)


def _docstring(text: str) -> str:
    text = text.replace('"""', "'''").replace("\\", "\\\\")
    first, _, rest = text.partition("\n")
    if not rest.strip():
        return first
    body = "\n".join(("    " + line).rstrip() for line in rest.strip().splitlines())
    return f"{first}\n\n{body}\n    "


def _request_fields(spec: _Spec, name: str) -> list[dict[str, Any]]:
    schema = spec.resolve(spec.schemas[name])
    required = set(schema.get("required", []))
    fields = []
    for prop_name, prop in schema.get("properties", {}).items():
        inner, nullable = _split_nullable(spec, prop)
        item = None
        if "$ref" in inner:
            resolved = spec.resolve(inner)
            if resolved.get("type") == "object":
                raise SpecError(f"{name}.{prop_name}: nested request objects need an array")
            inner = resolved
        if inner.get("type") == "array":
            items = inner.get("items", {})
            item = _ref_name(items["$ref"]) if "$ref" in items else None
        field = {
            "name": prop_name,
            "type": inner.get("type", "any"),
            "format": inner.get("format"),
            "required": prop_name in required,
            "nullable": nullable,
            "enum": tuple(inner["enum"]) if "enum" in inner else None,
            "min_length": inner.get("minLength"),
            "max_length": inner.get("maxLength"),
            "pattern": inner.get("pattern"),
            "items": item,
            "has_default": "default" in prop,
            "default": prop.get("default"),
        }
        fields.append(field)
    return fields


def generate(document: dict[str, Any]) -> str:
    """The source of ``dataforce/api/_schema.py`` for an OpenAPI document."""
    spec = _Spec(document)
    operations = spec.operations()
    models = _Models(spec)
    request_schemas: list[str] = []
    rows = []
    for op in operations:
        status, body = _success(op["operation"])
        response = _schema_name(spec, body)
        if response is not None:
            models.collect(response)
        request_body = op["operation"].get("requestBody", {})
        request = _schema_name(spec, _json_schema(request_body.get("content")))
        if request is not None and request not in request_schemas:
            request_schemas.append(request)
            for ref in _refs(spec.schemas[request]):
                if ref not in request_schemas and spec.schemas[ref].get("type") == "object":
                    request_schemas.append(ref)
        retry = op["operation"].get("x-dataforce-retry", _RETRY_BY_METHOD[op["method"]])
        if retry not in RETRY_CLASSES:
            raise SpecError(f"{op['id']}: x-dataforce-retry must be one of {RETRY_CLASSES}")
        params = re.findall(r"\{(\w+)\}", op["path"])
        template = op["path"]
        for index, param in enumerate(params):
            template = template.replace("{" + param + "}", "{" + str(index) + "}")
        statuses = tuple(sorted(int(s) for s in op["operation"].get("responses", {})))
        many = body is not None and body.get("type") == "array"
        rows.append(
            f"    {op['id']!r}: Operation(\n"
            f"        {op['id']!r},\n"
            f"        {op['method']!r},\n"
            f"        {op['path']!r},\n"
            f"        {template!r},\n"
            f"        params={tuple(params)!r},\n"
            f"        retry={retry!r},\n"
            f"        request={request!r},\n"
            f"        response={response!r},\n"
            f"        many={many!r},\n"
            f"        success={status!r},\n"
            f"        statuses={statuses!r},\n"
            "    ),"
        )
    ordered = models.ordered()
    names = set(ordered)
    classes = [_model_source(spec, name, models.base_of(name), names) for name in ordered]
    request_rows = []
    for name in request_schemas:
        fields = _request_fields(spec, name)
        entries = "".join(
            "        RequestField("
            + ", ".join(
                f"{key}={value!r}"
                for key, value in field.items()
                if key in ("name", "type")
                or (key == "default" and field["has_default"])
                or (value is not None and value is not False)
            )
            + "),\n"
            for field in fields
        )
        request_rows.append(f"    {name!r}: (\n{entries}    ),")
    exported = sorted(names)
    parts = [
        HEADER,
        '"""The facade\'s view of openapi.yaml: response models, operations, request fields.',
        "",
        "Models are immutable msgspec structs decoded straight from the response bytes; see",
        "``_models.Model`` for what they share. Never edit: see scripts/facade_codegen.py.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, ClassVar, Final, Literal",
        "",
        "import msgspec",
        "",
        "from ._models import Model, Operation, RequestField, Timestamp, UUIDText",
        "",
        f"__all__ = {exported!r}",
        "",
        "",
        "\n\n\n".join(classes),
        "",
        "",
        "#: Every operation of the spec, by operationId.",
        "OPERATIONS: Final[dict[str, Operation]] = {",
        *rows,
        "}",
        "",
        "#: The properties of every request body schema, in the spec's order.",
        "REQUEST_FIELDS: Final[dict[str, tuple[RequestField, ...]]] = {",
        *request_rows,
        "}",
        "",
    ]
    return "\n".join(parts)


def write(document: dict[str, Any], target: Path) -> None:
    target.write_text(generate(document), encoding="utf-8")
