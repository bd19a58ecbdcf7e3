"""``dataforce spec diff``: what changed in the service's OpenAPI document since the baseline.

The baseline (``_spec_baseline.json``, shipped in the package) is the document the service
published when openapi.yaml was last reconciled with it. :func:`diff` compares it with the
service's current document, for the operations the SDK calls and every schema reachable
from them through ``$ref``, and classifies each difference for a client of the service.

Operations are found by method and path template, never by ``operationId`` (FastAPI
derives those from the path, so they change whenever a path does): first at the SDK's own
path (openapi.yaml's), then at a path that differs from it only by leading literal
segments — a version prefix such as ``/v1`` added, removed or changed — and by the names
of its parameters. An operation found at different paths in the two documents is
reported as moved, then compared like any other. Each difference is:

``breaking``
    a call the SDK makes today may now fail or decode wrongly: an operation, status,
    parameter, media type or property removed or moved; a new required request property or
    parameter; a type, format or enum that now lets the service send (or no longer lets the
    SDK send) values it did before; a response property no longer required; a new success
    status (its body is not what the SDK decodes).
``additive``
    nothing the SDK does today breaks, but there is something new to reach: a new property
    or optional parameter, a new error status (the SDK maps every error status to a typed
    error), a response type narrowed, a request type widened, a new operation on a path the
    SDK uses or beneath it.

A new enum value in a *response* is breaking where the facade's models decode the property
as a ``Literal`` (a value they do not know fails validation until the spec is updated and
regenerated), and additive where they decode it as an open ``str`` (``role``: new roles
may appear). Key
constraints (lengths, patterns, bounds), ``additionalProperties``, descriptions, examples,
titles and security are not compared.

The comparison is pure (two parsed documents in, :class:`Change` values out); :func:`main`
adds fetching, printing and ``--save``. Documents are untrusted input: any shape is read
without raising anything but :class:`SpecError`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "BASELINE",
    "Change",
    "SpecError",
    "add_arguments",
    "diff",
    "main",
    "used_operations",
]

BASELINE = Path(__file__).with_name("_spec_baseline.json")
FETCH_TIMEOUT = 30.0  # seconds; the document is small, a slow answer is a broken one
# A path found at another prefix differs from the SDK's by at most this many leading
# literal segments on each side (``/v1``, ``/api/v2``).
_MAX_PREFIX_SEGMENTS = 2


def used_operations() -> list[tuple[str, str]]:
    """The operations the SDK calls, as (method, path template) from openapi.yaml: the
    facade's operation table (``dataforce.api._operations.USED``), which the drift test
    keeps equal to the spec's operations the facade sends."""
    from dataforce.api._operations import USED
    from dataforce.api._schema import OPERATIONS

    return [(OPERATIONS[name].method.lower(), OPERATIONS[name].path) for name in USED]


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Kind = Literal["breaking", "additive"]
# Who reads the data: "response" (the SDK reads what the service sends) or "request" (the
# service reads what the SDK sends). The same change is breaking in one and additive in
# the other; a schema used in both gets the stricter verdict.
Direction = Literal["request", "response"]


class SpecError(Exception):
    """A document that cannot be fetched, read or parsed as an OpenAPI document."""


@dataclass(frozen=True)
class Change:
    """One difference: ``where`` is an operation (``GET /path``) or a schema location
    (``Orbit.name``), ``what`` says what happened there."""

    kind: Kind
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.kind:<8}  {self.where}: {self.what}"


# --------------------------------------------------------------------------- documents


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass
class _Document:
    data: dict[str, Any]
    name: str  # "the baseline", "the current document": for error messages

    @classmethod
    def of(cls, data: object, name: str) -> _Document:
        if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
            raise SpecError(f"{name} is not an OpenAPI document (it has no 'paths' object)")
        return cls(data, name)

    def resolve(self, node: object) -> tuple[str | None, dict[str, Any]]:
        """``node`` with its ``$ref`` chain followed; and the last ``$ref`` of the chain
        (None when ``node`` is no reference)."""
        last = None
        seen: set[str] = set()
        current = _dict(node)
        while isinstance(current.get("$ref"), str):
            ref: str = current["$ref"]
            if ref in seen:
                raise SpecError(f"{self.name}: $ref cycle at {ref}")
            seen.add(ref)
            if not ref.startswith("#/"):
                raise SpecError(f"{self.name}: only local $refs are supported, got {ref}")
            target: object = self.data
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise SpecError(f"{self.name}: unresolvable $ref {ref}")
                target = target[part]
            last = ref
            current = _dict(target)
        return last, current

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for path, item in self.data["paths"].items():
            for method in _METHODS:
                operation = _dict(item).get(method) if isinstance(path, str) else None
                if isinstance(operation, dict):
                    yield method, path, operation

    def locate(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """The operation ``method path`` as (its path here, itself): at ``path`` itself,
        else at the path that differs from it least by leading literal segments (see the
        module's docstring); None when there is none."""
        exact = _dict(_dict(self.data["paths"].get(path)).get(method))
        if exact:
            return path, exact
        wanted = _segments(path)
        best: tuple[int, str, dict[str, Any]] | None = None
        for candidate_method, candidate, operation in self.operations():
            if candidate_method != method:
                continue
            distance = _prefix_distance(wanted, _segments(candidate))
            if distance is not None and (best is None or distance < best[0]):
                best = (distance, candidate, operation)
        return None if best is None else (best[1], best[2])

    def parameters(self, path: str, operation: dict[str, Any]) -> dict[tuple[str, str], Any]:
        """The operation's parameters by (location, name), path-level ones included."""
        found: dict[tuple[str, str], Any] = {}
        path_item = _dict(self.data["paths"].get(path))
        for parameter in [*_list(path_item.get("parameters")), *_list(operation.get("parameters"))]:
            _, parameter = self.resolve(parameter)
            name, where = parameter.get("name"), parameter.get("in")
            if isinstance(name, str) and isinstance(where, str):
                found[(where, name.lower() if where == "header" else name)] = parameter
        return found


def _segments(path: str) -> list[str]:
    """A path template's segments, every parameter written ``{}``."""
    return ["{}" if part.startswith("{") else part for part in path.strip("/").split("/")]


def _prefix_distance(a: list[str], b: list[str]) -> int | None:
    """How many leading segments ``a`` and ``b`` differ by, when what follows is the same
    (and not empty) and what precedes it is literal, at most ``_MAX_PREFIX_SEGMENTS`` on
    each side; None when they are not the same path under another prefix."""
    common = 0
    while common < min(len(a), len(b)) and a[-1 - common] == b[-1 - common]:
        common += 1
    extra_a, extra_b = a[: len(a) - common], b[: len(b) - common]
    if common == 0 or max(len(extra_a), len(extra_b)) > _MAX_PREFIX_SEGMENTS:
        return None
    if any(part == "{}" for part in extra_a + extra_b):
        return None
    return len(extra_a) + len(extra_b)


def _beneath(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


# --------------------------------------------------------------------------- schema types


@dataclass(frozen=True)
class _Branch:
    """One alternative of a schema (of its anyOf/oneOf, or of its list of types)."""

    kind: str  # a JSON type ("string", "null", ...) or "any"
    node: dict[str, Any]
    ref: str | None  # the $ref of the schema it comes from, when it comes through one


def _kind_of_values(values: list[Any]) -> str:
    kinds = {type(value) for value in values}
    if kinds <= {str}:
        return "string"
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "integer"
    return "any"


def _branches(document: _Document, schema: object, depth: int = 0) -> list[_Branch]:
    if depth > 50:  # anyOf nested this deep is no schema anyone wrote: treat it as opaque
        return [_Branch("any", {}, None)]
    node = _dict(schema)
    if "$ref" in node:
        ref, target = document.resolve(node)
        return [
            _Branch(b.kind, b.node, b.ref or ref) for b in _branches(document, target, depth + 1)
        ]
    alternatives = _list(node.get("anyOf")) + _list(node.get("oneOf"))
    if alternatives:
        return [b for sub in alternatives for b in _branches(document, sub, depth + 1)]
    parts = _list(node.get("allOf"))
    if len(parts) == 1:
        return _branches(document, parts[0], depth + 1)
    if parts:
        node = _merged(document, parts)
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else _list(declared)
    types = [t for t in types if isinstance(t, str)]
    if not types:
        if "const" in node or isinstance(node.get("enum"), list):
            types = [_kind_of_values(_enum_values(node) or [])]
        elif "properties" in node:
            types = ["object"]
        elif "items" in node:
            types = ["array"]
        else:
            types = ["any"]
    if node.get("nullable") is True and "null" not in types:  # OpenAPI 3.0
        types.append("null")
    return [_Branch(kind, node, None) for kind in types]


def _merged(document: _Document, parts: list[Any]) -> dict[str, Any]:
    """An allOf of several objects, as one object."""
    properties: dict[str, Any] = {}
    required: list[Any] = []
    for part in parts:
        _, part = document.resolve(part)
        properties.update(_dict(part.get("properties")))
        required.extend(_list(part.get("required")))
    return {"type": "object", "properties": properties, "required": required}


def _enum_values(node: dict[str, Any]) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return values if isinstance(values, list) else None


def _name(ref: str) -> str:
    """``Orbit`` for ``#/components/schemas/Orbit``."""
    return ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _label(document: _Document, schema: object, depth: int = 0) -> str:
    """The schema's type for people: ``integer|null``, ``string(uuid)``,
    ``array[string]|null``, ``OrbitRole``."""

    def one(branch: _Branch) -> str:
        if branch.ref is not None and branch.kind != "null":
            return _name(branch.ref)
        if branch.kind == "array":
            items = "..." if depth > 3 else _label(document, branch.node.get("items"), depth + 1)
            return f"array[{items}]"
        fmt = branch.node.get("format")
        return f"{branch.kind}({fmt})" if isinstance(fmt, str) else branch.kind

    return "|".join(dict.fromkeys(one(branch) for branch in _branches(document, schema)))


def _covers(kinds: set[str], kind: str) -> bool:
    return kind in kinds or "any" in kinds or (kind == "integer" and "number" in kinds)


def _pair(
    old: list[_Branch], new: list[_Branch]
) -> tuple[list[tuple[_Branch, _Branch]], list[_Branch], list[_Branch]]:
    """Match alternatives of the same kind (the same $ref first); return the pairs and
    the alternatives left on each side."""
    left, right = list(old), list(new)
    pairs = []
    for same_ref in (True, False):
        for a in list(left):
            for b in right:
                if a.kind == b.kind and (not same_ref or a.ref == b.ref):
                    pairs.append((a, b))
                    left.remove(a)
                    right.remove(b)
                    break
    return pairs, left, right


# --------------------------------------------------------------------------- the diff


@dataclass
class _Differ:
    old: _Document
    new: _Document
    used: list[tuple[str, str]]
    changes: dict[tuple[str, str], Kind] = field(default_factory=dict)  # insertion-ordered
    _queue: list[tuple[str, str, Direction]] = field(default_factory=list)
    _done: set[tuple[str, str, Direction]] = field(default_factory=set)
    # Where each named schema is used from (``Orbit.role``), and the named schema being
    # compared: a response enum's new value is judged by the places that read it.
    _used_at: dict[tuple[str, str, Direction], set[str]] = field(default_factory=dict)
    _current: tuple[str, str, Direction] | None = None
    _new_enum_values: list[tuple[str, str, tuple[str, str, Direction]]] = field(
        default_factory=list
    )

    def report(self, breaking: bool, where: str, what: str) -> None:
        if breaking or (where, what) not in self.changes:
            self.changes[(where, what)] = "breaking" if breaking else "additive"

    # ---- operations

    def operations(self) -> None:
        roots: list[str] = []  # the paths of the used operations in the new document
        for method, sdk_path in self.used:
            old_found = self.old.locate(method, sdk_path)
            new_found = self.new.locate(method, sdk_path)
            if old_found is None and new_found is None:
                raise SpecError(
                    f"neither {self.old.name} nor {self.new.name} has the operation "
                    f"{method.upper()} {sdk_path} (or that path under another prefix)"
                )
            if new_found is None:
                assert old_found is not None
                self.report(True, f"{method.upper()} {old_found[0]}", "operation removed")
                continue
            new_path, new = new_found
            roots.append(new_path)
            where = f"{method.upper()} {new_path}"
            if old_found is None:
                self.report(False, where, "operation added")
                continue
            old_path, old = old_found
            if old_path != new_path:
                self.report(True, where, f"moved from {old_path} to {new_path}")
            self.parameters(
                where, self.old.parameters(old_path, old), self.new.parameters(new_path, new)
            )
            self.request_body(where, old.get("requestBody"), new.get("requestBody"))
            self.responses(where, _dict(old.get("responses")), _dict(new.get("responses")))
        while self._queue:
            self.named_schema(*self._queue.pop(0))
        for where, what, key in self._new_enum_values:
            places = self._used_at.get(key, set())
            self.report(not places or not all(map(_open_string, places)), where, what)
        # A new operation elsewhere is none of the SDK's business; one on a path it uses,
        # or beneath one (an orbit's members), is something to consider exposing.
        for method, path, _ in self.new.operations():
            if any(_beneath(path, root) for root in roots) and (
                self.old.locate(method, path) is None
            ):
                self.report(False, f"{method.upper()} {path}", "operation added")

    def parameters(
        self, where: str, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]
    ) -> None:
        for key, parameter in old.items():
            at = f"{where} {key[0]} parameter {key[1]}"
            if key not in new:
                self.report(True, at, "removed")
                continue
            was, now = parameter.get("required") is True, new[key].get("required") is True
            if was != now:
                self.report(now, at, "now required" if now else "no longer required")
            self.schema(at, parameter.get("schema"), new[key].get("schema"), "request")
        for key, parameter in new.items():
            if key not in old:
                required = parameter.get("required") is True
                label = _label(self.new, parameter.get("schema"))
                self.report(
                    required,
                    f"{where} {key[0]} parameter {key[1]}",
                    f"added ({label}, {'required' if required else 'optional'})",
                )

    def request_body(self, where: str, old: object, new: object) -> None:
        (_, old_body), (_, new_body) = self.old.resolve(old), self.new.resolve(new)
        if not old_body and not new_body:
            return
        was, now = old_body.get("required") is True, new_body.get("required") is True
        if not new_body:
            self.report(True, where, "request body removed")
            return
        if not old_body:
            self.report(now, where, f"request body added ({'required' if now else 'optional'})")
            return
        if was != now:
            self.report(
                now,
                where,
                "request body now required" if now else "request body no longer required",
            )
        self.content(f"{where} request", old_body, new_body, "request")

    def responses(self, where: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for status, response in old.items():
            if status not in new:
                self.report(True, where, f"status {status} removed")
                continue
            _, old_response = self.old.resolve(response)
            _, new_response = self.new.resolve(new[status])
            self.content(f"{where} {status} response", old_response, new_response, "response")
        for status in new:
            if status not in old:
                success = str(status).startswith("2") or status == "default"
                self.report(success, where, f"status {status} added")

    def content(
        self, where: str, old: dict[str, Any], new: dict[str, Any], direction: Direction
    ) -> None:
        old_content, new_content = _dict(old.get("content")), _dict(new.get("content"))
        for media_type, media in old_content.items():
            at = where if media_type == "application/json" else f"{where} ({media_type})"
            if media_type not in new_content:
                self.report(True, where, f"media type {media_type} removed")
                continue
            old_schema = _dict(media).get("schema")
            new_schema = _dict(new_content[media_type]).get("schema")
            if old_schema is None and new_schema is None:
                continue
            if new_schema is None:
                self.report(True, at, "schema removed")
            elif old_schema is None:
                self.report(False, at, f"schema added ({_label(self.new, new_schema)})")
            else:
                self.schema(at, old_schema, new_schema, direction)
        for media_type in new_content:
            if media_type not in old_content:
                self.report(direction == "response", where, f"media type {media_type} added")

    # ---- schemas

    def named_schema(self, old_ref: str, new_ref: str, direction: Direction) -> None:
        """A schema both documents refer to, compared once per direction and reported
        under its own name rather than under each place that uses it."""
        if (old_ref, new_ref, direction) in self._done:
            return
        self._done.add((old_ref, new_ref, direction))
        old_name, new_name = _name(old_ref), _name(new_ref)
        where = old_name if old_name == new_name else f"{old_name} (now {new_name})"
        _, old = self.old.resolve({"$ref": old_ref})
        _, new = self.new.resolve({"$ref": new_ref})
        self._current = (old_ref, new_ref, direction)
        try:
            self.schema(where, old, new, direction)
        finally:
            self._current = None

    def schema(self, where: str, old: object, new: object, direction: Direction) -> None:
        old_branches, new_branches = _branches(self.old, old), _branches(self.new, new)
        pairs, gone, added = _pair(old_branches, new_branches)
        if gone or added:
            old_kinds = {b.kind for b in old_branches}
            new_kinds = {b.kind for b in new_branches}
            # What the reader of the data may now meet, or may no longer send.
            widened = any(not _covers(old_kinds, b.kind) for b in added)
            narrowed = any(not _covers(new_kinds, b.kind) for b in gone)
            breaking = widened if direction == "response" else narrowed
            self.report(breaking, where, f"type {_label(self.old, old)} -> {_label(self.new, new)}")
        for a, b in pairs:
            if a.ref is not None and b.ref is not None and a.kind != "null":
                key = (a.ref, b.ref, direction)
                self._used_at.setdefault(key, set()).add(where)
                if key not in self._done:
                    self._queue.append(key)
                continue
            self.branch(where, a, b, direction)

    def branch(self, where: str, old: _Branch, new: _Branch, direction: Direction) -> None:
        response = direction == "response"
        old_format, new_format = old.node.get("format"), new.node.get("format")
        if old_format != new_format:
            if old_format is None:
                self.report(not response, where, f"format {new_format} added")
            elif new_format is None:
                self.report(response, where, f"format {old_format} removed")
            else:
                self.report(True, where, f"format {old_format} -> {new_format}")
        self.enum(where, _enum_values(old.node), _enum_values(new.node), response, old.ref)
        if old.kind == "array":
            self.schema(f"{where}[]", old.node.get("items"), new.node.get("items"), direction)
        elif old.kind == "object":
            self.properties(where, old.node, new.node, direction)

    def enum(
        self,
        where: str,
        old: list[Any] | None,
        new: list[Any] | None,
        response: bool,
        ref: str | None = None,
    ) -> None:
        if old is None and new is None:
            return
        if old is None:
            self.report(not response, where, f"now restricted to {_values(new or [])}")
        elif new is None:
            self.report(response, where, f"no longer restricted to {_values(old)}")
        else:
            added = [value for value in new if value not in old]
            removed = [value for value in old if value not in new]
            if added:
                what = f"enum values added: {_values(added)}"
                if not response:
                    self.report(False, where, what)
                elif self._current is not None and ref is None and "." not in where:
                    # The named schema itself is the enum (``OrbitRole``): judged once
                    # every place that reads it is known.
                    self._new_enum_values.append((where, what, self._current))
                else:
                    self.report(not _open_string(where), where, what)
            if removed:
                self.report(not response, where, f"enum values removed: {_values(removed)}")

    def properties(
        self, where: str, old: dict[str, Any], new: dict[str, Any], direction: Direction
    ) -> None:
        response = direction == "response"
        old_properties, new_properties = _dict(old.get("properties")), _dict(new.get("properties"))
        old_required = {n for n in _list(old.get("required")) if isinstance(n, str)}
        new_required = {n for n in _list(new.get("required")) if isinstance(n, str)}
        for name, schema in old_properties.items():
            at = f"{where}.{name}"
            if name not in new_properties:
                self.report(True, at, "property removed")
                continue
            was, now = name in old_required, name in new_required
            if was and not now:
                self.report(response, at, "no longer required")
            elif now and not was:
                self.report(not response, at, "now required")
            self.schema(at, schema, new_properties[name], direction)
        for name, schema in new_properties.items():
            if name not in old_properties:
                required = name in new_required
                self.report(
                    required and not response,
                    f"{where}.{name}",
                    f"property added ({_label(self.new, schema)}, "
                    f"{'required' if required else 'optional'})",
                )


def _values(values: list[Any]) -> str:
    return ", ".join(json.dumps(value) for value in values)


def _open_string(where: str) -> bool:
    """Whether the facade decodes the property at ``where`` (``Orbit.role``) as an open
    ``str``, which takes a value the document did not list, rather than a ``Literal``."""
    import typing

    from dataforce.api import _schema

    model_name, _, name = where.partition(".")
    model = getattr(_schema, model_name, None)
    if (
        not name
        or not isinstance(model, type)
        or name not in getattr(model, "__struct_fields__", ())
    ):
        return False
    kinds = list(typing.get_args(typing.get_type_hints(model)[name])) or [
        typing.get_type_hints(model)[name]
    ]
    return str in kinds and not any(typing.get_origin(kind) is typing.Literal for kind in kinds)


def diff(
    baseline: object, current: object, used: list[tuple[str, str]] | None = None
) -> list[Change]:
    """What changed from ``baseline`` to ``current`` (parsed OpenAPI documents) in the
    operations ``used`` (method, path template; default: the SDK's, see
    :func:`used_operations`) and the schemas they reach; empty when nothing did."""
    differ = _Differ(
        _Document.of(baseline, "the baseline"),
        _Document.of(current, "the document"),
        used_operations() if used is None else used,
    )
    try:
        differ.operations()
    except RecursionError:
        raise SpecError("the document nests schemas too deeply to compare") from None
    return [Change(kind, where, what) for (where, what), kind in differ.changes.items()]


# --------------------------------------------------------------------------- the command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        metavar="SOURCE",
        nargs="?",
        help="URL or file of the service's current OpenAPI document (JSON) (default: "
        "BASE_URL/openapi.json)",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        type=Path,
        default=BASELINE,
        help="the document openapi.yaml was last reconciled with (default: the one this "
        "version of the SDK ships, dataforce/_spec_baseline.json)",
    )
    parser.add_argument(
        "--fail-on",
        choices=("breaking", "any"),
        default="any",
        help="which changes make the exit status 1: any change (the default), or only "
        "breaking ones (for a CI job that should stay green on additive changes)",
    )
    parser.add_argument(
        "--save",
        action="store_true",
        help="then write the current document over the baseline file (exit 0)",
    )


def main(args: argparse.Namespace) -> int:
    """Run ``dataforce spec diff`` with the parsed ``args``: print the changes (one a line
    and a summary, or with ``--json`` one JSON object); return 0 (no change — or none
    breaking with ``--fail-on breaking`` — or saved with ``--save``) or 1 (changes);
    raise SpecError on anything unreadable."""
    baseline_path: Path = args.baseline
    baseline = _parse(_read(baseline_path), str(baseline_path))
    current, label = _load(args)
    changes = diff(baseline, current)
    if args.json:
        listed = [{"kind": c.kind, "where": c.where, "what": c.what} for c in changes]
        print(json.dumps({"source": label, "changes": listed}, indent=2, ensure_ascii=False))
    elif changes:
        for change in changes:
            print(change)
        breaking = sum(change.kind == "breaking" for change in changes)
        print(f"{breaking} breaking, {len(changes) - breaking} additive: {label} vs the baseline")
    else:
        print(f"no change in the operations and schemas the SDK uses: {label} vs the baseline")
    if args.save:
        _save(baseline_path, current)
        # On stderr: stdout stays the report (valid JSON with --json).
        print(f"saved {label} as the baseline: {baseline_path}", file=sys.stderr)
        return 0
    if args.fail_on == "breaking":
        return 1 if any(change.kind == "breaking" for change in changes) else 0
    return 1 if changes else 0


def _load(args: argparse.Namespace) -> tuple[object, str]:
    source: str | None = args.source
    if source is None:
        from dataforce.api._base_client import DEFAULT_BASE_URL
        from dataforce.api._validation import ensure_api_key, ensure_base_url

        base_url = ensure_base_url(
            args.base_url or os.environ.get("DFS_BASE_URL") or DEFAULT_BASE_URL
        )
        key = args.api_key or os.environ.get("DFS_API_KEY") or None
        # The key goes only to the service the SDK talks to anyway, never to a SOURCE URL.
        url = f"{base_url}/openapi.json"
        return _parse(_fetch(url, None if key is None else ensure_api_key(key)), url), url
    if source.startswith(("http://", "https://")):
        return _parse(_fetch(source, None), source), source
    return _parse(_read(Path(source)), source), source


def _fetch(url: str, api_key: str | None) -> bytes:
    import httpx

    headers = {"Accept": "application/json"}
    if api_key is not None:
        headers["Authorization"] = f"Bearer {api_key}"
    try:
        # httpx drops the Authorization header on a redirect to another origin.
        response = httpx.get(url, headers=headers, timeout=FETCH_TIMEOUT, follow_redirects=True)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise SpecError(f"cannot fetch {url}: {error or type(error).__name__}") from None
    if response.status_code != 200:
        raise SpecError(
            f"cannot fetch {url}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
        )
    return response.content


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SpecError(f"cannot read {path}: {error.strerror or error}") from None


def _parse(body: bytes, label: str) -> object:
    try:
        document: object = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise SpecError(f"{label} is not a JSON document: {error}") from None
    _Document.of(document, label)
    return document


def _save(path: Path, document: object) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    scratch = path.with_name(f".{path.name}.tmp")
    try:
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, path)
    except OSError as error:
        scratch.unlink(missing_ok=True)
        raise SpecError(f"cannot write {path}: {error.strerror or error}") from None
