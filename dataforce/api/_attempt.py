"""One attempt of a call, bounded end to end: in time and in size.

**Time.** httpx's timeouts bound each network operation, not the request: a server that
sends one byte a second never trips a 2 s read timeout, and a request "with a 2 s
timeout" lasts as long as the server likes. So every attempt has a deadline, kept in a
context variable (per thread, per asyncio task) by the client's driver, and every network
operation httpcore performs — connecting, the TLS handshake, each write, each read of the
headers and of the body — is given at most the time left before it. httpcore's network
backend is the one place all of them pass through, so it is wrapped (see
:func:`bound_attempts`); the body loop below also checks the clock between chunks, which
bounds the time spent decompressing.

**Size.** The body is read here, not by httpx, so that it can be refused as soon as its
*decoded* size passes the limit: gzip and deflate are inflated in pieces of at most
:data:`_PIECE` bytes (``zlib``'s ``max_length``), so a small compressed answer that
inflates to gigabytes costs at most the limit plus one piece of memory before
:class:`APIResponseTooLargeError`. Only the encodings the SDK asks for
(``Accept-Encoding: gzip, deflate``) are accepted.
"""

from __future__ import annotations

import contextvars
import time
import zlib
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any, Final

import httpx

from ._exceptions import APIResponseTooLargeError

if TYPE_CHECKING:
    import ssl

    import httpcore

#: What every request asks for: the encodings :class:`BodyReader` can inflate in pieces.
ACCEPT_ENCODING: Final = "gzip, deflate"
#: The most a single inflate step may produce.
_PIECE: Final = 1 << 20

_monotonic = time.monotonic

#: The running attempt's deadline (``time.monotonic()`` value), or ``None`` outside one.
deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "dataforce_attempt_deadline", default=None
)
_get_deadline = deadline.get


def _budget(timeout: float | None, phase: str) -> float | None:
    """``timeout``, shortened to what is left of the attempt's deadline."""
    end = _get_deadline()
    if end is None:
        return timeout
    left = end - _monotonic()
    if left <= 0:
        # httpcore is imported by httpx only when a client is made; so here, and not at
        # the top, which `import dataforce.api` would pay for.
        import httpcore

        error = {"read": httpcore.ReadTimeout, "write": httpcore.WriteTimeout}
        raise error.get(phase, httpcore.ConnectTimeout)("the attempt used up its timeout")
    return left if timeout is None or timeout > left else timeout


# The wrappers implement httpcore's NetworkStream / NetworkBackend interfaces (and their
# async twins) by delegation; they do not subclass them, for the reason above.


class _Stream:
    __slots__ = ("_stream", "http11", "spoiled")

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream
        self.http11: Any = None  # the h11 connection reading it (see ``watch_framing``)
        self.spoiled = False  # an answer's framing was ambiguous: never reuse

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _budget(timeout, "read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _budget(timeout, "write"))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> _Stream:
        budget = _budget(timeout, "connect")
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and (self.spoiled or _delivered_more(self.http11)):
            return True
        return self._stream.get_extra_info(info)


class _Backend:
    __slots__ = ("_backend",)

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _Stream:
        budget = _budget(timeout, "connect")
        return _Stream(self._backend.connect_tcp(host, port, budget, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _Stream:
        budget = _budget(timeout, "connect")
        return _Stream(self._backend.connect_unix_socket(path, budget, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncStream:
    # read, write and aclose hand back the wrapped stream's own awaitable rather than
    # being coroutines themselves: a coroutine more per network operation is a
    # measurable share of a small request's CPU.

    __slots__ = ("_stream", "http11", "spoiled")

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self.http11: Any = None
        self.spoiled = False

    def read(self, max_bytes: int, timeout: float | None = None) -> Awaitable[bytes]:
        return self._stream.read(max_bytes, _budget(timeout, "read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> Awaitable[None]:
        return self._stream.write(buffer, _budget(timeout, "write"))

    def aclose(self) -> Awaitable[None]:
        return self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> _AsyncStream:
        budget = _budget(timeout, "connect")
        return _AsyncStream(await self._stream.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and (self.spoiled or _delivered_more(self.http11)):
            return True
        return self._stream.get_extra_info(info)


class _AsyncBackend:
    __slots__ = ("_backend",)

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _AsyncStream:
        budget = _budget(timeout, "connect")
        return _AsyncStream(
            await self._backend.connect_tcp(host, port, budget, local_address, socket_options)
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _AsyncStream:
        budget = _budget(timeout, "connect")
        return _AsyncStream(await self._backend.connect_unix_socket(path, budget, socket_options))

    def sleep(self, seconds: float) -> Awaitable[None]:
        return self._backend.sleep(seconds)


def bound_attempts(http: httpx.Client | httpx.AsyncClient) -> None:
    """Make every network operation of ``http`` respect the attempt's deadline.

    httpx offers no hook for this: its transports build their httpcore pool (direct, or
    through the proxy the environment names) with httpcore's default network backend,
    which is replaced here by a wrapper of itself. httpcore documents
    ``network_backend`` as a pool argument; reaching the pools means reading httpx's
    private ``_transport``/``_mounts``/``_pool``. Should a future httpx rename them,
    attempts are still bounded between body chunks, and ``tests/test_hostile_time.py``
    (a server dripping its headers) fails.
    """
    wrapper: Any = _AsyncBackend if isinstance(http, httpx.AsyncClient) else _Backend
    transports = [getattr(http, "_transport", None), *getattr(http, "_mounts", {}).values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, (_Backend, _AsyncBackend)):
            pool._network_backend = wrapper(backend)  # type: ignore[union-attr]


def watch_framing(response: httpx.Response) -> None:
    """Never reuse a connection that delivered more bytes than its answer.

    A 204 followed by a body (FastAPI sends ``null``), or a body longer than its
    Content-Length, leaves bytes that h11 has read but no answer claims. httpcore would
    put the connection back in the pool, and the next request on it would read them as
    its answer (RFC 9112 section 6.3: such a connection must be closed). httpcore's own
    rule for an idle connection is that it is closed, not reused, when it is readable;
    h11 keeps the bytes it read past an answer as ``trailing_data``. So the stream of
    the connection (the SDK's wrapper, which ``network_stream`` gives back) learns its h11
    connection as soon as the answer's headers arrive, and says it is readable whenever
    that holds unclaimed bytes: the pool then closes the connection before any reuse,
    and the next call opens a new one. Bytes that arrive later are httpcore's own case.
    So is an answer framed two ways, by Transfer-Encoding and Content-Length: h11 reads
    the chunks, but where the server thought its answer ended is anyone's guess (RFC
    9112 section 6.3 calls it a likely response-splitting attempt).

    Reaching the h11 connection reads httpcore's private attributes, as
    :func:`bound_attempts` does; should they be renamed, connections are reused as
    httpcore decides and ``tests/test_hostile_framing.py`` fails.
    """
    stream = response.extensions.get("network_stream")
    if type(stream) is not _Stream and type(stream) is not _AsyncStream:
        return
    if _framed_twice(response.headers):
        stream.spoiled = True
    if stream.http11 is None:
        # httpx's bound stream -> its transport's stream -> httpcore's pool stream ->
        # the HTTP/1.1 connection's body stream, which knows its connection.
        node: Any = response.stream
        for _ in range(_STREAM_LAYERS):
            connection = getattr(node, "_connection", None)
            if connection is not None:
                stream.http11 = getattr(connection, "_h11_state", None)
                return
            node = getattr(node, "_stream", None) or getattr(node, "_httpcore_stream", None)


_STREAM_LAYERS: Final = 4


def _framed_twice(headers: httpx.Headers) -> bool:
    """Whether the answer has both Transfer-Encoding and Content-Length. One pass over
    httpx's list of lowercased names: its ``in`` costs a microsecond per name, on
    every answer, to find what is almost never there."""
    names = getattr(headers, "_list", None)
    if names is None:  # httpx keeps them otherwise now: the public way
        return "transfer-encoding" in headers and "content-length" in headers
    chunked = length = False
    for _raw, name, _value in names:
        if name == b"transfer-encoding":
            chunked = True
        elif name == b"content-length":
            length = True
    return chunked and length


def _delivered_more(http11: Any) -> bool:
    if http11 is None:
        return False
    trailing = getattr(http11, "trailing_data", None)  # h11's: (bytes, closed)
    return bool(trailing and trailing[0])


class BodyReader:
    """Collects a response's body from its raw chunks: decoded, bounded, on time.

    The driver feeds it what ``iter_raw()`` / ``aiter_raw()`` yields, then stores
    :meth:`body` as the response's content.
    """

    __slots__ = ("_chunks", "_end", "_inflate", "_limit", "_response", "_size")

    def __init__(self, response: httpx.Response, limit: int, end: float) -> None:
        self._response = response
        self._limit = limit
        self._end = end
        self._chunks: list[bytes] = []
        self._size = 0
        encoding = response.headers.get("content-encoding")
        self._inflate: Any = None
        if encoding is not None:
            self._inflate = _inflater(encoding.strip().lower(), response)

    def feed(self, raw: bytes) -> None:
        if self._inflate is None:
            self._add(raw)
        else:
            for piece in self._inflate(raw):
                self._add(piece)
        if len(self._chunks) > 1 and _monotonic() > self._end:
            raise httpx.ReadTimeout(
                "the attempt used up its timeout while receiving the body",
                request=self._response.request,
            )

    def _add(self, piece: bytes) -> None:
        if not piece:
            return
        self._size += len(piece)
        if self._size > self._limit:
            self._chunks.clear()  # let the memory go before the error travels up
            raise too_large(self._response, self._limit)
        self._chunks.append(piece)

    def body(self) -> bytes:
        if self._inflate is not None:
            for piece in self._inflate(None):
                self._add(piece)
        chunks = self._chunks
        if len(chunks) == 1:
            return chunks[0]
        return b"".join(chunks)


def too_large(response: httpx.Response, limit: int) -> APIResponseTooLargeError:
    request = response.request
    return APIResponseTooLargeError(
        f"{request.method} {request.url.path} answered {response.status_code} with a body "
        f"larger than max_response_size ({limit:,} bytes decoded); nothing was kept. Pass "
        "a larger max_response_size= if such an answer is expected",
        status_code=response.status_code,
        limit=limit,
    )


def _inflater(encoding: str, response: httpx.Response) -> Any:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return _Inflate(zlib.MAX_WBITS | 16, response)
    if encoding == "deflate":
        return _Inflate(zlib.MAX_WBITS, response)
    raise httpx.DecodingError(
        f"unsupported Content-Encoding {encoding[:40]!r} (the SDK asks for {ACCEPT_ENCODING})",
        request=response.request,
    )


class _Inflate:
    """zlib in bounded steps; ``None`` fed means the end of the body."""

    __slots__ = ("_request", "_started", "_wbits", "_z")

    def __init__(self, wbits: int, response: httpx.Response) -> None:
        self._wbits = wbits
        self._z = zlib.decompressobj(wbits)
        self._started = False
        self._request = response.request

    def __call__(self, raw: bytes | None) -> Iterable[bytes]:
        z = self._z
        try:
            if raw is None:
                if self._started:
                    yield z.flush()
                return
            if not self._started and raw and self._wbits == zlib.MAX_WBITS:
                # "deflate" is meant to be zlib-wrapped; some servers send it raw.
                try:
                    zlib.decompressobj(zlib.MAX_WBITS).decompress(raw[:64], 1)
                except zlib.error:
                    self._z = z = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            data = raw
            while data:
                yield z.decompress(data, _PIECE)
                data = z.unconsumed_tail
        except zlib.error as error:
            raise httpx.DecodingError(
                f"the body is not valid {'gzip' if self._wbits & 16 else 'deflate'} data: {error}",
                request=self._request,
            ) from None
