"""Where a bracket closes in Python source text: what drift and the maintainer-loop proof
both need to find the end of a call they name (``f(a, g(b), "x)")``)."""

from __future__ import annotations


def closing(text: str, start: int, depth: int = 0) -> int | None:
    """The offset of the bracket that brings ``depth`` (the brackets open before
    ``start``) back to 0, scanning from ``start``; ``None`` if the text ends first.
    Brackets inside string literals do not count; a backslash escapes the next character."""
    index, quote = start, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
