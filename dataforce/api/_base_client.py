"""What the sync and async clients share: options, headers, defaults, repr.

Everything that decides something lives here or in the flows (``_transport``,
``_config``, ``resources``); the two client classes only add how they wait.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any, Self

import httpx

from .. import __version__
from ._config import State, require
from ._exceptions import ConfigurationError, DataForceAPIError, InvalidArgumentTypeError
from ._transport import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    Call,
    configure_logging_from_env,
    logger,
    request_log_level,
)
from ._validation import ensure_api_key, ensure_base_url, ensure_count

if TYPE_CHECKING:
    from httpx._client import UseClientDefault

DEFAULT_BASE_URL = "https://api.dataforce.studio"
# A bounded pool: a client shared by many threads or tasks queues on it instead of
# opening connections without limit.
POOL_LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=20)


def _timeout(value: object) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentTypeError(
            "timeout", f"expected seconds (float) or httpx.Timeout, got {type(value).__name__}"
        )
    if value <= 0:
        from ._exceptions import InvalidArgumentError

        raise InvalidArgumentError("timeout", f"must be positive, got {value}")
    return httpx.Timeout(float(value))


class Options:
    """Connection settings of one client. The API key is kept out of every repr."""

    __slots__ = (
        "base_url",
        "headers",
        "max_retries",
        "request_log_level",
        "request_timeout",
        "timeout",
    )

    def __init__(
        self, base_url: str | None, api_key: str | None, max_retries: object, timeout: object
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("DFS_API_KEY")
        if key is None or key == "":
            raise ConfigurationError(
                "no API key: pass api_key= or set the DFS_API_KEY environment variable",
                missing="api_key",
            )
        key = ensure_api_key(key)
        self.base_url = ensure_base_url(
            base_url or os.environ.get("DFS_BASE_URL") or DEFAULT_BASE_URL
        )
        self.max_retries = ensure_count(max_retries, "max_retries")
        self.timeout = _timeout(timeout)
        # What each request passes to httpx: the client's own timeout, set at its creation.
        self.request_timeout: httpx.Timeout | UseClientDefault = httpx.USE_CLIENT_DEFAULT
        self.request_log_level = request_log_level()
        # Built once per client: every request reuses this mapping.
        self.headers = {
            "Authorization": f"Bearer {key}",
            "Accept": "application/json",
            "User-Agent": f"dataforce-python/{__version__}",
        }

    def derive(self, max_retries: object, timeout: object) -> Options:
        derived = object.__new__(Options)
        derived.base_url = self.base_url
        derived.headers = self.headers
        derived.request_log_level = self.request_log_level
        derived.max_retries = (
            self.max_retries if max_retries is None else ensure_count(max_retries, "max_retries")
        )
        if timeout is None:
            derived.timeout, derived.request_timeout = self.timeout, self.request_timeout
        else:
            derived.timeout = derived.request_timeout = _timeout(timeout)
        return derived

    def httpx_arguments(self) -> dict[str, Any]:
        configure_logging_from_env()
        if logger.isEnabledFor(logging.DEBUG):
            shown = {
                k: ("[redacted]" if k == "Authorization" else v) for k, v in self.headers.items()
            }
            logger.debug("client for %s with headers %s", self.base_url, shown)
        return {
            "base_url": self.base_url,
            "headers": self.headers,
            "timeout": self.timeout,
            "limits": POOL_LIMITS,
        }

    def __repr__(self) -> str:
        return f"Options(base_url={self.base_url!r}, max_retries={self.max_retries})"


class ClientCore:
    """State and behaviour common to :class:`DataForceClient` and
    :class:`AsyncDataForceClient`."""

    _options: Options
    _state: State
    _http: httpx.Client | httpx.AsyncClient
    _owns_http: bool

    @property
    def base_url(self) -> str:
        return self._options.base_url

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

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

    def _build_request(self, call: Call) -> httpx.Request:
        """The httpx request for ``call``.

        The URL is joined here, not by httpx: given a path relative to its ``base_url``,
        httpx parses the URL twice per request (about 13 us, 5% of a small request's
        CPU); an absolute one, once. The client's own timeout is left as httpx's default
        unless ``with_options`` changed it, sparing a ``Timeout`` copy per request.
        """
        options, http = self._options, self._http
        if http.is_closed:
            raise DataForceAPIError(f"{type(self).__name__} is closed: make a new client")
        return http.build_request(
            call.method,
            options.base_url + call.path,
            json=call.json,
            timeout=options.request_timeout,
        )

    def with_options(
        self, *, max_retries: int | None = None, timeout: float | httpx.Timeout | None = None
    ) -> Self:
        """A client with other retry/timeout settings, sharing this one's connection pool
        and defaults. Closing it does not close the pool; close the original."""
        derived = object.__new__(type(self))
        derived.__dict__.update(self.__dict__)
        derived.__dict__.pop("orbits", None)  # the cached resource is bound to self
        derived._options = self._options.derive(max_retries, timeout)
        derived._owns_http = False
        return derived

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"organization={self.organization!r}, orbit={self.orbit!r})"
        )


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "ClientCore", "Options"]
