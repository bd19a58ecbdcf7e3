"""Checks on caller input, run before anything is sent.

Every public method validates its arguments here first, so bad input raises a typed error
naming the argument and no request leaves the process. IDs are accepted as ``uuid.UUID``
or as the canonical 36-character text form only: anything else could reshape the URL
(``../``, ``%2F``) once interpolated into a path, so it never gets that far.
"""

from __future__ import annotations

import functools
import math
import re
import uuid
from collections.abc import Callable
from typing import AnyStr, Final

import httpx

from ._exceptions import InvalidArgumentError, InvalidArgumentTypeError

MAX_NAME_LENGTH = 100


def lazy_pattern(pattern: AnyStr) -> Callable[[], re.Pattern[AnyStr]]:
    """``pattern``, compiled at its first use: compiling the SDK's few patterns when
    ``dataforce.api`` is imported cost 1.4 ms, a tenth of what the facade adds to the
    import of httpx, for checks that many programs never reach."""
    return functools.cache(lambda: re.compile(pattern))


_UUID_TEXT = lazy_pattern(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
# C0/C1 control characters and lone surrogates: invisible in logs and UIs, and a lone
# surrogate cannot even be encoded as UTF-8 JSON.
_UNPRINTABLE = lazy_pattern(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Whitespace as the spec's `\S` pattern sees it (ECMAScript), which Python's str.strip()
# does not entirely: U+FEFF is whitespace there and not here.
_ECMA_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_USERINFO = lazy_pattern(r"(//)\S*@")
# An API key goes into an HTTP header: visible ASCII only (no CR/LF, no spaces).
_HEADER_SAFE = lazy_pattern(r"[\x21-\x7e]+")


def is_uuid_text(value: str) -> bool:
    return len(value) == 36 and _UUID_TEXT().fullmatch(value) is not None


# The value slot of every UUID, read past anything a subclass defines in its place.
_UUID_INT: Final = uuid.UUID.__dict__["int"]
_str_of: Final = str.__str__


def plain_str(value: str) -> str:
    """An exact ``str`` with the characters of ``value``, whatever its class overrides.

    ``str(x)`` and ``x.lower()`` run a subclass's own methods, which may answer anything;
    ``str.__str__`` copies the characters themselves.
    """
    return value if type(value) is str else _str_of(value)


def canonical_uuid(value: uuid.UUID) -> str:
    """The lower-case text form of ``value``, built from its 128-bit integer alone: a
    subclass's ``__str__``, ``hex`` or ``int`` property never reaches a path."""
    number = _UUID_INT.__get__(value, uuid.UUID)
    if type(number) is not int or not 0 <= number < 1 << 128:
        raise InvalidArgumentError("id", "a uuid.UUID whose value is not a 128-bit integer")
    return str(uuid.UUID(int=number))


def ensure_id(value: object, argument: str) -> str:
    """Return ``value`` as a lower-case canonical UUID string, or raise."""
    if isinstance(value, str):
        text = plain_str(value)
        if is_uuid_text(text):
            return text.lower()
        raise InvalidArgumentError(argument, f"expected a UUID, got {_preview(text)}")
    if isinstance(value, uuid.UUID):
        return _uuid_argument(value, argument)
    raise InvalidArgumentTypeError(
        argument, f"expected a UUID as str or uuid.UUID, got {type(value).__name__}"
    )


def _uuid_argument(value: uuid.UUID, argument: str) -> str:
    try:
        return canonical_uuid(value)
    except InvalidArgumentError as error:
        raise InvalidArgumentError(argument, error.problem) from None


def ensure_name(value: object, argument: str, max_length: int | None = MAX_NAME_LENGTH) -> str:
    """Return ``value`` as a plain ``str`` if it is a usable name: not blank, no control
    characters, and (for orbits) at most 100 characters."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(argument, f"expected str, got {type(value).__name__}")
    text = plain_str(value)
    if not text.strip() or not text.strip(_ECMA_WHITESPACE):
        raise InvalidArgumentError(argument, "must not be empty or blank")
    if max_length is not None and len(text) > max_length:
        raise InvalidArgumentError(
            argument, f"must be at most {max_length} characters, got {len(text)}"
        )
    if _UNPRINTABLE().search(text):
        raise InvalidArgumentError(argument, "must not contain control characters")
    return text


def ensure_id_or_name(
    value: object, argument: str, max_length: int | None = MAX_NAME_LENGTH
) -> tuple[str | None, str | None]:
    """Split a lookup value into ``(id, None)`` or ``(None, name)``, both plain ``str``.

    A string in UUID form is taken as an ID, as the reference documentation specifies
    for ``orbits.get``; every other string must be a valid name.
    """
    if isinstance(value, uuid.UUID):
        return _uuid_argument(value, argument), None
    if isinstance(value, str):
        text = plain_str(value)
        if is_uuid_text(text):
            return text.lower(), None
        return None, ensure_name(text, argument, max_length)
    return None, ensure_name(value, argument, max_length)


def ensure_api_key(value: object) -> str:
    """Check the API key's shape without ever echoing it back."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError("api_key", f"expected str, got {type(value).__name__}")
    value = plain_str(value)
    if not value:
        raise InvalidArgumentError("api_key", "must not be empty")
    if not _HEADER_SAFE().fullmatch(value):
        raise InvalidArgumentError(
            "api_key",
            "contains characters that cannot go into an HTTP header "
            "(whitespace, CR/LF, control or non-ASCII characters)",
        )
    return value


def ensure_base_url(value: object) -> str:
    """An http(s) URL with a host and no query, fragment or user information, without its
    trailing slash: request paths are appended to it as they are.

    Every path the SDK sends starts with the API's version (``/v1``), so a URL that ends
    with it (``https://api.dataforce.studio/v1``, as some documents write the API's
    address) is taken without it, rather than sending ``/v1/v1/...``.
    """
    if not isinstance(value, str):
        raise InvalidArgumentTypeError("base_url", f"expected str, got {type(value).__name__}")
    url = plain_str(value).strip().rstrip("/")
    problem = None
    if _UNPRINTABLE().search(url) or any(c.isspace() for c in url):
        problem = "contains whitespace or control characters"
    else:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as error:
            problem = without_userinfo(str(error))
        else:
            if parsed.userinfo:
                # httpx would send it as Basic auth in place of the API key, and show the
                # password wherever the URL is shown.
                raise InvalidArgumentError(
                    "base_url",
                    "must not contain user information (user:password@): the API key is "
                    "the only credential; pass it with api_key= or DFS_API_KEY",
                )
            if parsed.scheme not in ("http", "https") or not parsed.host:
                problem = "expected an http:// or https:// URL with a host"
            elif "?" in url or "#" in url:
                problem = "must not have a query or a fragment"
    if problem is not None:
        raise InvalidArgumentError("base_url", f"{problem}: {_preview(without_userinfo(url))}")
    from ._operations import VERSION_PREFIX  # the spec's; needed by any call anyway

    if VERSION_PREFIX and httpx.URL(url).raw_path.endswith(VERSION_PREFIX.encode()):
        url = url[: -len(VERSION_PREFIX)].rstrip("/")
    return url


def without_userinfo(text: str) -> str:
    """``text`` with anything that looks like ``user:password@`` after ``//`` hidden."""
    return _USERINFO().sub(r"\1[hidden]@", text)


def ensure_count(value: object, argument: str, minimum: int = 0) -> int:
    """A whole number, ``minimum`` or more (``max_retries``, ``max_response_size``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentTypeError(argument, f"expected int, got {type(value).__name__}")
    number = int.__index__(value)  # a plain int, whatever a subclass overrides
    if number < minimum:
        raise InvalidArgumentError(argument, f"must be {minimum} or more, got {number}")
    return number


def ensure_seconds(value: object, argument: str) -> float:
    """A finite, positive number of seconds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentTypeError(
            argument, f"expected seconds (float) or httpx.Timeout, got {type(value).__name__}"
        )
    try:
        if isinstance(value, float):
            seconds = float.__float__(value)
        else:
            seconds = float(int.__index__(value))
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds) or seconds <= 0:
        raise InvalidArgumentError(argument, f"must be a finite number above 0, got {seconds!r}")
    return seconds


def _preview(value: str) -> str:
    """A short, printable rendering of a rejected value for an error message."""
    return repr(value if len(value) <= 60 else value[:60] + "…")
