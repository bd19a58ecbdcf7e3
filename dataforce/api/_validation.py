"""Checks on caller input, run before anything is sent.

Every public method validates its arguments here first, so bad input raises a typed error
naming the argument and no request leaves the process. IDs are accepted as ``uuid.UUID``
or as the canonical 36-character text form only: anything else could reshape the URL
(``../``, ``%2F``) once interpolated into a path, so it never gets that far.
"""

from __future__ import annotations

import re
import uuid

import httpx

from ._exceptions import InvalidArgumentError, InvalidArgumentTypeError

MAX_NAME_LENGTH = 100

_UUID_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
# C0/C1 control characters and lone surrogates: invisible in logs and UIs, and a lone
# surrogate cannot even be encoded as UTF-8 JSON.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Whitespace as the spec's `\S` pattern sees it (ECMAScript), which Python's str.strip()
# does not entirely: U+FEFF is whitespace there and not here.
_ECMA_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# An API key goes into an HTTP header: visible ASCII only (no CR/LF, no spaces).
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


def is_uuid_text(value: str) -> bool:
    return len(value) == 36 and _UUID_TEXT.fullmatch(value) is not None


def ensure_id(value: object, argument: str) -> str:
    """Return ``value`` as a lower-case canonical UUID string, or raise."""
    if type(value) is str:
        if is_uuid_text(value):
            return value.lower()
        raise InvalidArgumentError(argument, f"expected a UUID, got {_preview(value)}")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):  # a str subclass: normalise it to a plain str first
        return ensure_id(str(value), argument)
    raise InvalidArgumentTypeError(
        argument, f"expected a UUID as str or uuid.UUID, got {type(value).__name__}"
    )


def ensure_name(value: object, argument: str, max_length: int | None = MAX_NAME_LENGTH) -> str:
    """Return ``value`` if it is a usable name: not blank, no control characters, and (for
    orbits) at most 100 characters."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(argument, f"expected str, got {type(value).__name__}")
    if not value.strip() or not value.strip(_ECMA_WHITESPACE):
        raise InvalidArgumentError(argument, "must not be empty or blank")
    if max_length is not None and len(value) > max_length:
        raise InvalidArgumentError(
            argument, f"must be at most {max_length} characters, got {len(value)}"
        )
    if _UNPRINTABLE.search(value):
        raise InvalidArgumentError(argument, "must not contain control characters")
    return str(value)


def ensure_id_or_name(
    value: object, argument: str, max_length: int | None = MAX_NAME_LENGTH
) -> tuple[str | None, str | None]:
    """Split a lookup value into ``(id, None)`` or ``(None, name)``.

    A string in UUID form is taken as an ID, as the reference documentation specifies
    for ``orbits.get``; every other string must be a valid name.
    """
    if isinstance(value, uuid.UUID):
        return str(value), None
    if isinstance(value, str) and is_uuid_text(value):
        return value.lower(), None
    return None, ensure_name(value, argument, max_length)


def ensure_api_key(value: object) -> str:
    """Check the API key's shape without ever echoing it back."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError("api_key", f"expected str, got {type(value).__name__}")
    if not value:
        raise InvalidArgumentError("api_key", "must not be empty")
    if not _HEADER_SAFE.fullmatch(value):
        raise InvalidArgumentError(
            "api_key",
            "contains characters that cannot go into an HTTP header "
            "(whitespace, CR/LF, control or non-ASCII characters)",
        )
    return str(value)


def ensure_base_url(value: object) -> str:
    """An http(s) URL with a host and no query or fragment, without its trailing slash:
    request paths are appended to it as they are."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError("base_url", f"expected str, got {type(value).__name__}")
    url = value.strip().rstrip("/")
    problem = None
    if _UNPRINTABLE.search(url) or any(c.isspace() for c in url):
        problem = "contains whitespace or control characters"
    else:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as error:
            problem = str(error)
        else:
            if parsed.scheme not in ("http", "https") or not parsed.host:
                problem = "expected an http:// or https:// URL with a host"
            elif "?" in url or "#" in url:
                problem = "must not have a query or a fragment"
    if problem is not None:
        raise InvalidArgumentError("base_url", f"{problem}: {_preview(value)}")
    return url


def ensure_count(value: object, argument: str) -> int:
    """A whole number, zero or more (``max_retries``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(argument, f"expected int, got {type(value).__name__}")
    if value < 0:
        raise InvalidArgumentError(argument, f"must be 0 or more, got {value}")
    return value


def _preview(value: str) -> str:
    """A short, printable rendering of a rejected value for an error message."""
    return repr(value if len(value) <= 60 else value[:60] + "…")
