"""``dataforce spec diff``: what changed in the service's OpenAPI document since the baseline.

The baseline (``_spec_baseline.json``, shipped in the package) is the document the service
published when openapi.yaml was last reconciled with it. :func:`diff` compares it with the
service's current document, for the operations the SDK calls and every schema reachable
from them through ``$ref``, and classifies each difference for a client of the service:

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
    SDK uses.

A new enum value in a *response* is breaking: the facade's models decode enums strictly, so
a value they do not know fails validation until the spec is updated and regenerated. Key
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

__all__ = ["BASELINE", "USED_OPERATIONS", "Change", "SpecError", "add_arguments", "diff", "main"]

BASELINE = Path(__file__).with_name("_spec_baseline.json")
FETCH_TIMEOUT = 30.0  # seconds; the document is small, a slow answer is a broken one

# The service's operations the SDK calls, by the service's operationId (openapi.yaml uses
# shorter ones: an operation is found by its method and path when its operationId
# changed). tests/test_spec_diff.py checks these are openapi.yaml's operations, bucket
# secrets aside (the SDK does not use them).
USED_OPERATIONS: tuple[str, ...] = (
    "get_available_organizations_users_me_organizations_get",
    "get_organization_orbits_organizations__organization_id__orbits_get",
    "create_orbit_organizations__organization_id__orbits_post",
    "get_orbit_details_organizations__organization_id__orbits__orbit_id__get",
    "update_orbit_organizations__organization_id__orbits__orbit_id__patch",
    "delete_orbit_organizations__organization_id__orbits__orbit_id__delete",
)

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

    def find(self, operation_id: str) -> tuple[str, str, dict[str, Any]] | None:
        for method, path, operation in self.operations():
            if operation.get("operationId") == operation_id:
                return method, path, operation
        return None

    def at(self, method: str, path: str) -> dict[str, Any] | None:
        operation = _dict(_dict(self.data["paths"].get(path)).get(method))
        return operation or None

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
    changes: dict[tuple[str, str], Kind] = field(default_factory=dict)  # insertion-ordered
    _queue: list[tuple[str, str, Direction]] = field(default_factory=list)
    _done: set[tuple[str, str, Direction]] = field(default_factory=set)

    def report(self, breaking: bool, where: str, what: str) -> None:
        if breaking or (where, what) not in self.changes:
            self.changes[(where, what)] = "breaking" if breaking else "additive"

    # ---- operations

    def operations(self) -> None:
        used_paths: set[str] = set()
        for operation_id in USED_OPERATIONS:
            found = self.old.find(operation_id)
            if found is None:
                raise SpecError(f"the baseline has no operation {operation_id}")
            method, path, old = found
            used_paths.add(path)
            where = f"{method.upper()} {path}"
            moved = self.new.find(operation_id)
            if moved is not None and moved[:2] != (method, path):
                self.report(True, where, f"moved to {moved[0].upper()} {moved[1]}")
            _, new_path, new = moved or (method, path, self.new.at(method, path))
            if new is None:
                self.report(True, where, "operation removed")
                continue
            self.parameters(
                where, self.old.parameters(path, old), self.new.parameters(new_path, new)
            )
            self.request_body(where, old.get("requestBody"), new.get("requestBody"))
            self.responses(where, _dict(old.get("responses")), _dict(new.get("responses")))
        # A new operation elsewhere is none of the SDK's business; one on a path it uses is
        # something to consider exposing.
        for path in used_paths:
            old_item = _dict(self.old.data["paths"].get(path))
            new_item = _dict(self.new.data["paths"].get(path))
            for method in _METHODS:
                if isinstance(new_item.get(method), dict) and method not in old_item:
                    self.report(False, f"{method.upper()} {path}", "operation added")
        while self._queue:
            self.named_schema(*self._queue.pop(0))

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
        self.schema(where, old, new, direction)

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
                if (a.ref, b.ref, direction) not in self._done:
                    self._queue.append((a.ref, b.ref, direction))
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
        self.enum(where, _enum_values(old.node), _enum_values(new.node), response)
        if old.kind == "array":
            self.schema(f"{where}[]", old.node.get("items"), new.node.get("items"), direction)
        elif old.kind == "object":
            self.properties(where, old.node, new.node, direction)

    def enum(
        self, where: str, old: list[Any] | None, new: list[Any] | None, response: bool
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
                self.report(response, where, f"enum values added: {_values(added)}")
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


def diff(baseline: object, current: object) -> list[Change]:
    """What changed from ``baseline`` to ``current`` (parsed OpenAPI documents) in the
    operations the SDK uses and the schemas they reach; empty when nothing did."""
    differ = _Differ(_Document.of(baseline, "the baseline"), _Document.of(current, "the document"))
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
        "--save",
        action="store_true",
        help="then write the current document over the baseline file (exit 0)",
    )


def main(args: argparse.Namespace) -> int:
    """Run ``dataforce spec diff`` with the parsed ``args``: print the changes (one a line
    and a summary, or with ``--json`` one JSON object); return 0 (no change, or saved with
    ``--save``) or 1 (changes); raise SpecError on anything unreadable."""
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
