"""The SDK's error hierarchy: everything it raises derives from :class:`DataForceAPIError`.

One base class lets callers catch the SDK's failures with a single ``except`` while the
subclasses say precisely what went wrong: bad input (before anything was sent), client
configuration, lookups, the transport, a response that breaks the contract, or an error
status from the service (one class per status). No message, repr or attribute here ever
holds the API key: errors carry the method, path, status and the service's own words.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DataForceAPIError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "MultipleResourcesFoundError",
    "NotFoundError",
    "OrbitResourceNotFoundError",
    "OrganizationResourceNotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResourceNotFoundError",
    "UnprocessableEntityError",
]

_MAX_DETAIL = 300


class DataForceAPIError(Exception):
    """Base class of every error the SDK raises."""


class InvalidArgumentError(DataForceAPIError, ValueError):
    """An argument has the right type but an unusable value; nothing was sent.

    Also a :class:`ValueError`, so code that validates input generically keeps working.
    """

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {message}")


class InvalidArgumentTypeError(DataForceAPIError, TypeError):
    """An argument has the wrong type; nothing was sent. Also a :class:`TypeError`."""

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        super().__init__(f"{argument}: {message}")


class ConfigurationError(DataForceAPIError):
    """The client lacks something the call needs, e.g. a default orbit for ``update``.

    ``missing`` names it: ``"api_key"``, ``"organization"`` or ``"orbit"`` — so that a
    program (the ``dataforce`` command, say) can point at the right setting.
    """

    def __init__(self, message: str, *, missing: str | None = None) -> None:
        self.missing = missing
        super().__init__(message)


class MultipleResourcesFoundError(DataForceAPIError):
    """A name matched several resources; the service allows duplicate names."""


class ResourceNotFoundError(DataForceAPIError):
    """A resource the client was configured with does not exist (or is not visible)."""


class OrganizationResourceNotFoundError(ResourceNotFoundError):
    """The configured organization is not among the caller's organizations."""


class OrbitResourceNotFoundError(ResourceNotFoundError):
    """The configured orbit does not exist in the organization."""


class APIConnectionError(DataForceAPIError):
    """The service could not be reached, or the connection broke before an answer."""


class APITimeoutError(APIConnectionError):
    """The service did not answer in time (connect, write, read or pool timeout)."""


class APIResponseValidationError(DataForceAPIError):
    """A success response whose body breaks the contract (not JSON, missing or mistyped
    fields). The service may have acted on the request: do not blindly retry writes."""

    def __init__(self, message: str, *, status_code: int, body: object = None) -> None:
        self.status_code = status_code
        self.body = body
        super().__init__(message)


class APIStatusError(DataForceAPIError):
    """The service answered with an error status. ``detail`` is its explanation."""

    status_code: int

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        path: str,
        body: object,
        detail: str,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.body = body
        self.detail = detail
        shown = detail if len(detail) <= _MAX_DETAIL else detail[:_MAX_DETAIL] + "…"
        super().__init__(f"{method} {path} answered {status_code}: {shown}")


class BadRequestError(APIStatusError):
    """400: the service refused the request as malformed (e.g. invalid members)."""


class AuthenticationError(APIStatusError):
    """401: missing, malformed or unknown API key."""


class PermissionDeniedError(APIStatusError):
    """403: the API key's user lacks the right for this action."""


class NotFoundError(APIStatusError):
    """404: no such resource in the organization."""


class ConflictError(APIStatusError):
    """409: e.g. the organization reached its maximum number of orbits."""


class UnprocessableEntityError(APIStatusError):
    """422: the service's request validation failed; ``body["detail"]`` lists why."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """5xx: the service (or a proxy in front of it) failed."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


def describe_detail(body: Any, fallback: str) -> str:
    """The service's explanation of an error body, in one line.

    ``{"detail": str}`` gives the string; the 422 list gives each ``loc: msg``; anything
    else (plain text, a proxy's HTML page) gives its first line, or ``fallback``.
    """
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):
            parts = []
            for item in detail:
                if isinstance(item, dict):
                    loc = ".".join(str(p) for p in item.get("loc", ()) if p is not None)
                    parts.append(f"{loc}: {item.get('msg', '')}" if loc else str(item.get("msg")))
            if parts:
                return "; ".join(parts)
    if isinstance(body, str):
        first = body.strip().splitlines()[0].strip() if body.strip() else ""
        if first and not first.startswith("<"):
            return first
    return fallback
