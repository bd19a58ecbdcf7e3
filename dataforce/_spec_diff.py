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
without raising anything but :class:`SpecError`, and whatever a document or the server
sending it does, the command ends soon and in little memory: a fetch takes at most
``--timeout`` seconds in all, a document at most :data:`MAX_DOCUMENT_SIZE` bytes decoded
and :data:`MAX_DOCUMENT_DEPTH` levels of nesting, a comparison at most :data:`MAX_STEPS`
steps on each document. Each bound passed is a :class:`SpecError`.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
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
# A document is untrusted input, and so is the server that sends it: every resource the
# command spends on one is bounded, and each bound passed is one SpecError.
#: Seconds a fetch may take in all (connecting, redirects, every byte, inflating), the
#: default of --timeout: the document is small, a slow answer is a broken one.
FETCH_TIMEOUT = 30.0
#: The largest document read, in bytes once decoded (the service's is about 230 KB).
MAX_DOCUMENT_SIZE = 16 << 20
#: The deepest a document may nest, arrays and objects (the service's nests 12): checked
#: on the bytes, before they are parsed, far below Python's recursion limit.
MAX_DOCUMENT_DEPTH = 64
#: The most work one comparison may do on a document, in steps (a schema node visited,
#: an alternative, a property, an enum value; see _Document.charge): the service's
#: document against itself takes about 500 (two milliseconds), the bound a second or two.
MAX_STEPS = 500_000
_MAX_REDIRECTS = 10
_MAX_ALTERNATIVE_DEPTH = 50  # anyOf/oneOf/allOf/$ref within each other
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
    # What the comparison did with this document so far, against MAX_STEPS.
    steps: int = 0
    # Each $ref's resolution and alternatives, computed once: a document's $refs may fan
    # out (A is anyOf [B, C], both anyOf [D, E], ...), and following every path through
    # them again at every use takes time exponential in the document's size.
    _resolved: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    _branches: dict[str, list[_Branch]] = field(default_factory=dict)
    _expanding: set[str] = field(default_factory=set)
    # The operations by (method, path segments less up to _MAX_PREFIX_SEGMENTS leading
    # literal ones, how many): see locate.
    _index: dict[tuple[str, tuple[str, ...], int], tuple[int, str, dict[str, Any]]] | None = None

    @classmethod
    def of(cls, data: object, name: str) -> _Document:
        if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
            raise SpecError(f"{name} is not an OpenAPI document (it has no 'paths' object)")
        return cls(data, name)

    def charge(self, steps: int) -> None:
        """Count ``steps`` of work on this document: past MAX_STEPS, it is refused. The
        caches keep a document's cost near its size, but comparing one schema at every
        place that inlines it (an allOf of schemas whose properties are allOfs again) is
        exponential, and legitimately so; the bound makes any document end, fast."""
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise SpecError(
                f"{self.name} is too complex to compare (more than {MAX_STEPS:,} steps; "
                "$refs or allOfs that fan out?)"
            )

    def resolve(self, node: object) -> tuple[str | None, dict[str, Any]]:
        """``node`` with its ``$ref`` chain followed; and the last ``$ref`` of the chain
        (None when ``node`` is no reference)."""
        current = _dict(node)
        first = current.get("$ref")
        if not isinstance(first, str):
            return None, current
        found = self._resolved.get(first)
        if found is not None:
            return found
        chain: list[str] = []
        seen: set[str] = set()
        while isinstance(current.get("$ref"), str):
            ref: str = current["$ref"]
            if ref in self._resolved:  # the rest of the chain is known
                last, current = self._resolved[ref]
                break
            if ref in seen:
                raise SpecError(f"{self.name}: $ref cycle at {ref}")
            seen.add(ref)
            chain.append(ref)
            if not ref.startswith("#/"):
                raise SpecError(f"{self.name}: only local $refs are supported, got {ref}")
            parts = ref[2:].split("/")
            self.charge(len(parts))
            target: object = self.data
            for part in parts:
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise SpecError(f"{self.name}: unresolvable $ref {ref}")
                target = target[part]
            last = ref
            current = _dict(target)
        for ref in chain:
            self._resolved[ref] = (last, current)
        return last, current

    def alternatives(self, ref: str, depth: int) -> list[_Branch]:
        """The branches of the schema ``ref`` names (see :func:`_branches`), computed once."""
        found = self._branches.get(ref)
        if found is None:
            if ref in self._expanding:
                # Only properties and items may lead back to a schema; an alternative of
                # itself (A is anyOf [A, ...]) describes nothing.
                raise SpecError(f"{self.name}: $ref cycle at {ref} (a schema among its own anyOf)")
            self._expanding.add(ref)
            try:
                last, target = self.resolve({"$ref": ref})
                found = [
                    _Branch(b.kind, b.node, b.ref or last)
                    for b in _branches(self, target, depth + 1)
                ]
            finally:
                self._expanding.discard(ref)
            self._branches[ref] = found
        self.charge(len(found))
        return found

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for path, item in self.data["paths"].items():
            for method in _METHODS:
                operation = _dict(item).get(method) if isinstance(path, str) else None
                if isinstance(operation, dict):
                    yield method, path, operation

    def locate(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """The operation ``method path`` as (its path here, itself): at ``path`` itself,
        else at the path that differs from it least by leading literal segments (see the
        module's docstring), the first in the document among equals; None when there is
        none.

        Looked up in an index rather than by scanning every operation: the command
        locates each operation of the other document beneath the SDK's paths, and a
        document of many operations would cost their number squared. Two paths are the
        same under another prefix when, less j leading literal segments of one and k of
        the other (j, k <= _MAX_PREFIX_SEGMENTS), what remains is equal and not empty; the
        index holds each operation under every (method, remainder, k), first come first
        kept, so a lookup tries the (j, k) pairs; the distance is the smallest j + k.
        """
        exact = _dict(_dict(self.data["paths"].get(path)).get(method))
        if exact:
            return path, exact
        index = self._operation_index()
        wanted = _segments(path)
        best: tuple[int, int, str, dict[str, Any]] | None = None
        for j, rest in _remainders(wanted):
            for k in range(_MAX_PREFIX_SEGMENTS + 1):
                entry = index.get((method, rest, k))
                if entry is not None and (best is None or (j + k, entry[0]) < best[:2]):
                    best = (j + k, *entry)
        return None if best is None else (best[2], best[3])

    def _operation_index(
        self,
    ) -> dict[tuple[str, tuple[str, ...], int], tuple[int, str, dict[str, Any]]]:
        if self._index is None:
            self._index = {}
            for order, (method, path, operation) in enumerate(self.operations()):
                for k, rest in _remainders(_segments(path)):
                    self._index.setdefault((method, rest, k), (order, path, operation))
        return self._index

    def parameters(self, path: str, operation: dict[str, Any]) -> dict[tuple[str, str], Any]:
        """The operation's parameters by (location, name), path-level ones included."""
        found: dict[tuple[str, str], Any] = {}
        path_item = _dict(self.data["paths"].get(path))
        listed = [*_list(path_item.get("parameters")), *_list(operation.get("parameters"))]
        self.charge(len(listed))
        for parameter in listed:
            _, parameter = self.resolve(parameter)
            name, where = parameter.get("name"), parameter.get("in")
            if isinstance(name, str) and isinstance(where, str):
                found[(where, name.lower() if where == "header" else name)] = parameter
        return found


def _segments(path: str) -> list[str]:
    """A path template's segments, every parameter written ``{}``."""
    return ["{}" if part.startswith("{") else part for part in path.strip("/").split("/")]


def _remainders(segments: list[str]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(j, the segments less the first j) for each j up to ``_MAX_PREFIX_SEGMENTS`` where
    those j are literal and something remains: what a path may share with the same path
    under another prefix."""
    for j in range(min(_MAX_PREFIX_SEGMENTS + 1, len(segments))):
        if j and segments[j - 1] == "{}":
            return
        yield j, tuple(segments[j:])


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
    """The schema's alternatives, each once (the same node of the same kind reached
    through the same $ref twice is one alternative). The list may be a cached one: it
    is not to be changed."""
    if depth > _MAX_ALTERNATIVE_DEPTH:
        # No schema anyone wrote; and a bound that depended on where a schema is first
        # met would make the cached alternatives depend on it too.
        raise SpecError(
            f"{document.name}: anyOf, oneOf, allOf and $ref nest more than "
            f"{_MAX_ALTERNATIVE_DEPTH} levels deep"
        )
    document.charge(1)
    node = _dict(schema)
    ref = node.get("$ref")
    if isinstance(ref, str):
        return document.alternatives(ref, depth)
    alternatives = _list(node.get("anyOf")) + _list(node.get("oneOf"))
    if alternatives:
        return _distinct(b for sub in alternatives for b in _branches(document, sub, depth + 1))
    parts = _list(node.get("allOf"))
    if len(parts) == 1:
        return _branches(document, parts[0], depth + 1)
    if parts:
        node = _merged(document, parts)
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else _list(declared)
    document.charge(len(types))
    types = list(dict.fromkeys(t for t in types if isinstance(t, str)))
    if not types:
        if "const" in node or isinstance(node.get("enum"), list):
            values = _enum_values(node) or []
            document.charge(len(values))
            types = [_kind_of_values(values)]
        elif "properties" in node:
            types = ["object"]
        elif "items" in node:
            types = ["array"]
        else:
            types = ["any"]
    if node.get("nullable") is True and "null" not in types:  # OpenAPI 3.0
        types.append("null")
    return [_Branch(kind, node, None) for kind in types]


def _distinct(branches: Iterable[_Branch]) -> list[_Branch]:
    found: dict[tuple[str, int, str | None], _Branch] = {}
    for branch in branches:
        # id(): the node is alive as long as the branch, held below.
        found.setdefault((branch.kind, id(branch.node), branch.ref), branch)
    return list(found.values())


def _merged(document: _Document, parts: list[Any]) -> dict[str, Any]:
    """An allOf of several objects, as one object."""
    properties: dict[str, Any] = {}
    required: list[Any] = []
    for part in parts:
        _, part = document.resolve(part)
        document.charge(1 + len(_dict(part.get("properties"))) + len(_list(part.get("required"))))
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
    the alternatives left on each side. Each old one, in order, takes the first new one
    left that matches: queued by what they match on, so that many alternatives on both
    sides cost their number, not its square."""
    paired_old, paired_new = [False] * len(old), [False] * len(new)
    pairs = []
    for same_ref in (True, False):
        waiting: dict[tuple[str, str | None], deque[int]] = {}
        for j, b in enumerate(new):
            if not paired_new[j]:
                waiting.setdefault((b.kind, b.ref if same_ref else None), deque()).append(j)
        for i, a in enumerate(old):
            queue = None if paired_old[i] else waiting.get((a.kind, a.ref if same_ref else None))
            if queue:
                j = queue.popleft()
                pairs.append((a, new[j]))
                paired_old[i] = paired_new[j] = True
    left = [a for i, a in enumerate(old) if not paired_old[i]]
    right = [b for j, b in enumerate(new) if not paired_new[j]]
    return pairs, left, right


# --------------------------------------------------------------------------- the diff


@dataclass
class _Differ:
    old: _Document
    new: _Document
    used: list[tuple[str, str]]
    changes: dict[tuple[str, str], Kind] = field(default_factory=dict)  # insertion-ordered
    _queue: deque[tuple[str, str, Direction]] = field(default_factory=deque)
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
            self.named_schema(*self._queue.popleft())
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
        self.old.charge(len(old))
        self.new.charge(len(new))
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
        self.old.charge(len(old_content))
        self.new.charge(len(new_content))
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
            # By key, not `in` the other list: two long enums would cost their product.
            old_keys = [_enum_key(self.old, value) for value in old]
            new_keys = [_enum_key(self.new, value) for value in new]
            old_set, new_set = set(old_keys), set(new_keys)
            added = [v for v, key in zip(new, new_keys, strict=True) if key not in old_set]
            removed = [v for v, key in zip(old, old_keys, strict=True) if key not in new_set]
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
        self.old.charge(len(old_properties) + len(old_required))
        self.new.charge(len(new_properties) + len(new_required))
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


def _enum_key(document: _Document, value: object) -> object:
    """An enum value as a set member: itself (Python's equality, as ``in`` a list), an
    array or object as its JSON text, charged by its length (a long one may be compared
    at every use of its schema)."""
    if isinstance(value, list | dict):
        text = json.dumps(value, sort_keys=True)
        document.charge(1 + len(text) // 64)
        return ("json", text)
    document.charge(1)
    return value


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
    hint = _hints(model)[name]
    kinds = list(typing.get_args(hint)) or [hint]
    return str in kinds and not any(typing.get_origin(kind) is typing.Literal for kind in kinds)


@functools.cache
def _hints(model: type) -> dict[str, Any]:
    """A facade model's type hints: evaluated once (a few of the facade's models, each
    asked once per place a new enum value is read)."""
    import typing

    return typing.get_type_hints(model)


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
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=FETCH_TIMEOUT,
        help="the most fetching the document may take in all, redirects and every byte "
        f"included (default: {FETCH_TIMEOUT:g})",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 3600:  # NaN included
        raise argparse.ArgumentTypeError(f"not a number of seconds from 0 to 3600: {text!r}")
    return value


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
    timeout: float = args.timeout
    if source is None:
        from dataforce.api._base_client import DEFAULT_BASE_URL
        from dataforce.api._validation import ensure_api_key, ensure_base_url

        base_url = ensure_base_url(
            args.base_url or os.environ.get("DFS_BASE_URL") or DEFAULT_BASE_URL
        )
        key = args.api_key or os.environ.get("DFS_API_KEY") or None
        # The key goes only to the service the SDK talks to anyway, never to a SOURCE URL.
        url = f"{base_url}/openapi.json"
        body = _fetch(url, None if key is None else ensure_api_key(key), timeout)
        return _parse(body, url), url
    if source.startswith(("http://", "https://")):
        return _parse(_fetch(source, None, timeout), source), source
    return _parse(_read(Path(source)), source), source


def _fetch(url: str, api_key: str | None, timeout: float) -> bytes:
    """The document at ``url``, within ``timeout`` seconds in all and MAX_DOCUMENT_SIZE
    bytes decoded.

    httpx's timeouts bound each read, not the fetch (a server sending a byte a second
    never trips them), and ``response.content`` inflates and keeps whatever comes. So the
    body is read the way the SDK reads its answers (``dataforce.api._attempt``): every
    network operation given what is left of one deadline, the body inflated in bounded
    steps and counted. Redirects are followed here, their bodies never read (httpx reads
    each in full); httpx's ``next_request`` drops the Authorization header on a redirect
    to another origin.
    """
    import httpx

    from dataforce.api import APIResponseTooLargeError
    from dataforce.api._attempt import ACCEPT_ENCODING, BodyReader, bound_attempts, deadline

    headers = {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
    if api_key is not None:
        headers["Authorization"] = f"Bearer {api_key}"
    end = time.monotonic() + timeout
    token = deadline.set(end)
    try:
        with httpx.Client(timeout=timeout) as http:
            bound_attempts(http)
            request: httpx.Request | None = http.build_request("GET", url, headers=headers)
            for _ in range(_MAX_REDIRECTS + 1):
                assert request is not None
                response = http.send(request, stream=True, follow_redirects=False)
                try:
                    request = response.next_request
                    if request is not None:
                        continue
                    if response.status_code != 200:
                        status = f"HTTP {response.status_code} {response.reason_phrase}"
                        raise SpecError(f"cannot fetch {url}: {status.rstrip()}")
                    reader = BodyReader(response, MAX_DOCUMENT_SIZE, end)
                    for raw in response.iter_raw():
                        reader.feed(raw)
                    return reader.body()
                finally:
                    response.close()
            raise SpecError(f"cannot fetch {url}: more than {_MAX_REDIRECTS} redirects")
    except httpx.TimeoutException:
        raise SpecError(f"cannot fetch {url}: no complete answer within {timeout:g} s") from None
    except APIResponseTooLargeError:
        raise SpecError(f"cannot fetch {url}: {_too_large()}") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise SpecError(f"cannot fetch {url}: {error or type(error).__name__}") from None
    finally:
        deadline.reset(token)


def _too_large() -> str:
    return f"the document is larger than {MAX_DOCUMENT_SIZE >> 20} MiB"


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            # One byte more than the limit tells a document at the limit from a larger
            # one (or an endless file: /dev/zero) without reading further.
            body = file.read(MAX_DOCUMENT_SIZE + 1)
    except OSError as error:
        raise SpecError(f"cannot read {path}: {error.strerror or error}") from None
    if len(body) > MAX_DOCUMENT_SIZE:
        raise SpecError(f"cannot read {path}: {_too_large()}")
    return body


def _parse(body: bytes, label: str) -> object:
    from dataforce.api._nesting import deeper_than

    # The depth first: json.loads recurses per level, and a document that parses just
    # below the recursion limit would still be compared (and saved) by code that
    # recurses further.
    if deeper_than(body, MAX_DOCUMENT_DEPTH):
        raise SpecError(
            f"{label} nests more than {MAX_DOCUMENT_DEPTH} levels deep (arrays and objects)"
        )
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
