"""The connection pool a client sends on — one per process (and, for the async client,
per event loop: see ``_async_pool``).

A client and the clients ``with_options`` (or ``copy.copy``) derives from it share one
:class:`Pool`, which hands out the httpx client to send with:

* **After ``fork``** the child inherits the parent's pooled sockets. Two processes
  writing requests on one socket read each other's answers, so in the child every pool
  is replaced by a new, empty one (``os.register_at_fork``), and the parent is left as
  it was. The inherited httpx clients are not closed in the child: another thread of the
  parent may have held their locks at the moment of the fork. They are kept referenced,
  unused, so that their sockets are not finalised (and warned about) in the child.
* **Per event loop** (async): an httpx ``AsyncClient``'s connections belong to the loop
  that opened them, and are unusable once it is closed (``RuntimeError: Event loop is
  closed``). The async pool therefore keeps one httpx client per running loop, and
  closes each one before its loop ends: it registers an async generator with the loop,
  which ``asyncio.run`` (``loop.shutdown_asyncgens()``) finalises while the loop still
  runs — and that closes the loop's connections cleanly, without warnings.

A caller's own httpx client (``http_client=``) is the caller's to make, replace and
close, so :class:`Borrowed` does none of that: it is used as it is, on whichever loop
calls (as with any ``httpx.AsyncClient``, the caller keeps it on one loop), and never
closed. In a forked child the SDK cannot make another one like it, and must not write
on the parent's sockets, so calls there raise :class:`ConfigurationError` saying to make
the clients in the child.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from ._exceptions import ConfigurationError, DataForceAPIError

if TYPE_CHECKING:
    from ._async_pool import AsyncPool

# Every live pool, to be reset in a forked child.
_live: weakref.WeakSet[Pool | AsyncPool | Borrowed] = weakref.WeakSet()
# The httpx clients a forked child inherited: kept, unused, until the child exits.
_inherited: list[object] = []


def _after_fork_in_child() -> None:
    for pool in list(_live):
        pool._forked()


os.register_at_fork(after_in_child=_after_fork_in_child)


def closed_error(owner: str) -> DataForceAPIError:
    return DataForceAPIError(f"{owner} is closed: make a new client")


class Pool:
    """The sync client's pool: one ``httpx.Client``, replaced in a forked child."""

    __slots__ = ("__weakref__", "_new", "closed", "http")

    def __init__(self, new: Callable[[], httpx.Client]) -> None:
        self._new = new
        self.http = new()
        self.closed = False
        _live.add(self)

    def _forked(self) -> None:
        _inherited.append(self.http)
        if not self.closed:
            self.http = self._new()

    def close(self) -> None:
        self.closed = True
        self.http.close()


class Borrowed:
    """The caller's httpx client (``http_client=``): used as is, never closed.

    Once the SDK client is closed, or in a forked child, :attr:`http` is an
    :class:`_Unusable` stand-in that raises the reason at the next request.
    """

    __slots__ = ("__weakref__", "_owner", "closed", "http")

    def __init__(self, http: httpx.Client | httpx.AsyncClient, owner: str) -> None:
        self.http: Any = http
        self._owner = owner
        self.closed = False
        _live.add(self)

    def _forked(self) -> None:
        if not self.closed:
            self.http = _Unusable(self.http, self._forked_error)

    def _forked_error(self) -> DataForceAPIError:
        return ConfigurationError(
            f"this {self._owner} was given an http_client in another process, before "
            "os.fork(): its connections are that process's. Make the httpx client and "
            f"the {self._owner} in this process",
            missing="http_client",
        )

    def _closed_error(self) -> DataForceAPIError:
        return closed_error(self._owner)

    def current(self) -> Any:
        """The httpx client to send with (the async client's interface)."""
        return self.http

    async def switch(self) -> Any:  # never called: current() is never None
        return self.http

    def close(self) -> None:
        """Stop using the caller's client; it stays open: its owner closes it."""
        self.closed = True
        if not isinstance(self.http, _Unusable):
            self.http = _Unusable(self.http, self._closed_error)


class _Unusable:
    """Stands in for a caller's httpx client the SDK must no longer send on: raises
    ``error()`` instead of building a request. Keeps the client referenced, unused."""

    __slots__ = ("_error", "_original")
    is_closed = False

    def __init__(self, original: object, error: Callable[[], Exception]) -> None:
        self._original = original
        self._error = error

    def build_request(self, *args: object, **kwargs: object) -> Any:
        raise self._error()
