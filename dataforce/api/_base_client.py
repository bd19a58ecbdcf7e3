"""What the sync and async clients share: options, headers, defaults, repr.

Everything that decides something lives here or in the flows (``_transport``,
``_config``, ``resources``); the two client classes only add how they wait.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar
from uuid import UUID

import httpx

from .. import __version__
from ._attempt import ACCEPT_ENCODING, bound_attempts
from ._config import State, require
from ._cookies import refusing_jar
from ._exceptions import (
    ConfigurationError,
    DataForceAPIError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from ._headers import ensure_headers, merge_headers
from ._pool import Borrowed, Pool
from ._transport import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    Call,
    configure_logging_from_env,
    logger,
    request_log_level,
)
from ._validation import (
    ensure_api_key,
    ensure_base_url,
    ensure_count,
    ensure_seconds,
    without_userinfo,
)

if TYPE_CHECKING:
    from httpx._client import UseClientDefault

    from ._async_pool import AsyncPool

DEFAULT_BASE_URL = "https://api.dataforce.studio"
#: The largest body, once decoded, a client accepts by default: a list of a million
#: orbits (about 400 bytes each) fits.
DEFAULT_MAX_RESPONSE_SIZE: Final = 512 * 1024 * 1024
# A bounded pool: a client shared by many threads or tasks queues on it instead of
# opening connections without limit.
POOL_LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=20)
REDACTED: Final = "[redacted]"

# Environment variables httpx reads when it builds a client; a bad value in one of them
# fails there, and is reported by name.
_PROXY_VARIABLES: Final = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
_TLS_VARIABLES: Final = ("SSL_CERT_FILE", "SSL_CERT_DIR")


def _timeout(value: object) -> httpx.Timeout:
    """A timeout whose every field is a finite, positive number of seconds."""
    if isinstance(value, httpx.Timeout):
        fields = {}
        for field in ("connect", "read", "write", "pool"):
            seconds = getattr(value, field)
            if seconds is None:
                from ._exceptions import InvalidArgumentError

                raise InvalidArgumentError(
                    "timeout", f"httpx.Timeout field {field!r} must be finite, got None"
                )
            fields[field] = ensure_seconds(seconds, f"timeout.{field}")
        return httpx.Timeout(**fields)
    return httpx.Timeout(ensure_seconds(value, "timeout"))


def _attempt_budget(timeout: httpx.Timeout) -> float:
    """How long one attempt may last, end to end: the timeout's longest field."""
    return max(seconds or 0.0 for seconds in timeout.as_dict().values())


class _Secret:
    """The API key until the header is built: shown as ``[redacted]`` in any repr, so
    that an error reporter capturing frame locals does not capture the key."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("an API key is not picklable")


class _HeaderSecret(str):
    """The ``Authorization`` value: a ``str`` for httpx, ``[redacted]`` for repr."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(REDACTED)


class Options:
    """Connection settings of one client. The API key is kept out of every repr.

    ``request_headers`` and ``request_timeout`` are what each request passes to httpx.
    With the SDK's own httpx client, which is built with the SDK's headers and timeout,
    they are httpx's "use the client's" defaults, sparing a copy per request; they are
    set only by ``with_options`` (or a per-call option) that changes them. With a
    caller's ``http_client=`` (``borrowed``), every request carries them: the caller's
    client keeps its own defaults for its own requests.
    """

    __slots__ = (
        "_key",
        "attempt_timeout",
        "base_url",
        "borrowed",
        "extra_headers",
        "headers",
        "max_response_size",
        "max_retries",
        "request_headers",
        "request_log_level",
        "request_timeout",
        "timeout",
        "via_proxy",
    )

    def __init__(
        self,
        base_url: str | None,
        api_key: str | None,
        max_retries: object,
        timeout: object,
        max_response_size: object = DEFAULT_MAX_RESPONSE_SIZE,
        *,
        borrowed: bool = False,
    ) -> None:
        key = _Secret(ensure_api_key(_api_key(api_key)))
        self.base_url = ensure_base_url(
            base_url or os.environ.get("DFS_BASE_URL") or DEFAULT_BASE_URL
        )
        self.max_retries = ensure_count(max_retries, "max_retries")
        self.timeout = _timeout(timeout)
        self.attempt_timeout = _attempt_budget(self.timeout)
        self.max_response_size = ensure_count(max_response_size, "max_response_size", 1)
        self.request_log_level = request_log_level()
        self.via_proxy = ""
        self._key = key
        # Built once per client: every request reuses this mapping.
        self.headers = {
            "Authorization": _HeaderSecret("Bearer " + key.reveal()),
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": f"dataforce-python/{__version__}",
        }
        self.extra_headers: dict[str, str] = {}
        self.borrowed = borrowed
        self.request_timeout: httpx.Timeout | UseClientDefault = (
            self.timeout if borrowed else httpx.USE_CLIENT_DEFAULT
        )
        self.request_headers: dict[str, str] | None = self.headers if borrowed else None

    def derive(self, max_retries: object, timeout: object, extra_headers: object = None) -> Options:
        """These options with some changed; ``None`` keeps this one's. Validated first."""
        derived = object.__new__(Options)
        derived.base_url = self.base_url
        derived.headers = self.headers
        derived._key = self._key
        derived.via_proxy = self.via_proxy
        derived.request_log_level = self.request_log_level
        derived.max_response_size = self.max_response_size
        derived.borrowed = self.borrowed
        derived.max_retries = (
            self.max_retries if max_retries is None else ensure_count(max_retries, "max_retries")
        )
        if timeout is None:
            derived.timeout, derived.request_timeout = self.timeout, self.request_timeout
        else:
            derived.timeout = derived.request_timeout = _timeout(timeout)
        derived.attempt_timeout = _attempt_budget(derived.timeout)
        if extra_headers is None:
            derived.extra_headers = self.extra_headers
            derived.request_headers = self.request_headers
        else:
            extra = merge_headers(self.extra_headers, ensure_headers(extra_headers))
            derived.extra_headers = extra
            if self.borrowed:
                derived.request_headers = merge_headers(self.headers, extra)
            else:  # httpx adds them to the client's, which are the SDK's
                derived.request_headers = extra or None
        return derived

    def redact(self, text: str) -> str:
        """``text`` with the API key replaced by ``[redacted]``: for anything built from
        a server's answer, which may echo the key back."""
        key = self._key.reveal()
        return text.replace(key, REDACTED) if key in text else text

    def new_http(self) -> httpx.Client:
        http = _new_http(httpx.Client, self._httpx_arguments())
        self.via_proxy = _proxy_note(http, self.base_url)
        return http

    def new_async_http(self) -> httpx.AsyncClient:
        http = _new_http(httpx.AsyncClient, self._httpx_arguments())
        self.via_proxy = _proxy_note(http, self.base_url)
        return http

    def borrow(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """Prepare to send on the caller's ``http``: see :func:`borrowed_http`."""
        self._log_headers("the caller's http_client")
        bound_attempts(http)
        self.via_proxy = _proxy_note(http, self.base_url)

    def _httpx_arguments(self) -> dict[str, Any]:
        self._log_headers("client")
        return {
            "base_url": self.base_url,
            "headers": self.headers,
            "timeout": self.timeout,
            "limits": POOL_LIMITS,
            "cookies": refusing_jar(),
        }

    def _log_headers(self, what: str) -> None:
        configure_logging_from_env()
        if logger.isEnabledFor(logging.DEBUG):
            shown = {k: (REDACTED if k == "Authorization" else v) for k, v in self.headers.items()}
            logger.debug("%s for %s with headers %s", what, self.base_url, shown)

    def __repr__(self) -> str:
        # getattr: an Options whose __init__ failed half-way is still shown.
        return (
            f"Options(base_url={getattr(self, 'base_url', None)!r}, "
            f"max_retries={getattr(self, 'max_retries', None)})"
        )


def _api_key(api_key: object) -> object:
    if api_key is not None:
        return api_key
    key = os.environ.get("DFS_API_KEY")
    if key is None or key == "":
        raise ConfigurationError(
            "no API key: pass api_key= or set the DFS_API_KEY environment variable",
            missing="api_key",
        )
    return key


_HTTP = TypeVar("_HTTP", httpx.Client, httpx.AsyncClient)


def _new_http(kind: type[_HTTP], arguments: dict[str, Any]) -> _HTTP:
    """An httpx client whose every attempt is bounded (``_attempt``); a proxy or TLS
    setting from the environment that httpx cannot use is a :class:`ConfigurationError`
    naming the variable, not a raw ``InvalidURL`` or ``ImportError``."""
    try:
        http = kind(**arguments)
    except (httpx.InvalidURL, ImportError, ValueError, TypeError, OSError) as error:
        raise _environment_error(error) from None
    bound_attempts(http)
    return http


def _set_variables(variables: tuple[str, ...]) -> list[str]:
    return [
        name
        for variable in variables
        for name in dict.fromkeys((variable, variable.lower()))
        if os.environ.get(name)
    ]


def _proxy_note(http: httpx.Client | httpx.AsyncClient, base_url: str) -> str:
    """Which environment variable's proxy requests to ``base_url`` go through, for the
    message of a connection error ("" when they go direct)."""
    transport_for_url = getattr(http, "_transport_for_url", None)  # httpx's own routing
    if transport_for_url is None or transport_for_url(httpx.URL(base_url)) is http._transport:
        return ""
    scheme = base_url.partition(":")[0].upper()
    names = _set_variables((f"{scheme}_PROXY", "ALL_PROXY"))
    return f" (through the proxy set in {names[0]})" if names else " (through a proxy)"


def _environment_error(error: Exception) -> ConfigurationError:
    # A proxy URL httpx cannot parse or use, or a TLS file it cannot load.
    tls = isinstance(error, OSError)
    names = _set_variables(_TLS_VARIABLES if tls else _PROXY_VARIABLES)
    where = ", ".join(names) if names else "none of the proxy and TLS variables is set"
    what = without_userinfo(str(error).splitlines()[0] if str(error) else "")
    return ConfigurationError(
        f"cannot set up the HTTP connection from the environment ({where}): "
        f"{type(error).__name__}: {what[:200]}; fix or unset the variable",
        missing="environment",
    )


def check_http_client(
    http_client: object, kind: type[httpx.Client] | type[httpx.AsyncClient], owner: str
) -> None:
    """Refuse an ``http_client=`` the SDK cannot send on as documented."""
    if not isinstance(http_client, kind):
        other = httpx.AsyncClient if kind is httpx.Client else httpx.Client
        hint = ""
        if isinstance(http_client, other):
            partner = "AsyncDataForceClient" if kind is httpx.Client else "DataForceClient"
            hint = f": an httpx.{other.__name__} goes with {partner}"
        raise InvalidArgumentTypeError(
            "http_client",
            f"{owner} expects an httpx.{kind.__name__} or None, "
            f"got {type(http_client).__name__}{hint}",
        )
    if http_client.is_closed:
        raise InvalidArgumentError("http_client", "this httpx client is already closed")
    if http_client.auth is not None:
        # httpx would apply it after the SDK set its headers, replacing Authorization.
        raise InvalidArgumentError(
            "http_client",
            "has auth= set, which would replace the SDK's Authorization header: pass "
            "the key as api_key= and make the httpx client without auth=",
        )


class ClientCore:
    """State and behaviour common to :class:`DataForceClient` and
    :class:`AsyncDataForceClient`."""

    _options: Options
    _state: State
    _pool: Pool | AsyncPool | Borrowed
    _owns_http: bool

    @property
    def _http(self) -> Any:
        """The httpx client requests go out on now (per process, per event loop)."""
        return self._pool.http

    @property
    def base_url(self) -> str:
        """The URL of the service's host that requests go to."""
        return self._options.base_url

    @property
    def max_retries(self) -> int:
        """How many times a failed call is retried."""
        return self._options.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        """What bounds each attempt of a call."""
        return self._options.timeout

    @property
    def max_response_size(self) -> int:
        """The largest response body (decoded) the client accepts, in bytes."""
        return self._options.max_response_size

    @property
    def organization(self) -> str | None:
        """The default organization's ID (``None`` when there is none, or not resolved yet)."""
        resolved = self._state.resolved
        return None if resolved is None else resolved.organization

    @property
    def orbit(self) -> str | None:
        """The default orbit's ID (``None`` when there is none, or not resolved yet)."""
        resolved = self._state.resolved
        return None if resolved is None else resolved.orbit

    @property
    def collection(self) -> str | None:
        """The default collection, kept as given."""
        return self._state.defaults.collection

    def _require(self, what: str) -> str:
        return require(getattr(self._state.resolved, what, None), what)

    def _build_request(self, http: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        """The httpx request for ``call``.

        The URL is joined here, not by httpx: given a path relative to its ``base_url``,
        httpx parses the URL twice per request (about 13 us, 5% of a small request's
        CPU); an absolute one, once. The client's own timeout is left as httpx's default
        unless ``with_options`` changed it, sparing a ``Timeout`` copy per request.
        """
        options = self._options
        if http.is_closed:
            raise self._closed_error()
        return http.build_request(
            call.method,
            options.base_url + call.path,
            json=call.json,
            headers=options.request_headers,
            timeout=options.request_timeout,
        )

    def _closed_error(self) -> DataForceAPIError:
        if self._options.borrowed and not self._pool.closed:
            return DataForceAPIError(
                f"the http_client given to this {type(self).__name__} was closed by "
                "its owner: make a new httpx client and client"
            )
        return DataForceAPIError(f"{type(self).__name__} is closed: make a new client")

    def _closed_while_sending(self, http: httpx.Client | httpx.AsyncClient) -> bool:
        """Whether an error out of httpx comes from a close() that raced the attempt (on
        another thread, or another task): httpx then raises ``RuntimeError`` ("Cannot
        send a request, as the client has been closed", a closed stream), not an error
        of the request."""
        return self._pool.closed or http.is_closed

    def with_options(
        self,
        *,
        organization: str | UUID | None = None,
        orbit: str | UUID | None = None,
        max_retries: int | None = None,
        timeout: float | httpx.Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A client with other settings, sharing this one's connection pool.

        ``None`` keeps this client's setting. ``organization`` and ``orbit`` (ID or exact
        name) give the new client other defaults, checked now and resolved at its first
        call: another orbit alone is looked up in this client's organization; another
        organization alone comes with the orbit ``DFS_ORBIT`` names, else its only one.
        Without them, the new client shares this one's defaults. ``extra_headers`` are
        added to every request of the new client, after this client's own extra headers
        (a name given again replaces the value, case-insensitively); ``Authorization``
        and the headers the SDK's guarantees rest on are refused
        (``InvalidArgumentError``). Closing the new client does not close the pool;
        close the original.

        Example:
            >>> dfs.with_options(max_retries=0).max_retries
            0
        """
        derived = self._derived(max_retries, timeout, extra_headers)
        if organization is not None or orbit is not None:
            state = self._state
            derived._state = State(state.defaults.replace(state.resolved, organization, orbit))
        return derived

    def _derived(self, max_retries: object, timeout: object, extra_headers: object) -> Self:
        """:meth:`with_options`, unannotated: also what per-call options run on."""
        derived = object.__new__(type(self))
        derived.__dict__.update(self.__dict__)
        derived.__dict__.pop("orbits", None)  # the cached resource is bound to self
        derived._options = self._options.derive(max_retries, timeout, extra_headers)
        derived._owns_http = False
        return derived

    def __copy__(self) -> Self:
        """Like :meth:`with_options`: the copy shares the pool and does not own it."""
        return self.with_options()

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        raise TypeError(
            f"a {type(self).__name__} cannot be deep-copied (its connection pool cannot "
            "be): use client.with_options() for a client sharing it, or make a new client"
        )

    def __reduce_ex__(self, protocol: object) -> Any:
        raise TypeError(
            f"a {type(self).__name__} cannot be pickled: make a new client in the other process"
        )

    def __repr__(self) -> str:
        # Never raises, even for a client whose __init__ failed half-way (error
        # reporters call repr() on every local of a failing frame).
        options = self.__dict__.get("_options")
        state = self.__dict__.get("_state")
        resolved = getattr(state, "resolved", None)
        return (
            f"{type(self).__name__}(base_url={getattr(options, 'base_url', None)!r}, "
            f"organization={getattr(resolved, 'organization', None)!r}, "
            f"orbit={getattr(resolved, 'orbit', None)!r})"
        )


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ClientCore",
    "Options",
    "check_http_client",
]
