"""JSON Schema ``pattern`` with the regular-expression dialect JSON Schema specifies.

JSON Schema patterns are ECMA-262 regular expressions, which jsonschema runs with Python's
`re`. The two disagree on the shorthand classes for non-ASCII input: Python's `\\s`
includes U+001C..U+001F and U+0085 but not U+FEFF, its `\\d` and `\\w` are Unicode-wide.
The spec's `OrbitName` (`pattern: \\S`) depends on it, so `pattern` is checked with the
shorthands spelled out as ECMA-262 defines them. Everything else is jsonschema's own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

__all__ = ["EcmaValidator", "ecma_pattern_to_python"]

_ECMA_CLASSES = {
    "s": (
        "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
    ),
    "d": "0-9",
    "w": "A-Za-z0-9_",
}


def ecma_pattern_to_python(pattern: str) -> str:
    """Rewrite ``\\s \\S \\d \\D \\w \\W`` with their ECMA-262 meanings for Python's ``re``."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            members = _ECMA_CLASSES.get(escaped.lower())
            if members is None or (escaped.isupper() and in_class):
                out.append(pattern[i : i + 2])  # (a negated shorthand inside [...] is rare)
            elif escaped.islower():
                out.append(members if in_class else f"[{members}]")
            else:
                out.append(f"[^{members}]")
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(ecma_pattern_to_python(pattern))


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterable[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


EcmaValidator = cast(
    "type[Draft202012Validator]",
    validators.extend(Draft202012Validator, {"pattern": _ecma_pattern}),  # type: ignore[no-untyped-call]
)
"""Draft 2020-12 (OpenAPI 3.1's dialect) with ECMA-262 ``pattern`` semantics."""
