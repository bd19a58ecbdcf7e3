"""Text that others chose, made safe for a terminal: shown, never interpreted.

A service's data (``dataforce --json``) and a client's request line (``dataforce serve``'s
log) may hold bytes a terminal acts on: ESC and CSI start escape sequences that move the
cursor, recolour or retitle the window, BEL rings, DEL erases, and the Unicode bidi
controls reorder what is shown around them (a name that displays as another). Each such
character is written as an escape instead. Standard library only: the command line
imports this before anything else.
"""

from __future__ import annotations

import re
from typing import Final

# C1 controls (CSI is U+009B), DEL, the bidi marks, embeddings, overrides and isolates,
# and the Unicode line and paragraph separators.
_NOT_C0: Final = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_UNSAFE_IN_JSON: Final = re.compile(f"[{_NOT_C0}]")
_UNSAFE: Final = re.compile(f"[\x00-\x1f{_NOT_C0}]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_for_terminal(text: str) -> str:
    """JSON text (``json.dumps``'s, which escapes C0 controls itself) with every other
    control and bidi character as a ``\\uXXXX`` escape: the same JSON, safe to print.
    They can only occur inside strings, where the escape means the same character."""
    return _UNSAFE_IN_JSON.sub(_json_escape, text)


def for_terminal(text: str) -> str:
    """``text`` with every control and bidi character as ``\\xNN`` / ``\\uXXXX``."""
    return _UNSAFE.sub(_escape, text)
