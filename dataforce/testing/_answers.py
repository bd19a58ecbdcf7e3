"""What the stand-in answers, as a value, and the bodies the service (or its proxy) sends.

An :class:`Answer` is built by the handlers or by a fault and only turned into HTTP by the
serving layer, so everything before that can be decided (and tested) without a socket.
The body shapes are the live service's: ``{"detail": ...}`` JSON for application errors,
plain-text ``Internal Server Error`` for an unhandled error, and an nginx HTML page for the
502/503/504 that the proxy in front of the service answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from dataforce.testing._spec import Operation

__all__ = [
    "JSON",
    "MALFORMED_JSON",
    "TEXT",
    "Answer",
    "default_body",
    "encode_body",
    "error",
    "internal_error",
    "json_answer",
]

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
INTERNAL_ERROR = b"Internal Server Error"
MALFORMED_JSON = b'{"id": "0199c455-21ed-7aba-9fe5-5231611220de", "name": "Default Or'
"""A JSON body cut off mid-way, as a truncated response would arrive."""

_DEFAULT_DETAILS = {401: "Not authenticated", 403: "Not enough rights", 404: "Not Found"}


@dataclass
class Answer:
    """One HTTP answer: status, body, media type, extra headers.

    ``operation`` is the spec operation the answer is for (None when no route matched, or
    for an injected answer): response validation checks the answer against it.
    """

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    operation: Operation | None = None

    @property
    def has_body(self) -> bool:
        """Whether HTTP lets this status carry a body at all."""
        return self.status >= 200 and self.status not in (204, 304)


def json_answer(status: int, payload: Any) -> Answer:
    return Answer(status, json.dumps(payload).encode(), JSON)


def error(status: int, detail: str) -> Answer:
    """An application error: ``{"detail": "<message>"}``."""
    return json_answer(status, {"detail": detail})


def internal_error() -> Answer:
    """The service's unhandled-error answer: a plain-text 500, not JSON."""
    return Answer(500, INTERNAL_ERROR, TEXT)


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _proxy_page(status: int) -> bytes:
    title = f"{status} {reason(status)}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


def default_body(status: int) -> tuple[bytes, str | None]:
    """What an answer of ``status`` usually carries when nothing more specific is known."""
    if status in (204, 304) or status < 200:
        return b"", None
    if status == 500:
        return INTERNAL_ERROR, TEXT
    if status >= 502:  # answered by the proxy in front of the service
        return _proxy_page(status), HTML
    detail = _DEFAULT_DETAILS.get(status, reason(status))
    return json.dumps({"detail": detail}).encode(), JSON


def encode_body(body: Any) -> tuple[bytes, str]:
    """A body given by a test: bytes and str are sent as they are, anything else as JSON."""
    if isinstance(body, bytes):
        return body, TEXT
    if isinstance(body, str):
        return body.encode(), TEXT
    return json.dumps(body).encode(), JSON
