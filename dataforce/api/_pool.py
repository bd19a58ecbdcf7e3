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
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from ._exceptions import DataForceAPIError

if TYPE_CHECKING:
    from ._async_pool import AsyncPool

# Every live pool, to be reset in a forked child.
_live: weakref.WeakSet[Pool | AsyncPool] = weakref.WeakSet()
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
