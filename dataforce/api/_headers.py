"""Headers a caller adds (``extra_headers=``): checked before anything is sent, merged
case-insensitively, and never able to replace the ones the SDK's guarantees rest on.

Refused names, each for a reason:

* ``Authorization`` carries the client's API key. An extra header replacing it would
  send a request under another identity, silently; a client with another ``api_key=``
  says so.
* ``Accept-Encoding``: the size limit on responses holds because the SDK asks only for
  the encodings it can inflate in bounded pieces (``_attempt``).
* ``Host``, ``Content-Length``, ``Transfer-Encoding``, ``Connection``: the request's
  routing and framing, which httpx computes; a wrong one desynchronises the connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from ._validation import lazy_pattern, plain_str

# RFC 9110 token characters.
_NAME: Final = lazy_pattern(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Visible ASCII, spaces and tabs: no CR/LF (header injection), no NUL, nothing httpx
# would fail to encode half-way through building the request.
_VALUE: Final = lazy_pattern(r"[\x20-\x7e\t]*")
_REFUSED: Final = {
    "authorization": "it carries the client's api_key; make a client with another api_key=",
    "accept-encoding": "the SDK asks only for the encodings it can inflate within "
    "max_response_size",
    "host": "httpx sets it from the URL",
    "content-length": "httpx sets it from the body",
    "transfer-encoding": "httpx sets it from the body",
    "connection": "httpx manages the connection",
}
_MAX_SHOWN: Final = 40


def ensure_headers(value: object, argument: str = "extra_headers") -> dict[str, str]:
    """``value`` as a plain ``dict[str, str]`` of valid, permitted headers."""
    if not isinstance(value, Mapping):
        raise InvalidArgumentTypeError(
            argument, f"expected a mapping of header names to str values, got {_kind(value)}"
        )
    headers: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str):
            raise InvalidArgumentTypeError(argument, f"header names must be str, got {_kind(name)}")
        name = plain_str(name)
        if _NAME().fullmatch(name) is None:
            raise InvalidArgumentError(argument, f"{_shown(name)} is not a valid header name")
        reason = _REFUSED.get(name.lower())
        if reason is not None:
            raise InvalidArgumentError(argument, f"{name!r} cannot be set here: {reason}")
        if not isinstance(text, str):
            raise InvalidArgumentTypeError(
                argument, f"the value of {name!r} must be str, got {_kind(text)}"
            )
        text = plain_str(text)
        if _VALUE().fullmatch(text) is None:
            raise InvalidArgumentError(
                argument,
                f"the value of {name!r} holds a character a header cannot carry "
                "(CR, LF, another control character, or non-ASCII)",
            )
        headers[name] = text
    return headers


def merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """``base`` updated with ``extra``, names compared case-insensitively (a dict merge
    would send both ``User-Agent`` and ``user-agent``)."""
    if not extra:
        return dict(base)
    replaced = {name.lower() for name in extra}
    merged = {name: text for name, text in base.items() if name.lower() not in replaced}
    merged.update(extra)
    return merged


def _kind(value: object) -> str:
    return type(value).__name__


def _shown(name: str) -> str:
    return repr(name if len(name) <= _MAX_SHOWN else name[:_MAX_SHOWN] + "…")
