"""Request bodies, built from the caller's arguments and checked against the spec.

The properties of each request schema and their constraints come from
``_schema.REQUEST_FIELDS`` (generated from openapi.yaml), so a length limit or an enum
the spec changes is enforced after ``make generate``. Every value is checked before the
request is built: bad input raises a typed error naming the argument and nothing is sent.
Arguments left as :data:`OMIT` are left out of the body (the service keeps its default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from ._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from ._models import RequestField
from ._schema import REQUEST_FIELDS
from ._validation import ensure_id, ensure_name


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


#: "Not given": the property is left out of the request body.
OMIT: Final[Any] = _Omit()


def build(schema: str, values: Mapping[str, object], argument_prefix: str = "") -> dict[str, Any]:
    """The JSON body of ``schema`` for ``values`` (property name -> value or OMIT)."""
    fields = {field.name: field for field in REQUEST_FIELDS[schema]}
    unknown = set(values) - set(fields)
    if unknown:
        # A facade argument whose property the spec no longer has: the drift test
        # catches this; at run time it must not reach the service as a silent no-op.
        raise InvalidArgumentError(
            argument_prefix + sorted(unknown)[0], f"not a property of the spec's {schema}"
        )
    body: dict[str, Any] = {}
    for name, value in values.items():
        if value is OMIT:
            continue
        body[name] = _check(fields[name], value, argument_prefix + name)
    for field in fields.values():
        if field.required and field.name not in body:
            raise InvalidArgumentError(argument_prefix + field.name, "is required")
    return body


def _check(field: RequestField, value: object, argument: str) -> Any:
    if value is None:
        if field.nullable:
            return None
        raise InvalidArgumentTypeError(argument, f"expected {_expected(field)}, got NoneType")
    if field.enum is not None:
        if value not in field.enum or type(value) is not type(field.enum[0]):
            allowed = ", ".join(repr(option) for option in field.enum)
            raise InvalidArgumentError(argument, f"must be one of {allowed}, got {value!r:.60}")
        return value
    kind = field.type
    if kind == "string":
        if field.format == "uuid":
            return ensure_id(value, argument)
        name = ensure_name(value, argument, field.max_length)
        if field.min_length is not None and len(name) < field.min_length:
            raise InvalidArgumentError(argument, f"must be at least {field.min_length} characters")
        return name
    if kind == "boolean":
        if type(value) is not bool:
            raise InvalidArgumentTypeError(argument, f"expected bool, got {type(value).__name__}")
        return value
    if kind == "integer":
        if type(value) is not int:
            raise InvalidArgumentTypeError(argument, f"expected int, got {type(value).__name__}")
        return value
    if kind == "array":
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise InvalidArgumentTypeError(argument, f"expected a list, got {type(value).__name__}")
        items = list(value)
        if field.items is None:
            return items
        return [
            _item(field.items, item, f"{argument}[{index}]") for index, item in enumerate(items)
        ]
    raise InvalidArgumentTypeError(argument, f"the SDK cannot send a {kind!r} property yet")


def _item(schema: str, value: object, argument: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        names = ", ".join(field.name for field in REQUEST_FIELDS[schema])
        raise InvalidArgumentTypeError(
            argument, f"expected a mapping with {names}, got {type(value).__name__}"
        )
    if not all(type(key) is str for key in value):
        raise InvalidArgumentTypeError(argument, "keys must be strings")
    return build(schema, value, argument + ".")


def _expected(field: RequestField) -> str:
    if field.format == "uuid":
        return "a UUID as str or uuid.UUID"
    return {"string": "str", "boolean": "bool", "integer": "int", "array": "a list"}.get(
        field.type, field.type
    )
