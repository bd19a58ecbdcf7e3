"""The synchronous client."""

from __future__ import annotations

import time
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

import httpx

from ._attempt import BodyReader, deadline, too_large, watch_framing
from ._base_client import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientCore,
    Options,
    check_http_client,
)
from ._config import Defaults, State, resolve
from ._pool import Borrowed, Pool
from ._transport import Call, Flow, Outcome, Sleep

if TYPE_CHECKING:
    from .resources.orbits import OrbitResource


class DataForceClient(ClientCore):
    """Client of the DataForce API.

    ``organization`` and ``orbit`` name the defaults that resource calls use, by ID or by
    exact name; they are resolved and checked here, at construction. Each not given is
    taken from ``DFS_ORGANIZATION`` / ``DFS_ORBIT``; when neither gives one and the API
    key's user has exactly one, that one becomes the default.

    Args:
        base_url: defaults to ``DFS_BASE_URL``, then ``https://api.dataforce.studio``.
        api_key: defaults to ``DFS_API_KEY``; without either, :class:`ConfigurationError`.
        organization: default organization, ID or name; defaults to ``DFS_ORGANIZATION``.
        orbit: default orbit, ID or name; defaults to ``DFS_ORBIT``.
        collection: default collection, kept as given.
        max_retries: retries of a failed call (see the README's retry policy); 0 disables.
        timeout: seconds, or an ``httpx.Timeout``; default 5 s to connect, 30 s otherwise.
            Each attempt — connecting, sending, receiving the whole answer — ends within
            it (an ``httpx.Timeout``'s longest field); see the README for a whole call.
        max_response_size: the largest answer accepted, in bytes once decoded (default
            512 MiB); a larger one raises :class:`APIResponseTooLargeError`.
        http_client: an ``httpx.Client`` of your own, for a transport, proxy, CA bundle
            (``verify=``), event hooks or ``httpx.MockTransport``. You own it: this
            client's :meth:`close` leaves it open. Each request carries the SDK's headers
            (over the client's own, of which ``Authorization`` would lose), an absolute
            URL and this client's ``timeout``; nothing else about it is changed, except
            that the network operations of its ``httpx.HTTPTransport`` are bounded by an
            attempt's deadline while an SDK call runs (its own requests are unaffected).
            Over any other transport (``MockTransport``, one of your own) the deadline is
            checked between body chunks only. In a process forked after it was given,
            calls raise :class:`ConfigurationError`: make both clients in the child.

    Use it as a context manager, or call :meth:`close`, to release its connections.

    Example:
        >>> with DataForceClient(orbit="Default Orbit") as client:
        ...     print(client.orbits.get().name)
        Default Orbit
    """

    _pool: Pool | Borrowed

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
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        http_client: httpx.Client | None = None,
    ) -> None:
        if http_client is not None:
            check_http_client(http_client, httpx.Client, type(self).__name__)
        self._options = Options(
            base_url,
            api_key,
            max_retries,
            timeout,
            max_response_size,
            borrowed=http_client is not None,
        )
        self._state = State(Defaults(organization, orbit, collection))
        if http_client is None:
            self._pool = Pool(self._options.new_http)
        else:
            self._options.borrow(http_client)
            self._pool = Borrowed(http_client, type(self).__name__)
        self._owns_http = True
        try:
            self._state.resolved = self._drive(resolve(self._state.defaults, self._options))
        except BaseException:
            self.close()
            raise

    @cached_property
    def orbits(self) -> OrbitResource:
        """Orbits of the default organization."""
        from .resources.orbits import OrbitResource

        return OrbitResource(self)

    def _run(self, flow: Flow) -> Any:
        """Drive a resource's flow, once the defaults are resolved: at construction, or
        for a client from ``with_options(organization=..., orbit=...)`` at its first
        call. (Two threads making that first call at once both resolve, to the same.)"""
        state = self._state
        if state.resolved is None:
            state.resolved = self._drive(resolve(state.defaults, self._options))
        return self._drive(flow)

    def _drive(self, flow: Flow) -> Any:
        """Drive a flow: send what it asks to send, sleep when it asks to sleep."""
        outcome: Outcome = None
        try:
            while True:
                step = flow.send(outcome)
                if isinstance(step, Sleep):
                    time.sleep(step.seconds)
                    outcome = None
                else:
                    outcome = self._attempt(step)
        except StopIteration as done:
            return done.value

    def _attempt(self, call: Call) -> Outcome:
        """One attempt at ``call``, bounded by the timeout end to end (``_attempt``): the
        response with its body read, or the transport error."""
        options, http = self._options, self._pool.http
        request = self._build_request(http, call)
        end = time.monotonic() + options.attempt_timeout
        token = deadline.set(end)
        try:
            response = http.send(request, stream=True)
            watch_framing(response)
            if response.is_stream_consumed:  # a transport that read it (MockTransport)
                if len(response.content) > options.max_response_size:
                    raise too_large(response, options.max_response_size)
                return response
            try:
                reader = BodyReader(response, options.max_response_size, end)
                for raw in response.iter_raw():
                    reader.feed(raw)
                response._content = reader.body()
            except BaseException:
                response.close()
                raise
            return response
        except httpx.RequestError as error:
            if self._closed_while_sending(http):
                raise self._closed_error() from None
            return error
        except RuntimeError:  # httpx's "client has been closed", httpx.StreamClosed
            if self._closed_while_sending(http):
                raise self._closed_error() from None
            raise
        finally:
            deadline.reset(token)

    def close(self) -> None:
        """Close the connection pool (unless this client was made by ``with_options``);
        a caller's ``http_client`` is left open, and no longer used."""
        if self._owns_http:
            self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
