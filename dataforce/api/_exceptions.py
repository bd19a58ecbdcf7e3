"""The SDK's error hierarchy: everything it raises derives from :class:`DataForceAPIError`.

One base class lets callers catch the SDK's failures with a single ``except`` while the
subclasses say precisely what went wrong: bad input (before anything was sent), client
configuration, lookups, the transport, a response that breaks the contract, or an error
status from the service (one class per status). No message, repr or attribute here ever
holds the API key: errors carry the method, path, status and the service's own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIResponseTooLargeError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DataForceAPIError",
    "DefaultOrbitDeletionError",
    "EndpointNotFoundError",
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
_MAX_LISTED_IDS = 20
_MAX_SHOWN_NAME = 120


class DataForceAPIError(Exception):
    """Base class of every error the SDK raises."""


class _ArgumentProblem(DataForceAPIError):
    """An argument the SDK refused before sending anything; ``argument`` names it."""

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        self.problem = message
        super().__init__(f"{argument}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.argument, self.problem))


class InvalidArgumentError(_ArgumentProblem, ValueError):
    """An argument has the right type but an unusable value; nothing was sent.

    Also a :class:`ValueError`, so code that validates input generically keeps working.
    """


class InvalidArgumentTypeError(_ArgumentProblem, TypeError):
    """An argument has the wrong type; nothing was sent. Also a :class:`TypeError`."""


class ConfigurationError(DataForceAPIError):
    """The client lacks something the call needs, e.g. a default orbit for ``update``.

    ``missing`` names it: ``"api_key"``, ``"organization"`` or ``"orbit"`` — so that a
    program (the ``dataforce`` command, say) can point at the right setting.
    """

    def __init__(self, message: str, *, missing: str | None = None) -> None:
        self.missing = missing
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, {"missing": self.missing}))


class DefaultOrbitDeletionError(DataForceAPIError):
    """``orbits.delete`` was asked to delete the client's default orbit; nothing was sent.

    Example:
        >>> dfs.orbits.delete("0199c455-21ed-7aba-9fe5-5231611220de")
        Traceback (most recent call last):
            ...
        DefaultOrbitDeletionError: refusing to delete orbit ...: it is this client's default orbit
    """


class MultipleResourcesFoundError(DataForceAPIError):
    """A name matched several resources; the service allows duplicate names.

    ``ids`` holds every matching ID; the message shows at most 20 of them (a name may be
    shared by thousands of orbits, and a message ends up in logs and terminals).
    """

    def __init__(self, kind: str, name: str, ids: Sequence[str], hint: str) -> None:
        self.kind = kind
        self.name = name
        self.ids = tuple(ids)
        self.hint = hint
        shown = ", ".join(self.ids[:_MAX_LISTED_IDS])
        if len(self.ids) > _MAX_LISTED_IDS:
            shown += f" and {len(self.ids) - _MAX_LISTED_IDS} more"
        super().__init__(f"{len(self.ids)} {kind}s are named {shorten(name)!r} ({shown}); {hint}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.kind, self.name, self.ids, self.hint))


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

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (type(self), self.args, {"status_code": self.status_code, "body": self.body}),
        )


class APIResponseTooLargeError(APIResponseValidationError):
    """The answer's body, decoded, is larger than the client's ``max_response_size``.

    Reading stopped there: nothing of the body is kept, and the call is not retried.
    """

    def __init__(self, message: str, *, status_code: int, limit: int) -> None:
        self.limit = limit
        super().__init__(message, status_code=status_code)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (type(self), self.args, {"status_code": self.status_code, "limit": self.limit}),
        )


class APIStatusError(DataForceAPIError):
    """The service answered with an error status. ``detail`` is its explanation.

    ``headers`` are the answer's headers (``httpx.Headers``; a value echoing the API key
    is redacted), ``request_id`` its ``x-request-id`` (or ``request-id``) header, or
    ``None``: quote it to the service's support. The error keeps no httpx request or
    response (the request carries the ``Authorization`` header); it pickles.
    """

    status_code: int

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        path: str,
        body: object,
        detail: str,
        headers: httpx.Headers | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.body = body
        self.detail = detail
        if headers is None:
            import httpx

            headers = httpx.Headers()
        self.headers = headers
        self.request_id = request_id
        shown = detail if len(detail) <= _MAX_DETAIL else detail[:_MAX_DETAIL] + "…"
        quoted = "" if request_id is None else f" (request id {request_id!r})"
        super().__init__(f"{method} {path} answered {status_code}: {shown}{quoted}")

    def __reduce__(self) -> tuple[Any, ...]:
        fields = ("status_code", "method", "path", "body", "detail", "headers", "request_id")
        return (_rebuild, (type(self), (), {name: getattr(self, name) for name in fields}))


class BadRequestError(APIStatusError):
    """400: the service refused the request as malformed (e.g. invalid members)."""


class AuthenticationError(APIStatusError):
    """401: missing, malformed or unknown API key."""


class PermissionDeniedError(APIStatusError):
    """403: the API key's user lacks the right for this action."""


class NotFoundError(APIStatusError):
    """404: no such resource in the organization.

    Example:
        >>> try:
        ...     dfs.orbits.delete("0199c455-21ed-7aba-9fe5-000000000000")
        ... except NotFoundError as error:
        ...     print(error.status_code, error.detail)
        404 Orbit not found
    """


class EndpointNotFoundError(NotFoundError):
    """404 from the service's framework, not from the API: it serves no such path.

    The service answers ``404 {"detail": "Not Found"}`` for a path it has no route for,
    where a resource it cannot find is ``404 {"detail": "Orbit not found"}`` (a
    :class:`NotFoundError` that ``orbits.get`` turns into ``None``). Seen when the SDK and
    the service disagree on the API's paths — a service of another release than the one
    this SDK was built for — or when ``base_url`` points somewhere else than the API's
    host. ``url`` is the URL tried; never retried, never ``None`` from ``get``.
    """

    def __init__(self, *, url: str, **fields: Any) -> None:
        super().__init__(**fields)
        self.url = url
        from .. import DISTRIBUTION, __version__

        Exception.__init__(
            self,
            f"{self.method} {url} answered {self.status_code} {self.detail!r}: the service "
            f"does not serve this path. Check base_url (the API's host, e.g. "
            f"https://api.dataforce.studio) and that the service runs the API version "
            f"this SDK ({DISTRIBUTION} {__version__}) is built for",
        )

    def __reduce__(self) -> tuple[Any, ...]:
        fields = ("status_code", "method", "path", "body", "detail", "headers", "request_id")
        state = {name: getattr(self, name) for name in fields}
        return (_rebuild, (type(self), (), {**state, "url": self.url}))


class ConflictError(APIStatusError):
    """409: e.g. the organization reached its maximum number of orbits."""


class UnprocessableEntityError(APIStatusError):
    """422: the service's request validation failed; ``body["detail"]`` lists why."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """5xx: the service (or a proxy in front of it) failed."""


def _rebuild(cls: type[Exception], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Exception:
    """Unpickle an error whose constructor takes keyword arguments."""
    return cls(*args, **kwargs)


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


def shorten(text: str, limit: int = _MAX_SHOWN_NAME) -> str:
    """``text`` cut to ``limit`` characters, for a message."""
    return text if len(text) <= limit else text[:limit] + "…"


def describe_detail(body: Any, fallback: str) -> str:
    """The service's explanation of an error body, in one line.

    ``{"detail": str}`` gives the string; the 422 list gives each ``loc: msg``; anything
    else (plain text, a proxy's HTML page, an unexpected shape) gives its first line, or
    ``fallback``. Never raises: it reads bodies that may break the contract.
    """
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):
            parts = [_validation_item(item) for item in detail if isinstance(item, dict)]
            if parts:
                return "; ".join(parts)
    if isinstance(body, str):
        first = body.strip().splitlines()[0].strip() if body.strip() else ""
        if first and not first.startswith("<"):
            return first
    return fallback


def _validation_item(item: dict[str, Any]) -> str:
    loc = item.get("loc")
    where = ".".join(str(p) for p in loc if p is not None) if isinstance(loc, list) else ""
    message = str(item.get("msg", ""))
    return f"{where}: {message}" if where else message
