"""HTTP for the stand-in: werkzeug's threaded WSGI server and a small WSGI adapter.

Why werkzeug: it is maintained, already installed wherever pytest-httpserver is, and does
all the HTTP/1.1 parsing and framing (``Content-Length`` and chunked request bodies,
``Expect: 100-continue``, HEAD) that a hand-written server gets subtly wrong. The adapter
only turns a WSGI environ into a :class:`~dataforce.testing._records.RecordedRequest` and
an :class:`~dataforce.testing._answers.Answer` back into a werkzeug ``Response``.

What werkzeug decides and the stand-in accepts:

* **No keep-alive.** werkzeug's development server answers every request with
  ``Connection: close`` (its stream handling cannot tell a request's end from the next
  one's start), so a client's pool reconnects for each request; on loopback that costs
  well under a millisecond.
* A request body is capped at :data:`MAX_BODY` bytes (413 beyond it) and a body whose
  chunked framing is broken is answered 400, both before the request reaches the service.

What the stand-in adds:

* **Dropping a connection** (the ``drop`` fault, or a delay cut short by :meth:`stop`):
  the connection's socket (werkzeug passes it as ``environ["werkzeug.socket"]``) is shut
  down, and the adapter raises a ``ConnectionAbortedError``, which werkzeug treats as a
  client that went away, so no answer is written.
* **A prompt stop.** Every open connection is tracked; :meth:`Serving.stop` shuts them
  all down, so a client holding a connection open without sending (or a thread sleeping
  in an injected delay) does not keep a stopping server alive.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from dataforce._terminal import for_terminal
from dataforce.testing._answers import TEXT, Answer, error
from dataforce.testing._records import RecordedRequest

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["MAX_BODY", "Serving", "check_address", "url_host"]

MAX_BODY = 16 * 1024 * 1024
"""The largest request body accepted; far above anything the orbits API takes."""

_POLL_INTERVAL = 0.05  # how often the accept loop checks for shutdown
_IDLE_TIMEOUT = 120.0  # seconds a connection may sit without sending a request

Record = Callable[[RecordedRequest], None]
"""Logs a request as received (every request, also one refused for its framing)."""
Respond = Callable[[RecordedRequest], Answer | None]
"""Answers a recorded request; None means: drop the connection without an answer."""
Log = Callable[[str], None]


def check_address(host: str, port: int, *, allow_remote: bool) -> None:
    """Refuse (``ValueError``) a port out of range, or a non-loopback host unless allowed."""
    if not allow_remote and not is_loopback(host):
        raise ValueError(
            f"refusing to bind {host!r}: the local DataForce server has no real security, "
            "so it listens on loopback only; pass allow_remote=True to override"
        )
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be within 0..65535, got {port}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """How a client reaches ``host`` in a URL: a wildcard as loopback, IPv6 in brackets."""
    host = host.strip("[]")
    if host in ("0.0.0.0", ""):  # noqa: S104 (naming the wildcard, not binding it)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"[{host}]" if ":" in host else host


class _Dropped(ConnectionAbortedError):
    """Raised out of the WSGI app so that werkzeug writes nothing: the drop is deliberate."""


class _Connections:
    """The sockets of open connections, to shut them down when the server stops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def shut_all(self) -> None:
        with self._lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(WSGIRequestHandler):
    """werkzeug's request handler, tracking its connection and logging to our stream."""

    protocol_version = "HTTP/1.1"  # set here, or werkzeug sets it on its own class
    timeout = _IDLE_TIMEOUT
    # Headers and body go out in two writes; with Nagle's algorithm the second one waits
    # for the client's delayed ACK (~40 ms per request on Linux).
    disable_nagle_algorithm = True
    connections: ClassVar[_Connections]  # set per server by Serving
    log_to: ClassVar[list[Log]]

    def setup(self) -> None:
        super().setup()
        self.connections.add(self.connection)

    def finish(self) -> None:
        self.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    # The request line and werkzeug's messages about a request repeat what the client
    # sent: escaped, so that a client cannot write to the terminal of `dataforce serve`.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.log_to[0](for_terminal(f'"{self.requestline}" {code}'))

    def log(self, type: str, message: str, *args: Any) -> None:
        self.log_to[0](for_terminal(message % args if args else message))


class _Response(Response):
    default_mimetype = None  # no Content-Type unless the answer has one (a 204 has none)


class _Adapter:
    """The WSGI application: environ in, the stand-in's answer out."""

    def __init__(self, record: Record, respond: Respond) -> None:
        self._record = record
        self._respond = respond

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        request.max_content_length = MAX_BODY
        raw_path, _, raw_query = str(environ.get("RAW_URI") or request.full_path).partition("?")
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            body = request.get_data()
        except RequestEntityTooLarge:
            answer: Answer | None = error(413, "Request Entity Too Large")
            body = b""
        except (HTTPException, ValueError, OSError) as exc:
            if isinstance(exc, ConnectionError):
                raise  # the client went away: werkzeug's business
            answer = Answer(400, b"Bad Request: invalid message framing", TEXT)
            body = b""
        else:
            answer = None
        recorded = RecordedRequest(request.method.upper(), raw_path, raw_query, headers, body)
        self._record(recorded)
        if answer is None:
            answer = self._respond(recorded)
        if answer is None:
            with contextlib.suppress(OSError):
                environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            raise _Dropped("connection dropped on purpose")
        response = _Response(
            answer.body if answer.has_body else b"",
            status=answer.status,
            headers=answer.headers,
            content_type=answer.content_type if answer.has_body else None,
        )
        return response(environ, start_response)


class Serving:
    """A werkzeug server on a socket bound here, serving from a daemon thread."""

    def __init__(self, host: str, port: int, record: Record, respond: Respond, log: Log) -> None:
        host = "127.0.0.1" if host == "localhost" else host.strip("[]")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            # Bound here rather than by werkzeug, which prints and exits on a busy port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(128)
            self._connections = _Connections()
            handler = type(
                "Handler", (_Handler,), {"connections": self._connections, "log_to": [log]}
            )
            self._server: BaseWSGIServer = make_server(
                host,
                sock.getsockname()[1],
                _Adapter(record, respond),
                threaded=True,
                request_handler=handler,
                fd=sock.fileno(),  # werkzeug serves a duplicate of this descriptor
            )
        finally:
            sock.close()
        # Stopping shuts connections down and joins the accept loop; waiting for every
        # handler thread as well (socketserver's default) would wait out idle clients.
        self._server.block_on_close = False  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"dataforce-local-{self.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def stop(self, timeout: float) -> None:
        """Stop accepting, cut every open connection, close the listening socket."""
        self._server.shutdown()  # returns once the accept loop has exited
        self._connections.shut_all()
        self._server.server_close()
        self._thread.join(timeout)
