"""The shapes of what the stand-in stores and answers, read from the spec's response schemas.

Why: so that the stand-in follows the spec by construction. A response property the
service adds, drops, renames or retypes reaches the stand-in with ``make generate`` (the
packaged spec) and nothing else, unless the stand-in gives that property a value of its
own, and then the mismatch is found when a server is built, not by a test that happens
to read the property.

Each kind of stored record (organization, bucket secret, orbit, orbit member, user) is
an object schema of the spec, found from an operation's success answer or from another
record's property (declared in :data:`dataforce.testing._store.RECORDS`); each handler
that answers records answers them in its own operation's schema (declared in
:data:`dataforce.testing._handlers.ANSWERS`). Both are compiled into a :class:`Shape`:
the schema's properties, in the spec's order, with the value each gets when the store
does not give it one.

A record holds exactly its schema's properties. The store gives some of them a value of
its own (it *models* them: IDs, names, timestamps, roles, permissions, members...); every
other property gets, in this order of preference:

1. the stand-in's placeholder for it (e.g. ``0`` for the counters it does not track), if
   it declares one and the property's schema accepts it;
2. the schema's ``default``;
3. ``null``, if the schema accepts it;
4. the first ``enum`` value, or the ``const``;
5. the empty value of the schema's (first non-null) type: ``0``, ``""``, ``[]``, ``{}``,
   ``false``, if the schema accepts it;

and is left out when none of them applies, as long as it is optional. So a new property
is answered, a removed one is not, a retyped one changes with its schema.

A modelled property is checked when a server is built: it must still be a property of
its record's schema, and the schema of every record and answer that carries it must
accept each sample value the store declares for it; a nested record's property must still
be an object (or a list of objects). Otherwise the server does not start, with a message
naming the property and the stand-in file to change (a required property the stand-in
cannot make a value for is refused the same way).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft202012Validator

from dataforce.testing._spec import ApiSpec, json_pointer

__all__ = ["Record", "Shape", "Shapes", "SpecMismatch"]

STORE_FILE = "dataforce/testing/_store.py"
HANDLERS_FILE = "dataforce/testing/_handlers.py"

_EMPTY: Mapping[str, Any] = {
    "integer": 0,
    "number": 0,
    "string": "",
    "array": [],
    "object": {},
    "boolean": False,
}


class SpecMismatch(RuntimeError):
    """The spec no longer has (or no longer accepts) something the stand-in gives a value."""


@dataclass(frozen=True)
class Record:
    """One kind of stored record, as the store declares it.

    ``source`` says where its schema is: ``("answer", operationId)`` for the object (or the
    items of the list) an operation answers with success, ``("property", kind, name)`` for
    the object (or the items) of a property of another kind of record. ``modelled`` maps
    each property the store gives a value to sample values it gives (none for a nested
    record); ``placeholders`` are values for properties it does not model (rule 1).
    """

    kind: str
    source: tuple[str, ...]
    modelled: Mapping[str, tuple[Any, ...]]
    placeholders: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """An object schema of the spec: its properties, and the value of those not given."""

    where: str  # for messages, e.g. "OrbitDetails (the answer of get_orbit)"
    properties: tuple[str, ...]  # in the spec's order
    defaults: Mapping[str, Any]  # property -> value when not given; absent: left out
    pointers: Mapping[str, str]  # property -> the JSON pointer of its schema
    validators: Mapping[str, Draft202012Validator]  # property -> its schema's validator

    def build(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """An object of this shape: the values ``given`` for its properties, defaults for
        the rest; what ``given`` holds beyond the schema's properties is left out."""
        built: dict[str, Any] = {}
        for name in self.properties:
            if name in given:
                built[name] = given[name]
            elif name in self.defaults:
                built[name] = copy.deepcopy(self.defaults[name])
        return built


class Shapes:
    """Every record's and every answer's shape, compiled from a spec and checked.

    Raises :class:`SpecMismatch` listing every problem found.
    """

    def __init__(
        self, spec: ApiSpec, records: Iterable[Record], answers: Mapping[str, str]
    ) -> None:
        self._spec = spec
        self._problems: list[str] = []
        self.records: dict[str, Shape] = {}
        self.answers: dict[str, Shape] = {}
        by_kind = {record.kind: record for record in records}
        for record in by_kind.values():  # a nested record comes after its parent
            self._compile_record(record)
        for operation_id, kind in answers.items():
            if kind in self.records:  # otherwise its problem is reported already
                self._compile_answer(operation_id, by_kind[kind])
        if self._problems:
            listed = "\n".join(f"  - {problem}" for problem in self._problems)
            raise SpecMismatch(f"the local DataForce server does not fit its spec:\n{listed}")

    def record(self, kind: str, given: Mapping[str, Any]) -> dict[str, Any]:
        """A new record of ``kind`` with the values ``given`` (what the store models)."""
        return self.records[kind].build(given)

    def answer(self, operation_id: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """``record`` as ``operation_id`` answers it (e.g. a stored orbit as listed)."""
        return self.answers[operation_id].build(record)

    # -- compilation ---------------------------------------------------------------------

    def _compile_record(self, record: Record) -> None:
        found = self._find(record.source)
        if found is None:
            return
        shape = self._shape(*found, record)
        for name in record.modelled:
            if name not in shape.properties:
                self._problems.append(
                    f"{shape.where} has no property {name!r}, which {STORE_FILE} gives a "
                    f"value ({record.kind} records): change {STORE_FILE} to follow the spec"
                )
        self.records[record.kind] = shape

    def _compile_answer(self, operation_id: str, record: Record) -> None:
        if operation_id not in self._spec.operations:
            return  # the spec dropped the operation: its handler is never called
        found = self._find(("answer", operation_id))
        if found is not None:
            self.answers[operation_id] = self._shape(*found, record)

    def _find(self, source: tuple[str, ...]) -> tuple[Any, str, str] | None:
        """The object schema a record's source names, its pointer, and its name."""
        if source[0] == "answer":
            located = self._success_schema(source[1])
            what = f"the answer of {source[1]}"
            if located is None:
                self._problems.append(
                    f"the spec has no JSON success answer for {source[1]}, the shape of "
                    f"records in {STORE_FILE} or of answers in {HANDLERS_FILE}: change them "
                    "to follow the spec"
                )
                return None
            node, pointer = located
        else:
            parent = self.records.get(source[1])
            name = source[2]
            if parent is None or name not in parent.pointers:
                return None  # reported with the parent's modelled properties
            pointer = parent.pointers[name]
            node = self._at(pointer)
            what = f"{parent.where}.{name}"
        found = self._object_or_items(node, pointer)
        if found is None:
            self._problems.append(
                f"{what} is no longer an object or a list of objects, which {STORE_FILE} "
                f"stores there: change {STORE_FILE} to follow the spec"
            )
            return None
        schema, schema_pointer = found
        return schema, schema_pointer, f"{schema.get('title') or schema_pointer} ({what})"

    def _success_schema(self, operation_id: str) -> tuple[Any, str] | None:
        """The schema of an operation's first 2xx JSON answer, and its pointer."""
        operation = self._spec.operations.get(operation_id)
        if operation is None:
            return None
        op_pointer = json_pointer("paths", operation.template, operation.method.lower())
        responses = self._at(op_pointer).get("responses", {})
        for status in sorted(map(str, responses)):
            if not status.startswith("2"):
                continue
            response, pointer = self._spec.resolve(
                responses[status], op_pointer + json_pointer("responses", status)
            )
            for media_type, media in (response.get("content") or {}).items():
                if media_type.lower() == "application/json" and "schema" in media:
                    return media["schema"], pointer + json_pointer("content", media_type, "schema")
        return None

    def _at(self, pointer: str) -> Any:
        node: Any = self._spec.document
        for raw in pointer.split("/")[1:]:
            node = node[unquote(raw).replace("~1", "/").replace("~0", "~")]
        return node

    def _alternatives(self, node: Any, pointer: str) -> list[tuple[Any, str]]:
        """The schemas ``node`` may be: ``$ref``s followed, ``anyOf``/``oneOf`` spread."""
        node, pointer = self._spec.resolve(node, pointer)
        if not isinstance(node, dict):
            return []
        for key in ("anyOf", "oneOf"):
            if key in node:
                return [
                    alternative
                    for index, branch in enumerate(node[key])
                    for alternative in self._alternatives(
                        branch, pointer + json_pointer(key, str(index))
                    )
                ]
        return [(node, pointer)]

    def _object_or_items(self, node: Any, pointer: str) -> tuple[Any, str] | None:
        """The one object schema ``node`` may be, or the one its list's items may be."""
        alternatives = self._alternatives(node, pointer)
        objects = [(n, p) for n, p in alternatives if _is_object(n)]
        lists = [(n, p) for n, p in alternatives if "items" in n]
        if not objects and len(lists) == 1:
            items, items_pointer = lists[0]
            objects = [
                (n, p)
                for n, p in self._alternatives(items["items"], items_pointer + "/items")
                if _is_object(n)
            ]
        return objects[0] if len(objects) == 1 else None

    def _shape(self, schema: Any, pointer: str, where: str, record: Record) -> Shape:
        parts = [(schema, pointer)]
        for index, branch in enumerate(schema.get("allOf", [])):
            parts.extend(self._alternatives(branch, pointer + json_pointer("allOf", str(index))))
        pointers: dict[str, str] = {}
        required: set[str] = set()
        for part, part_pointer in parts:
            for name in part.get("properties", {}):
                pointers.setdefault(name, part_pointer + json_pointer("properties", name))
            required.update(part.get("required", []))
        validators = {name: self._spec.validator(p) for name, p in pointers.items()}
        defaults: dict[str, Any] = {}
        for name, property_pointer in pointers.items():
            value = self._default(
                property_pointer, validators[name], record.placeholders.get(name, _NONE)
            )
            if value is not _NONE:
                defaults[name] = value
            elif name in required and name not in record.modelled:
                self._problems.append(
                    f"{where}: required property {name!r} has no value the stand-in can "
                    f"make up (no default, not nullable): give it one in {STORE_FILE}"
                )
        shape = Shape(where, tuple(pointers), defaults, pointers, validators)
        self._check_samples(shape, record)
        return shape

    def _default(self, pointer: str, validator: Draft202012Validator, placeholder: Any) -> Any:
        """The value of a property the store gives none (the module's rule), or _NONE."""
        if placeholder is not _NONE and validator.is_valid(placeholder):
            return placeholder
        node, resolved_pointer = self._spec.resolve(self._at(pointer), pointer)
        alternatives = self._alternatives(node, resolved_pointer)
        for schema in [node, *(n for n, _ in alternatives)]:
            if isinstance(schema, dict) and "default" in schema:
                return schema["default"]
        if validator.is_valid(None):
            return None
        for schema, _ in alternatives:
            if schema.get("enum"):
                return schema["enum"][0]
            if "const" in schema:
                return schema["const"]
        for schema, _ in alternatives:
            declared = schema.get("type")
            for json_type in [declared] if isinstance(declared, str) else (declared or []):
                if json_type in _EMPTY and validator.is_valid(_EMPTY[json_type]):
                    return _EMPTY[json_type]
        return _NONE

    def _check_samples(self, shape: Shape, record: Record) -> None:
        for name, samples in record.modelled.items():
            validator = shape.validators.get(name)
            if validator is None:
                continue  # not carried by this answer, or reported as missing
            for sample in samples:
                error = next(iter(validator.iter_errors(sample)), None)
                if error is not None:
                    self._problems.append(
                        f"{shape.where}: property {name!r} does not accept {sample!r}, a "
                        f"value {STORE_FILE} gives it ({error.message}): change {STORE_FILE} "
                        "to follow the spec"
                    )
                    break  # one value says it: the others would repeat it


_NONE: Any = object()
"""No value: the property is left out."""


def _is_object(schema: Any) -> bool:
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else list(declared or [])
    return "object" in types or "properties" in schema or "allOf" in schema
