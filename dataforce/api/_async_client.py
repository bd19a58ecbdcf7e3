"""The asynchronous client. Imported only when a program asks for it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Generator
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, cast
from uuid import UUID

import httpx

from ._async_pool import AsyncPool
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
from ._pool import Borrowed
from ._transport import Call, Flow, Outcome, Sleep

if TYPE_CHECKING:
    from .resources.orbits import AsyncOrbitResource


class ConfigSetup:
    """What :meth:`AsyncDataForceClient.setup_config` returns.

    The reference documentation calls ``setup_config`` without ``await``; then the
    defaults are resolved at the first API call. Awaiting it resolves them now. Not a
    coroutine, so leaving it un-awaited triggers no "never awaited" warning; to run it
    as a task, use ``asyncio.ensure_future(client.setup_config(...))``.
    """

    __slots__ = ("_client",)

    def __init__(self, client: AsyncDataForceClient) -> None:
        self._client = client

    def __await__(self) -> Generator[Any, None, None]:
        return self._client._ensure_resolved().__await__()


class AsyncDataForceClient(ClientCore):
    """Asynchronous client of the DataForce API.

    Defaults are given as for :class:`DataForceClient` (arguments, else
    ``DFS_ORGANIZATION`` / ``DFS_ORBIT``, else the caller's only organization and orbit)
    or with :meth:`setup_config` (awaited or not), and resolved once, at the first call
    that needs them or when ``setup_config`` is awaited.
    Use ``async with``, or ``await client.close()``, to release its connections.

    One client may serve several event loops in turn (``asyncio.run`` called twice): each
    loop gets its own connections, closed when ``asyncio.run`` ends that loop. A caller's
    ``http_client`` is used on whichever loop calls: as with any ``httpx.AsyncClient``,
    keep it to one event loop.

    Args:
        base_url: as for :class:`DataForceClient`.
        api_key: as for :class:`DataForceClient`.
        organization: default organization, ID or name; resolved at the first call.
        orbit: default orbit, ID or name; resolved at the first call.
        collection: default collection, kept as given.
        max_retries: as for :class:`DataForceClient`.
        timeout: as for :class:`DataForceClient`.
        max_response_size: as for :class:`DataForceClient`.
        http_client: an ``httpx.AsyncClient`` of your own, as for :class:`DataForceClient`.

    Example:
        >>> async with AsyncDataForceClient(orbit="Default Orbit") as client:
        ...     orbit = await client.orbits.get()
        >>> orbit.name
        'Default Orbit'
    """

    _pool: AsyncPool | Borrowed

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
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if http_client is not None:
            check_http_client(http_client, httpx.AsyncClient, type(self).__name__)
        self._options = Options(
            base_url,
            api_key,
            max_retries,
            timeout,
            max_response_size,
            borrowed=http_client is not None,
        )
        # Checked now, resolved at the first call (or an awaited setup_config).
        self._state = State(Defaults(organization, orbit, collection))
        if http_client is None:
            self._pool = AsyncPool(self._options.new_async_http)
        else:
            self._options.borrow(http_client)
            self._pool = Borrowed(http_client, type(self).__name__)
        self._owns_http = True

    def setup_config(
        self,
        organization: str | UUID | None = None,
        orbit: str | UUID | None = None,
        collection: str | None = None,
    ) -> ConfigSetup:
        """Set the default organization, orbit (ID or name) and collection.

        Arguments are checked now; the service is asked when this is awaited or at the
        first API call, whichever comes first.

        Example:
            >>> await dfs.setup_config(orbit="Old Orbit")
            >>> dfs.orbit
            '0199c475-8339-70ec-b032-7b3f5d59fdc1'
        """
        # In place: clients derived with `with_options` share these defaults.
        self._state.reconfigure(Defaults(organization, orbit, collection))
        return ConfigSetup(self)

    @cached_property
    def orbits(self) -> AsyncOrbitResource:
        """Orbits of the default organization."""
        from .resources.orbits import AsyncOrbitResource

        return AsyncOrbitResource(self)

    async def _ensure_resolved(self) -> None:
        state = self._state
        while state.resolved is None:
            # One lock per event loop: an asyncio.Lock is bound to the loop it first
            # waits in. No await since the check: no other task can interleave.
            loop = asyncio.get_running_loop()
            if state.lock is None or state.lock[0] is not loop:
                state.lock = (loop, asyncio.Lock())
            async with state.lock[1]:
                defaults = state.defaults
                if state.resolved is None:
                    resolved = await self._drive(resolve(defaults, self._options))
                    # setup_config may have been called again meanwhile: then resolve anew.
                    if state.defaults is defaults:
                        state.resolved = resolved

    async def _run(self, flow: Flow) -> Any:
        await self._ensure_resolved()
        return await self._drive(flow)

    async def _drive(self, flow: Flow) -> Any:
        """Drive a flow: send what it asks to send, sleep when it asks to sleep."""
        outcome: Outcome = None
        try:
            while True:
                step = flow.send(outcome)
                if isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                    outcome = None
                else:
                    outcome = await self._attempt(step)
        except StopIteration as done:
            return done.value

    async def _attempt(self, call: Call) -> Outcome:
        """One attempt at ``call``, bounded by the timeout end to end (``_attempt``): the
        response with its body read, or the transport error."""
        options, pool = self._options, self._pool
        http = pool.current() or await pool.switch()
        request = self._build_request(http, call)
        end = time.monotonic() + options.attempt_timeout
        token = deadline.set(end)
        try:
            response = await http.send(request, stream=True)
            watch_framing(response)
            if response.is_stream_consumed:  # a transport that read it (MockTransport)
                if len(response.content) > options.max_response_size:
                    raise too_large(response, options.max_response_size)
                return response
            # When the body is not read to its end (too large, too slow), the generator
            # is closed here, not left suspended for the garbage collector: that would
            # finalise it with a task the event loop may never run ("Task was destroyed
            # but it is pending!"). httpcore's own generator beneath it is closed with
            # the connection, or at the latest by loop.shutdown_asyncgens() (asyncio.run).
            # An async generator, which httpx annotates as just an iterator.
            chunks = cast("AsyncGenerator[bytes, None]", response.aiter_raw())
            try:
                reader = BodyReader(response, options.max_response_size, end)
                async for raw in chunks:
                    reader.feed(raw)
                response._content = reader.body()
            except BaseException:
                await chunks.aclose()
                await response.aclose()
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

    async def close(self) -> None:
        """Close the connection pool (unless this client was made by ``with_options``);
        a caller's ``http_client`` is left open, and no longer used."""
        if self._owns_http:
            pool = self._pool
            if isinstance(pool, Borrowed):
                pool.close()
            else:
                await pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
