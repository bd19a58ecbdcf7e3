"""The decoding of response bodies into the generated models, checked in full.

The models are compiled from openapi.yaml into ``dataforce_openapi.models`` (msgspec
structs; see ``dataforce_openapi.types.Model`` for what they share), so a property the
spec gains is an attribute after ``make generate``, with no edit here. They are decoded
straight from the response bytes by a decoder compiled for the expected type: for a list
of 10,000 orbits that is several times faster than ``json.loads`` alone, validates every
field against the contract on the way (timestamps included, decoded to ``datetime``),
and holds less memory than the dictionaries ``json.loads`` would build. What msgspec does
not check, the UUIDs' digits, is checked here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import cache
from itertools import chain, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

import msgspec
from dataforce_openapi.types import Model, Operation, RequestField, Timestamp, UUIDText

from ._exceptions import APIResponseValidationError
from ._nesting import TooDeepError, deeper_than, flat_list, too_deep_message
from ._nesting import loads as strict_loads
from ._validation import is_uuid_text

if TYPE_CHECKING:
    import httpx

__all__ = ["Model", "Operation", "RequestField", "Timestamp", "UUIDText"]

M = TypeVar("M", bound="Model")


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
        raise _invalid(response, str(problem), redact, model) from None
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
        raise _invalid(response, str(problem), redact, model) from None
    return decoded


class _Invalid(Exception):
    """What breaks the contract, before it becomes an APIResponseValidationError."""


def _decode(response: httpx.Response, model: type[Model], many: bool) -> object:
    content = response.content
    # A list holding arrays in its items (the service's ``permissions`` objects) cannot
    # be proven flat (``flat_list``): it is scanned in full, and before it is decoded, so
    # that the scan's copies are gone before the decoded objects exist (for 10,000
    # orbits, 4.4 MB of copies against 12 MB of objects): it adds nothing to the peak.
    scanned = many and content.find(b"[", content.find(b"[") + 1) != -1
    if scanned and deeper_than(content):
        raise _Invalid(too_deep_message())
    try:
        decoded = _decoder(model, many).decode(content)
    except msgspec.ValidationError as error:
        # Too deep first, whichever the decoder met first: how deep it goes before a
        # RecursionError depends on the Python running it (3.12+ go deeper).
        deep = not scanned and deeper_than(content)
        problem = too_deep_message() if deep else f"a body that breaks the contract: {error}"
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
        if scanned or (many and flat_list(content, len(decoded))) or not deeper_than(content):
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


#: An error's ``body`` in place of an answer that may hold secret values.
WITHHELD_SECRETS: Final = "[withheld: this answer holds secret values]"


def _invalid(
    response: httpx.Response, problem: str, redact: Redact, model: type[Model]
) -> APIResponseValidationError:
    # A hostile server may echo the API key back: never into a message or an attribute.
    # An answer of secrets (``format: password``) is not kept at all: the error may be
    # logged, and whatever broke the contract, its other items hold real values.
    request = response.request
    return APIResponseValidationError(
        redact(
            f"{request.method} {request.url.path} answered {response.status_code} with {problem}"
        ),
        status_code=response.status_code,
        body=WITHHELD_SECRETS if model._secret_fields else redact(response.text),
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
    for field, nested in model._nested_fields:
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
    # A batch at a time: the joined text of 10,000 UUIDs, and its bytes, would be 720 KB
    # on top of the list being decoded, the largest part of its peak memory.
    return all(
        _batch_of_uuid_text(texts[start : start + _BATCH]) for start in range(0, len(texts), _BATCH)
    )


_BATCH: Final = 1024


def _batch_of_uuid_text(texts: list[str]) -> bool:
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


def _preview(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _share_if_equal(items: list[Any], field: str, values: list[Any]) -> None:
    """Make ``field`` of every item one string object when ``values`` (theirs) are all
    equal. Every orbit of an organization's list carries the organization's ID, and
    most often its one bucket secret's: one string instead of 10,000 copies is a tenth
    of the list's memory. The last value is compared first: different IDs cost no scan."""
    count = len(values)
    first = values[0]
    if count == len(items) and values[-1] == first and values.count(first) == count:
        deque(map(_force_setattr, items, repeat(field, count), repeat(first, count)), 0)


_force_setattr: Final = msgspec.structs.force_setattr


def matching(items: list[M], name: str) -> list[M]:
    """The items whose ``name`` is exactly ``name``: the names compared by ``list.count``
    and ``list.index`` (C loops), the common answers (none, one) without a Python loop."""
    names = list(map(_NAME, items))
    found = names.count(name)
    if found <= 1:
        return [items[names.index(name)]] if found else []
    return [item for item, candidate in zip(items, names, strict=True) if candidate == name]


_NAME: Final = attrgetter("name")


def id_name_pairs(
    response: httpx.Response, model: type[M], redact: Redact
) -> list[tuple[str, str]]:
    """``(id, name)`` of each item of a list of organizations or orbits: what the
    default-resolution flow (``_config``) matches names and IDs against."""
    items: list[Any] = decode_many(response, model, redact)
    return [(item.id.lower(), item.name) for item in items]
