"""The async client's pools: one httpx ``AsyncClient`` per running event loop.

See ``_pool`` for why, and for the reset after ``fork``. Its own module so that
``import dataforce.api`` does not import asyncio.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncGenerator, Callable
from typing import Any

import httpx

from ._pool import _inherited, _live, closed_error


class AsyncPool:
    """The async client's pools: one ``httpx.AsyncClient`` per running event loop."""

    __slots__ = ("__weakref__", "_closers", "_loop", "_new", "closed", "http", "others")

    def __init__(self, new: Callable[[], httpx.AsyncClient]) -> None:
        self._new = new
        # The client made with the pool, for the first loop that uses it; then the one
        # of the loop used last (`_loop`), and those of other loops still running.
        self.http = new()
        self._loop: Any = None
        self.others: weakref.WeakKeyDictionary[Any, httpx.AsyncClient] = weakref.WeakKeyDictionary()
        self._closers: list[AsyncGenerator[None, None]] = []
        self.closed = False
        _live.add(self)

    def current(self) -> httpx.AsyncClient | None:
        """The httpx client of the running loop; ``None`` when :meth:`switch` must run."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # another async library (trio): no loop of asyncio's
            loop = None
        return self.http if loop is self._loop else None

    async def switch(self) -> httpx.AsyncClient:
        """Make the running loop's httpx client the current one (a new one if needed)."""
        if self.closed:
            raise closed_error("AsyncDataForceClient")
        try:
            loop: Any = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        previous = self._loop
        if previous is not None and not _is_closed(previous):
            self.others[previous] = self.http
        http = self.others.pop(loop, None) if loop is not None else None
        if http is None:
            # The pool's first loop takes the client made with the pool.
            fresh = previous is not None or self.http.is_closed
            http = self._new() if fresh else self.http
            if loop is not None:
                await self._close_with_loop(http)
        self._loop, self.http = loop, http
        return http

    async def _close_with_loop(self, http: httpx.AsyncClient) -> None:
        closer = _close_at_loop_end(http)
        await closer.asend(None)  # now the loop knows it, and will finalise it
        self._closers = [c for c in self._closers if getattr(c, "ag_frame", None) is not None]
        self._closers.append(closer)  # the loop holds async generators weakly only

    def _forked(self) -> None:
        _inherited.append((self.http, dict(self.others), self._closers))
        self.others = weakref.WeakKeyDictionary()
        self._closers = []
        self._loop = None
        if not self.closed:
            self.http = self._new()

    async def close(self) -> None:
        """Close this loop's connections; those of other loops close as their loop ends
        (closing them from here would touch another loop's transports)."""
        self.closed = True
        http = self.current() if self._loop is not None else self.http
        if http is not None:
            await http.aclose()


async def _close_at_loop_end(http: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await http.aclose()


def _is_closed(loop: Any) -> bool:
    is_closed = getattr(loop, "is_closed", None)
    return bool(is_closed()) if callable(is_closed) else False
