"""How one declared operation becomes the sync, async and raw-response methods.

A resource declares each operation once, with :func:`operation`: its signature, its
docstring, and a body that checks the arguments, applies the per-call options
(``self._with(options)``) and hands the operation's flow (see ``_transport``) to
``self._run``. A resource's views are subclasses of that declaring class which differ
only in ``_run``, that is in what happens to the flow:

* :class:`SyncResource` — the sync client drives it; the method returns the value.
* :class:`AsyncResource` — the async client drives it; each operation is a coroutine
  function, awaited.
* :class:`SyncRawResource`, :class:`AsyncRawResource` — the same, with the flow wrapped
  by :func:`~._response.recorded`: the method returns a :class:`RawResponse`.

Types: while type checking, :func:`operation` is a descriptor whose ``__get__`` gives,
per view, the declared parameters and the declared return type ``T`` as that view
returns it: ``T``, a coroutine of ``T``, ``RawResponse[T]``, a coroutine of
``RawResponse[T]``. At run time it returns the declared function itself: the sync
methods *are* the declarations, so a plain call costs what a hand-written method did.
The async views wrap each declaration once, when the class is created, in a coroutine
function that awaits it (``inspect.iscoroutinefunction`` holds, as retry libraries check).
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from collections.abc import Callable, Coroutine, Generator, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Final,
    Generic,
    ParamSpec,
    Self,
    TypedDict,
    TypeVar,
    overload,
)

import httpx

from ._response import RawResponse, recorded

if TYPE_CHECKING:
    from ._base_client import ClientCore
    from ._transport import Outcome, Step

__all__ = [
    "AsyncRawResource",
    "AsyncResource",
    "CallOptions",
    "Resource",
    "SyncRawResource",
    "SyncResource",
    "operation",
    "operations",
]

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class CallOptions(TypedDict, total=False):
    """The per-call options every operation takes as keywords; ``None`` keeps the
    client's (see :meth:`DataForceClient.with_options`)."""

    #: Headers added to this call's requests.
    extra_headers: Mapping[str, str] | None
    #: Seconds, or an ``httpx.Timeout``, bounding each attempt of this call.
    timeout: float | httpx.Timeout | None
    #: Retries of this call.
    max_retries: int | None


_OPTION_NAMES: Final = frozenset(CallOptions.__annotations__)

OPTIONS_DOC: Final = """
        Per-call options (keyword-only; ``None`` keeps the client's):
            extra_headers: headers added to this call's requests (``Authorization`` and
                the headers the SDK manages are refused: ``InvalidArgumentError``).
            timeout: seconds or an ``httpx.Timeout``, bounding each attempt of this call.
            max_retries: retries of this call.
"""

#: The attribute that marks a function as a declared operation.
_DECLARED: Final = "__dataforce_operation__"


def operations(resource: type) -> list[str]:
    """The names of the operations ``resource`` declares or inherits (for the drift check)."""
    return [
        name
        for name in dir(resource)
        if getattr(inspect.getattr_static(resource, name), _DECLARED, False)
    ]


class Resource:
    """What every view of a resource has: its client, the per-call options, ``_run``."""

    __slots__ = ("_client",)

    def __init__(self, client: ClientCore) -> None:
        self._client = client

    def _with(self, options: CallOptions) -> Self:
        """This view, or — given per-call options — the same view of a client derived
        with them (as ``with_options`` would: checked now, before anything is sent).
        The flows then read the derived client's options like any other: the policy
        stays where it is, and a call without options derives nothing."""
        if not options:
            return self
        unexpected = options.keys() - _OPTION_NAMES
        if unexpected:
            # `**options` accepts any keyword at run time; the type checker would not.
            raise TypeError(
                f"unexpected keyword argument {min(unexpected)!r} "
                f"(the per-call options are {', '.join(sorted(_OPTION_NAMES))})"
            )
        max_retries = options.get("max_retries")
        timeout = options.get("timeout")
        extra_headers = options.get("extra_headers")
        if max_retries is None and timeout is None and extra_headers is None:
            return self
        return type(self)(self._client._derived(max_retries, timeout, extra_headers))

    def _run(self, flow: Generator[Step, Outcome, T]) -> T:
        """Hand ``flow`` to the client's driver. Typed as the sync view returns it, which
        is how declarations are checked; what each view returns is :func:`operation`'s."""
        # ClientCore has no `_run`: each client has its own driver, sync or async.
        result: T = self._client._run(flow)  # type: ignore[attr-defined]
        return result


def _run_recorded(self: Resource, flow: Generator[Step, Outcome, T]) -> Any:
    client = self._client
    return client._run(recorded(flow, client._options))  # type: ignore[attr-defined]


class SyncResource(Resource):
    """A view whose operations return their value."""

    __slots__ = ()


class AsyncResource(Resource):
    """A view whose operations are coroutine functions (an async client's)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in operations(cls):
            declared = inspect.getattr_static(cls, name)
            if not inspect.iscoroutinefunction(declared):
                setattr(cls, name, _awaitable(declared, f"{cls.__qualname__}.{name}"))


class SyncRawResource(Resource):
    """A view whose operations return a :class:`RawResponse` of their value."""

    __slots__ = ()
    _run = _run_recorded


class AsyncRawResource(AsyncResource):
    """A view whose operations are coroutine functions returning a :class:`RawResponse`."""

    __slots__ = ()
    _run = _run_recorded


def _awaitable(declared: Callable[..., Any], qualname: str) -> Callable[..., Any]:
    """``declared`` as a coroutine function: the client's driver is a coroutine already;
    this awaits it, after the arguments were checked (as for a hand-written one)."""

    async def method(self: Resource, /, *args: Any, **kwargs: Any) -> Any:
        return await declared(self, *args, **kwargs)

    functools.update_wrapper(method, declared)  # the name, docstring and signature
    method.__qualname__ = qualname
    return method


def _declare(declared: F) -> F:
    """Mark ``declared`` as an operation and document its per-call options once."""
    # Both dedented before they are joined: Python 3.13 strips a docstring's indentation
    # at compile time, earlier versions keep it, and a section indented unlike the rest
    # would read (in help() and the API reference) as part of the section before it.
    declared.__doc__ = (
        inspect.cleandoc(declared.__doc__ or "") + "\n" + textwrap.dedent(OPTIONS_DOC)
    )
    setattr(declared, _DECLARED, True)
    return declared


if TYPE_CHECKING:

    class operation(Generic[P, T]):
        """Declares an operation; each view's method is derived from it."""

        def __init__(self, declared: Callable[Concatenate[Any, P], T], /) -> None: ...

        @overload
        def __get__(self, view: None, owner: type) -> Callable[Concatenate[Any, P], T]: ...
        @overload
        def __get__(
            self, view: AsyncRawResource, owner: type
        ) -> Callable[P, Coroutine[Any, Any, RawResponse[T]]]: ...
        @overload
        def __get__(
            self, view: AsyncResource, owner: type
        ) -> Callable[P, Coroutine[Any, Any, T]]: ...
        @overload
        def __get__(self, view: SyncRawResource, owner: type) -> Callable[P, RawResponse[T]]: ...
        @overload
        def __get__(self, view: Resource, owner: type) -> Callable[P, T]: ...
        def __get__(self, view: Resource | None, owner: type) -> Any: ...

else:
    operation = _declare
