"""How deep a JSON body may nest, and the strict JSON the SDK accepts.

A 10 KB body can nest thousands of arrays deep. Every JSON decoder Python has (msgspec,
the json module) recurses per level and raises ``RecursionError`` past Python's recursion
limit — an error outside the SDK's hierarchy, raised even for a deep value in a field the
SDK ignores — and a value kept a few hundred levels deep makes ``hash()``, ``repr()`` or
``json.dumps()`` of the model raise it later. So a body nesting deeper than
:data:`MAX_DEPTH` is refused, whatever the decoding path: far more than the contract needs
(an orbit list nests three levels, a ``permissions`` object a few more), far less than the
recursion limit (1000), so the answer never depends on how deep the caller's stack is.

The check reads the body's bytes, not decoded objects, so that a deep field the decoder
skips counts too. A list of flat items is proven shallow by one C pass
(:func:`flat_list`); a body holding containers beyond its items' own — the service's
lists do: every orbit's ``permissions`` object holds arrays — is scanned in full
(:func:`deeper_than`, a list before it is decoded: see ``_models._decode``).

Strict JSON: ``NaN``, ``Infinity`` and numbers beyond a float's range are not JSON (RFC
8259), and a model holding one has a ``to_dict()`` that ``json.dumps(allow_nan=False)``
refuses. msgspec refuses them; the json module, used where msgspec cannot read a body,
is told to (:func:`loads`).
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from ._validation import lazy_pattern

#: The deepest a JSON body the SDK decodes may nest (arrays and objects).
MAX_DEPTH: Final = 64

# Every byte but the four brackets and the quote is dropped; braces become brackets
# (which kind a level is does not change its depth, and one kind peels in one replace).
_NOT_MARKS: Final = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_BRACES_AS_BRACKETS: Final = bytes.maketrans(b"{}", b"[]")
# A string of the reduced text, whose escaped quotes are gone: quote to quote.
_STRING: Final = lazy_pattern(rb'"[^"]*"')


def occurrences(body: bytes, byte: bytes) -> int:
    """How many times ``byte``, a rare one, occurs in ``body``: the length a piece of the
    body loses without it, summed over 32 KB pieces. ``bytes.count`` of one byte compares
    every byte in turn; ``replace`` finds them with ``memchr``: for the braces of a list of
    orbits six times faster, copies included (for a byte every few characters, ``count``
    is faster). Piece by piece, a 4 MB body is never copied whole: the call's peak memory
    stays what it was."""
    size = len(body)
    if size <= _PIECE:
        return size - len(body.replace(byte, b""))
    found = 0
    for start in range(0, size, _PIECE):
        piece = body[start : start + _PIECE]
        found += len(piece) - len(piece.replace(byte, b""))
    return found


_PIECE: Final = 1 << 15


def flat_list(body: bytes, items: int) -> bool:
    """Whether ``body``, decoded as a list of ``items`` objects, holds no container but the
    list and its items: then it nests two levels deep. Two passes in C (``memchr``), the
    cheapest proof for the common case; ``False`` means "scan in full", not "too deep"."""
    first = body.find(b"[")
    return body.find(b"[", first + 1) == -1 and occurrences(body, b"{") == items


def deeper_than(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON ``body`` nests arrays and objects more than ``limit`` deep.

    Exact for valid JSON: brackets inside strings do not count. What is left of the body
    once everything but brackets and quotes is dropped, and strings removed, is peeled
    one level per pass (every ``[]`` of the text as it is, braces read as brackets: a
    pair that becomes adjacent goes at the next pass); a body still non-empty after
    ``limit`` passes is deeper. Every step is a C loop over bytes, and only one of them
    reads the whole body: a list of orbits with their ``permissions`` objects keeps a
    seventh of its bytes as marks, and an eighth of those as brackets.
    """
    size = len(body)
    if size <= 2 * limit:
        return False  # too short to be deeper
    if size <= _PIECE and body.count(b"[") + body.count(b"{") <= limit:
        return False  # a single orbit: too few openers to be deeper, in two C counts
    if b"\\" in body:
        # Escapes first, on the original text where each backslash sits next to what it
        # escapes: an escaped backslash, then an escaped quote, are not string ends.
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = body.translate(_BRACES_AS_BRACKETS, _NOT_MARKS)
    brackets = marks.translate(None, b'"')
    if brackets.count(b"[") <= limit:
        return False  # too few openers, even counting those inside strings
    quotes = len(marks) - len(brackets)
    if marks.count(b'""') * 2 == quotes:
        # Every quote is one of a pair of adjacent quotes (counted left to right, as the
        # strings open and close): no string holds a bracket, and the brackets are the
        # body's structure. The common case: a bracket in a name or a value is rare.
        marks = brackets
    else:
        # Removing two adjacent quotes keeps every bracket inside or outside a string as
        # it was (an empty string goes, or two strings merge); a string with a bracket
        # inside is left for the regular expression, on a text now much shorter.
        marks = _STRING().sub(b"", marks.replace(b'""', b""))
    for _ in range(limit):
        if not marks:
            return False
        peeled = marks.replace(b"[]", b"")
        if len(peeled) == len(marks):
            return False  # unbalanced: not JSON, which the decoder reports
        marks = peeled
    return bool(marks)


def too_deep_message(limit: int = MAX_DEPTH) -> str:
    return f"a body nested more than {limit} levels deep (arrays and objects)"


class TooDeepError(ValueError):
    """What :func:`loads` raises for a body nested deeper than :data:`MAX_DEPTH`."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text[:40]} is beyond the range of a float")
    return value


def loads(text: str | bytes) -> Any:
    """``json.loads`` of strict JSON: ``NaN``, ``Infinity`` and out-of-range numbers raise
    ``ValueError``, as does a body nested deeper than :data:`MAX_DEPTH` (checked first, so
    that the decoder never recurses that far)."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if deeper_than(raw):
        raise TooDeepError(too_deep_message())
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
