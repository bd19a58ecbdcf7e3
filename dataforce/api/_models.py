"""What every response model shares, and the decoding of response bodies into them.

The models themselves are generated from openapi.yaml into ``_schema.py`` (see
scripts/facade_codegen.py), so a property the spec gains is an attribute after
``make generate``, with no edit here. They are msgspec structs, decoded straight from
the response bytes by a decoder compiled for the expected type: for a list of 10,000
orbits that is several times faster than ``json.loads`` alone, validates every field
against the contract on the way (timestamps included, decoded to ``datetime``), and
holds less memory than the dictionaries ``json.loads`` would build.

Structs are created with ``gc=False``: they hold only strings, numbers, datetimes and
the JSON containers of a response, which cannot point back at them, so the cyclic
garbage collector need not track the 10,000 objects of a large list (it did, and it
cost a tenth of the list's CPU). Fields the spec does not document are ignored.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from datetime import datetime
from functools import cache
from itertools import chain, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Final, TypeVar, cast

import msgspec

from ._exceptions import APIResponseValidationError
from ._nesting import TooDeepError, deeper_than, flat_list, too_deep_message
from ._nesting import loads as strict_loads
from ._validation import is_uuid_text

if TYPE_CHECKING:
    import httpx

__all__ = ["Model", "Operation", "RequestField", "Timestamp", "UUIDText"]

#: ``format: uuid`` — the text form, as the service sends it; checked as a UUID after
#: decoding (see :func:`_check_uuids`), its length while decoding.
UUIDText = Annotated[str, msgspec.Meta(min_length=36, max_length=36)]
#: ``format: date-time`` — RFC 3339, with a timezone as the contract says.
Timestamp = Annotated[datetime, msgspec.Meta(tz=True)]

M = TypeVar("M", bound="Model")


class Model(msgspec.Struct, frozen=True, gc=False):
    """Base of the response models: immutable, hashable, comparable, picklable.

    ``to_dict()`` gives the JSON-compatible form (timestamps as RFC 3339 strings, as the
    service sends them: ``2025-05-21T19:35:17.340408Z``; arrays as tuples). The repr
    shows every attribute in the spec's order, timestamps as those strings too, as the
    reference documentation does.
    """

    #: The attributes holding ``format: uuid`` text (generated per model).
    _uuid_fields: ClassVar[tuple[str, ...]] = ()
    #: ``(attribute, model name)`` of the attributes holding models (generated per model).
    _nested_fields: ClassVar[tuple[tuple[str, str], ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-compatible values, keyed by the spec's property names."""
        return cast("dict[str, Any]", msgspec.to_builtins(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={_show(getattr(self, name))}" for name in self.__struct_fields__)
        return f"{type(self).__name__}({shown})"

    def __hash__(self) -> int:
        # msgspec's own hash fails on a dict or list attribute (``permissions``).
        return hash((type(self), *map(_hashable, msgspec.structs.astuple(self))))


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return repr(msgspec.to_builtins(value))
    return repr(value)


def _hashable(value: object) -> object:
    if isinstance(value, dict):
        return frozenset((key, _hashable(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    return value


class Operation(msgspec.Struct, frozen=True):
    """One operation of the spec, as ``_schema.OPERATIONS`` lists it.

    ``template`` is the path with its parameters numbered (``{0}``, ``{1}``), in the
    order of ``params``; ``retry`` is the retry class: ``read`` (also retried on 500),
    ``idempotent`` or ``unsafe`` (retried only when it provably never reached the
    service, or the service said to).
    """

    operation_id: str
    method: str
    path: str
    template: str
    params: tuple[str, ...]
    retry: str
    request: str | None
    response: str | None
    many: bool
    success: int
    statuses: tuple[int, ...]


class RequestField(msgspec.Struct, frozen=True, kw_only=True):
    """One property of a request body schema, with the constraints the SDK checks."""

    name: str
    type: str
    format: str | None = None
    required: bool = False
    nullable: bool = False
    enum: tuple[Any, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    items: str | None = None
    has_default: bool = False
    default: Any = None


# Decoding ------------------------------------------------------------------------------


@cache
def _decoder(model: type[Model], many: bool) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(list[model] if many else model)  # type: ignore[valid-type]


#: Takes the API key out of a text built from a server's answer (``Options.redact``).
Redact = Callable[[str], str]


def decode_one(response: httpx.Response, model: type[M], redact: Redact) -> M:
    """The ``model`` a 2xx response's body holds, checked in full."""
    try:
        decoded = cast("M", _decode(response, model, many=False))
        _check_uuids([decoded], model, "$")
    except _Invalid as problem:
        raise _invalid(response, str(problem), redact) from None
    return decoded


def decode_many(
    response: httpx.Response, model: type[M], redact: Redact, share: tuple[str, ...] = ()
) -> list[M]:
    """The list of ``model`` a 2xx response's body holds, every item checked in full.

    The ``share`` attributes (UUIDs) become one string object for all items when they
    are all equal (see :func:`_share_if_equal`)."""
    try:
        decoded = cast("list[M]", _decode(response, model, many=True))
        _check_uuids(decoded, model, "$[*]", share)
    except _Invalid as problem:
        raise _invalid(response, str(problem), redact) from None
    return decoded


class _Invalid(Exception):
    """What breaks the contract, before it becomes an APIResponseValidationError."""


def _decode(response: httpx.Response, model: type[Model], many: bool) -> object:
    content = response.content
    try:
        decoded = _decoder(model, many).decode(content)
    except msgspec.ValidationError as error:
        problem = f"a body that breaks the contract: {error}"
    except RecursionError:  # deeper than the decoder can go: far beyond MAX_DEPTH
        problem = too_deep_message()
    except msgspec.DecodeError:
        # JSON that msgspec refuses and the json module reads: a lone UTF-16 surrogate
        # escape (``"\\ud800"``), which the grammar allows. Rare, so only this path pays.
        converted = _decode_leniently(content, model, many)
        if converted is not None:
            return converted
        problem = (
            f"a body that is not valid JSON ({len(content)} bytes, "
            f"content-type {response.headers.get('content-type', 'none')!r})"
        )
    else:
        # Decoded, but maybe through a deep value it skipped or kept (see ``_nesting``):
        # a list of flat items is proven shallow in one pass; anything else is scanned.
        if (many and flat_list(content, len(decoded))) or not deeper_than(content):
            return decoded
        problem = too_deep_message()
    raise _Invalid(problem)


def _decode_leniently(content: bytes, model: type[Model], many: bool) -> object | None:
    try:
        data = strict_loads(content)  # no NaN or Infinity: to_dict() must stay JSON
    except TooDeepError:
        raise _Invalid(too_deep_message()) from None
    except (ValueError, RecursionError):
        return None
    try:
        return msgspec.convert(data, list[model] if many else model)  # type: ignore[valid-type]
    except msgspec.ValidationError as error:
        raise _Invalid(f"a body that breaks the contract: {error}") from None


def _invalid(response: httpx.Response, problem: str, redact: Redact) -> APIResponseValidationError:
    # A hostile server may echo the API key back: never into a message or an attribute.
    request = response.request
    return APIResponseValidationError(
        redact(
            f"{request.method} {request.url.path} answered {response.status_code} with {problem}"
        ),
        status_code=response.status_code,
        body=redact(response.text),
    )


_NOT_UUID_CHARACTERS: Final = b"0123456789abcdefABCDEF-"


def _check_uuids(
    objects: list[Any], model: type[Model], where: str, share: tuple[str, ...] = ()
) -> None:
    """Check every ``format: uuid`` attribute of ``objects`` (and of the models they
    hold). A large list is checked in one pass over the joined text, in C: about a
    tenth of the decoding cost, where a regular expression per value would double it."""
    fields = model._uuid_fields
    if len(objects) <= _FEW:
        for item in objects:
            for field in fields:
                text = getattr(item, field)
                if text is not None and not is_uuid_text(text):
                    raise _not_uuid(where, field, text)
    else:
        for field in fields:
            texts = list(map(attrgetter(field), objects))
            if None in texts:  # a nullable field: a scan in C, where a filter is Python
                texts = [text for text in texts if text is not None]
            if texts and not _all_uuid_text(texts):
                bad = next(text for text in texts if not is_uuid_text(text))
                raise _not_uuid(where, field, bad)
            if field in share and texts:
                _share_if_equal(objects, field, texts)
    for field, nested in _nested_models(model):
        values = [value for value in map(attrgetter(field), objects) if value is not None]
        if values and type(values[0]) is tuple:
            values = list(chain.from_iterable(values))
        if values:
            _check_uuids(values, nested, f"{where}.{field}")


_FEW: Final = 8


def _not_uuid(where: str, field: str, text: str) -> _Invalid:
    return _Invalid(
        f"a body that breaks the contract: {where}.{field} is not a UUID: {_preview(text)}"
    )


def _all_uuid_text(texts: list[str]) -> bool:
    try:
        joined = "".join(texts).encode("ascii")
    except UnicodeEncodeError:
        return False
    count = len(texts)
    # Every text is 36 characters long (checked while decoding): all hex digits but the
    # four dashes, which must sit at the same offsets in each.
    return (
        not joined.translate(None, _NOT_UUID_CHARACTERS)
        and joined.count(b"-") == 4 * count
        and joined[8::36].count(b"-") == count
        and joined[13::36].count(b"-") == count
        and joined[18::36].count(b"-") == count
        and joined[23::36].count(b"-") == count
    )


@cache
def _nested_models(model: type[Model]) -> tuple[tuple[str, type[Model]], ...]:
    """``(attribute, model)`` for the attributes of ``model`` holding models (or tuples
    of them), from the names the generator recorded."""
    module = sys.modules[model.__module__]
    return tuple((field, getattr(module, name)) for field, name in model._nested_fields)


def _preview(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _share_if_equal(items: list[Any], field: str, values: list[Any]) -> None:
    """Make ``field`` of every item one string object when ``values`` (theirs) are all
    equal. Every orbit of an organization's list carries the organization's ID: one
    string instead of 10,000 copies is a tenth of the list's memory."""
    count = len(values)
    first = values[0]
    if count == len(items) and values.count(first) == count:
        deque(map(_force_setattr, items, repeat(field, count), repeat(first, count)), 0)


_force_setattr: Final = msgspec.structs.force_setattr


def matching(items: list[M], name: str) -> list[M]:
    """The items whose ``name`` is exactly ``name``."""
    return [item for item in items if cast("Any", item).name == name]


def id_name_pairs(
    response: httpx.Response, model: type[M], redact: Redact
) -> list[tuple[str, str]]:
    """``(id, name)`` of each item of a list of organizations or orbits: what the
    default-resolution flow (``_config``) matches names and IDs against."""
    items: list[Any] = decode_many(response, model, redact)
    return [(item.id.lower(), item.name) for item in items]
