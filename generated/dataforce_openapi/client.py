"""The low-level clients: where to send requests, and with which httpx client.

Written by ``make generate`` from scripts/templates/client.py.jinja; never edited. A
client's repr is what a traceback, a log line or a debugger prints: it never shows the
token, and shows headers and cookies by name only (any of them may be a credential).
"""

from __future__ import annotations

import ssl
from typing import Any, Self

import httpx

__all__ = ["AuthenticatedClient", "Client"]


def _names_only(values: dict[str, str]) -> dict[str, str]:
    return {name: "<redacted>" for name in values}


class Client:
    """A class for keeping track of data related to the API.

    ``base_url``: the API's host, every request is made to a path relative to it;
    ``cookies`` and ``headers`` are sent with every request; ``timeout`` bounds each
    request (httpx.TimeoutException past it); ``verify_ssl`` whether to verify the
    server's certificate; ``follow_redirects`` (default False); ``httpx_args``: more
    arguments for the ``httpx.Client`` and ``httpx.AsyncClient`` constructors;
    ``raise_on_unexpected_status``: raise ``errors.UnexpectedStatus`` for a status the
    spec does not document.
    """

    def __init__(
        self,
        base_url: str,
        *,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
        verify_ssl: str | bool | ssl.SSLContext = True,
        follow_redirects: bool = False,
        httpx_args: dict[str, Any] | None = None,
        raise_on_unexpected_status: bool = False,
    ) -> None:
        self.raise_on_unexpected_status = raise_on_unexpected_status
        self._base_url = base_url
        self._cookies = dict(cookies or {})
        self._headers = dict(headers or {})
        self._timeout = timeout
        self._verify_ssl = verify_ssl
        self._follow_redirects = follow_redirects
        self._httpx_args = dict(httpx_args or {})
        self._client: httpx.Client | None = None
        self._async_client: httpx.AsyncClient | None = None

    def _settings(self) -> dict[str, Any]:
        return {
            "cookies": self._cookies,
            "headers": self._headers,
            "timeout": self._timeout,
            "verify_ssl": self._verify_ssl,
            "follow_redirects": self._follow_redirects,
            "httpx_args": self._httpx_args,
            "raise_on_unexpected_status": self.raise_on_unexpected_status,
        }

    def _copy(self, **changes: Any) -> Self:
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        settings = {**self._settings(), **changes}
        copy._cookies, copy._headers = settings["cookies"], settings["headers"]
        copy._timeout = settings["timeout"]
        return copy

    def with_headers(self, headers: dict[str, str]) -> Self:
        """A client like this one with more headers."""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return self._copy(headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """A client like this one with more cookies."""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return self._copy(cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> Self:
        """A client like this one with another timeout."""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return self._copy(timeout=timeout)

    def _httpx_kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._headers,
            "timeout": self._timeout,
            "verify": self._verify_ssl,
            "follow_redirects": self._follow_redirects,
            **self._httpx_args,
        }

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use ``client`` (its own settings replace this one's cookies, headers, timeout)."""
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The httpx.Client, made on first use."""
        if self._client is None:
            self._client = httpx.Client(**self._httpx_kwargs())
        return self._client

    def __enter__(self) -> Self:
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use ``async_client`` (its own settings replace this one's)."""
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx.AsyncClient, made on first use."""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(**self._httpx_kwargs())
        return self._async_client

    async def __aenter__(self) -> Self:
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: object, **kwargs: Any) -> None:
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)

    def _shown(self) -> list[str]:
        return [
            f"raise_on_unexpected_status={self.raise_on_unexpected_status!r}",
            f"_base_url={self._base_url!r}",
            f"_cookies={_names_only(self._cookies)!r}",
            f"_headers={_names_only(self._headers)!r}",
            f"_timeout={self._timeout!r}",
            f"_verify_ssl={self._verify_ssl!r}",
            f"_follow_redirects={self._follow_redirects!r}",
            f"_httpx_args={_names_only(self._httpx_args)!r}",
        ]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self._shown())})"


class AuthenticatedClient(Client):
    """A client that sends ``Authorization: {prefix} {token}`` with every request.

    ``token`` is never shown by the repr; see :class:`Client` for the other arguments.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        prefix: str = "Bearer",
        auth_header_name: str = "Authorization",
        **settings: Any,
    ) -> None:
        super().__init__(base_url, **settings)
        self.token = token
        self.prefix = prefix
        self.auth_header_name = auth_header_name

    def _httpx_kwargs(self) -> dict[str, Any]:
        self._headers[self.auth_header_name] = (
            f"{self.prefix} {self.token}" if self.prefix else self.token
        )
        return super()._httpx_kwargs()

    def _shown(self) -> list[str]:
        return [
            *super()._shown(),
            f"prefix={self.prefix!r}",
            f"auth_header_name={self.auth_header_name!r}",
        ]
