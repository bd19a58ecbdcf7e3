"""The synchronous client."""

from __future__ import annotations

import time
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

import httpx

from ._base_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientCore, Options
from ._config import Defaults, State, resolve
from ._transport import Flow, Outcome, Sleep

if TYPE_CHECKING:
    from .resources.orbits import OrbitResource


class DataForceClient(ClientCore):
    """Client of the DataForce API.

    ``organization`` and ``orbit`` name the defaults that resource calls use, by ID or by
    exact name; they are resolved and checked here, at construction. When one is not
    given and the API key's user has exactly one, that one becomes the default.

    Args:
        base_url: defaults to ``DFS_BASE_URL``, then ``https://api.dataforce.studio``.
        api_key: defaults to ``DFS_API_KEY``; without either, :class:`ConfigurationError`.
        organization: default organization, ID or name.
        orbit: default orbit, ID or name.
        collection: default collection, kept as given.
        max_retries: retries of a failed call (see the README's retry policy); 0 disables.
        timeout: seconds, or an ``httpx.Timeout``; default 5 s to connect, 30 s otherwise.

    Use it as a context manager, or call :meth:`close`, to release its connections.
    """

    _http: httpx.Client

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        organization: str | UUID | None = None,
        orbit: str | UUID | None = None,
        collection: str | None = None,
        *,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._options = Options(base_url, api_key, max_retries, timeout)
        self._state = State(Defaults(organization, orbit, collection))
        self._http = httpx.Client(**self._options.httpx_arguments())
        self._owns_http = True
        try:
            self._state.resolved = self._run(resolve(self._state.defaults, self._options))
        except BaseException:
            self.close()
            raise

    @cached_property
    def orbits(self) -> OrbitResource:
        """Orbits of the default organization."""
        from .resources.orbits import OrbitResource

        return OrbitResource(self)

    def _run(self, flow: Flow) -> Any:
        """Drive a flow: send what it asks to send, sleep when it asks to sleep."""
        http, build_request = self._http, self._build_request
        outcome: Outcome = None
        try:
            while True:
                step = flow.send(outcome)
                if isinstance(step, Sleep):
                    time.sleep(step.seconds)
                    outcome = None
                    continue
                try:
                    outcome = http.send(build_request(step))
                except httpx.RequestError as error:
                    outcome = error
        except StopIteration as done:
            return done.value

    def close(self) -> None:
        """Close the connection pool (unless this client was made by ``with_options``)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
