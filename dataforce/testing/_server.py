"""The local stand-in for the DataForce service: state, HTTP plumbing, faults, request log.

Design notes (the why):

* **Stdlib HTTP server.** ``http.server.ThreadingHTTPServer`` speaking HTTP/1.1 with
  keep-alive is enough for a loopback test double and adds no runtime dependency; clients
  pool connections against it exactly as they do against the real service. Every accepted
  connection is tracked so that :meth:`LocalDataForce.stop` can shut the sockets down and
  return promptly even while clients hold idle keep-alive connections or a request is
  sleeping in an injected delay.
* **One lock around all state.** Handlers run on one thread per connection; the state,
  the request log, the fault queue and the recorded validation errors are all guarded by a
  single re-entrant lock. Injected delays sleep outside it.
* **Behaviour follows the live service**, as written down in
  ``shared/reference/api-contract.md``: 200 (not 201) on create, 204 on deleting an orbit
  that does not exist, 500 in plain text on a PATCH naming an unknown bucket secret, error
  bodies ``{"detail": ...}``. It deliberately differs where the service has a known flaw:
  every orbit operation is scoped to the organization in the path (the service finds
  orbits for PATCH/DELETE by ID alone); an orbit of another organization is answered
  ``404 {"detail": "Orbit not found"}``.
* **Organization access.** An organization that does not exist is answered 404
  ``{"detail": "Organization not found"}`` by the operations whose spec documents a 404
  (create, get, update, delete an orbit) and 403 ``{"detail": "Not enough rights"}`` by
  the two list operations, which document no 404 (the caller is not a member of it
  either). An organization that exists but the key's user is not a member of is answered
  403 everywhere. Listing bucket secrets also needs the ``owner`` or ``admin`` role.
* **Orbit limit.** Each organization may hold at most ``orbit_limit`` orbits (default
  :data:`DEFAULT_ORBIT_LIMIT`, 50: high enough for demos, whereas the live service lets a
  new organization hold one); beyond it a create is answered
  ``409 {"detail": "Organization reached maximum number of orbits"}``. The limit is
  settable for the server and per organization.
* **Validation against the packaged spec** (see :mod:`dataforce.testing._spec`): every
  request, before any state is touched; responses too with ``validate_responses=True``.
"""

from __future__ import annotations

import contextlib
import copy
import fnmatch
import hmac
import ipaddress
import json
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import IO, Any, Self
from urllib.parse import parse_qs

from dataforce.testing._ids import IdFactory
from dataforce.testing._spec import ApiSpec, Operation, load_spec

__all__ = [
    "DEFAULT_ORBIT_LIMIT",
    "InjectedFault",
    "LocalDataForce",
    "RecordedRequest",
    "ResponseValidationError",
    "serve",
]

DEFAULT_ORBIT_LIMIT = 50
"""Orbits an organization may hold unless configured otherwise (the live service: 1)."""

SEED_ORGANIZATION_NAME = "My Organization"
SEED_ORBIT_NAME = "Default Orbit"
SEED_USER_EMAIL = "developer@dataforce.local"

_POLL_INTERVAL = 0.05  # how often the accept loop checks for shutdown
_IDLE_TIMEOUT = 120.0  # seconds a keep-alive connection may sit idle
_JSON = "application/json"
_TEXT = "text/plain; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_MALFORMED_JSON = b'{"id": "0199c455-21ed-7aba-9fe5-5231611220de", "name": "Default Or'
_INTERNAL_ERROR = b"Internal Server Error"


# --------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received, in arrival order, whatever it was answered.

    ``path`` is the raw (still percent-encoded) path without the query string, ``query``
    the raw query string without ``?``, ``headers`` maps lower-cased header names to values
    (repeated headers joined with ``", "``) and ``body`` holds the exact bytes received.
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)

    @property
    def query_params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)


@dataclass(frozen=True)
class ResponseValidationError:
    """A response the server sent (or was about to send) that its spec does not allow.

    Also used for an unhandled exception inside the stand-in itself: both mean the server,
    not the client under test, misbehaved, and both make the pytest fixture fail.
    """

    method: str
    path: str
    operation_id: str | None
    status: int
    problems: tuple[str, ...]
    body: bytes

    def __str__(self) -> str:
        op = f" ({self.operation_id})" if self.operation_id else ""
        listed = "; ".join(self.problems)
        return f"{self.method} {self.path}{op} -> {self.status}: {listed}"


@dataclass(eq=False)
class InjectedFault:
    """A fault queued with :meth:`LocalDataForce.inject_fault`; ``hits`` counts its uses."""

    method: str | None
    path: str | re.Pattern[str] | None
    times: int | None
    status: int | None
    body: Any
    content_type: str | None
    retry_after: str | None
    delay: float
    drop: bool
    malformed: bool
    after_handling: bool
    validate_response: bool
    hits: int = 0

    @property
    def remaining(self) -> int | None:
        """Uses left; ``None`` for a fault that applies until cleared."""
        return None if self.times is None else max(0, self.times - self.hits)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path is None:
            return True
        if isinstance(self.path, re.Pattern):
            return self.path.search(path) is not None
        return fnmatch.fnmatchcase(path, self.path)


# --------------------------------------------------------------------------------------
# Internal plumbing
# --------------------------------------------------------------------------------------


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    operation: Operation | None = None


def _json_response(status: int, payload: Any) -> _Response:
    return _Response(status, json.dumps(payload).encode(), _JSON)


def _error(status: int, detail: str) -> _Response:
    return _json_response(status, {"detail": detail})


def _internal_error() -> _Response:
    return _Response(500, _INTERNAL_ERROR, _TEXT)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _proxy_page(status: int) -> bytes:
    title = f"{status} {_reason(status)}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


_DEFAULT_DETAILS = {401: "Not authenticated", 403: "Not enough rights", 404: "Not Found"}


def _default_fault_body(status: int) -> tuple[bytes, str | None]:
    """What a fault answers when no body was given: what that status usually carries."""
    if status in (204, 304) or status < 200:
        return b"", None
    if status == 500:
        return _INTERNAL_ERROR, _TEXT
    if status >= 502:  # answered by a proxy in front of the service
        return _proxy_page(status), _HTML
    return json.dumps({"detail": _DEFAULT_DETAILS.get(status, _reason(status))}).encode(), _JSON


def _encode_body(body: Any) -> tuple[bytes, str]:
    if isinstance(body, bytes):
        return body, _TEXT
    if isinstance(body, str):
        return body.encode(), _TEXT
    return json.dumps(body).encode(), _JSON


@dataclass
class _State:
    """Everything the stand-in stores; deep-copied for :meth:`LocalDataForce.reset`."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[str, str] = field(default_factory=dict)  # org id -> key user's role
    orbit_limits: dict[str, int] = field(default_factory=dict)  # per-organization overrides
    bucket_secrets: dict[str, dict[str, Any]] = field(default_factory=dict)
    orbits: dict[str, dict[str, Any]] = field(default_factory=dict)  # stored as OrbitDetails


@dataclass(frozen=True)
class _Call:
    organization_id: str
    orbit_id: str | None
    body: Any


def _check_id(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{what} must be a UUID string, got {value!r}") from None


def _canonical(value: str | None) -> str:
    """The canonical (lower-case, hyphenated) form of an already validated UUID string."""
    return str(uuid.UUID(value)) if value else ""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    """A threading server that tracks its connections so that stopping is prompt."""

    daemon_threads = True
    block_on_close = False  # handler threads are joined by close_connections instead

    def __init__(self, address: tuple[str, int], app: LocalDataForce, family: int) -> None:
        self.address_family = family
        self.app = app
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on DNS.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"dataforce-local-conn-{client_address[1]}",
            daemon=True,
        )
        with self._connections_lock:
            self._connections[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def close_connections(self, timeout: float) -> None:
        """Shut every open connection down and wait (bounded) for its thread to end."""
        with self._connections_lock:
            connections = list(self._connections.items())
        for sock, _ in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for _, thread in connections:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # client went away, connection reset, socket shut down
            return
        self.app._log(f"error while serving {client_address}: {exc!r}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DataForceLocal/0.1"
    sys_version = ""
    timeout = _IDLE_TIMEOUT
    # Headers and body go out in two writes; with Nagle's algorithm the second one waits
    # for the client's delayed ACK (~40 ms per request on Linux).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def __getattr__(self, name: str) -> Callable[[], None]:
        # BaseHTTPRequestHandler dispatches to do_<METHOD>; route every method through one
        # place so that unknown methods get the service's 405 rather than a 501 page.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def version_string(self) -> str:
        return self.server_version

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.app._log(f'"{self.requestline}" {code}')

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _read_body(self) -> bytes | None:
        """The request body, or None if its framing is broken (answered 400 then)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    return None
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            return None
        if size < 0:
            return None
        return self.rfile.read(size)

    def _handle(self) -> None:
        app = self.server.app
        body = self._read_body()
        if body is None:
            self.close_connection = True
            self._send(_Response(400, b"Bad Request: invalid message framing", _TEXT))
            return
        method = self.command.upper()
        path, _, query = self.path.partition("?")
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        app._record(RecordedRequest(method, path, query, headers, body))

        fault = app._take_fault(method, path)
        # A fault applies before the request is handled, or after (the service acted,
        # then the answer went wrong): the same misbehaviour either way.
        response = None
        if fault is not None and fault.after_handling:
            response = app._process(method, path, query, headers, body)
        if fault is not None:
            if (fault.delay and app._sleep(fault.delay)) or fault.drop:
                self.close_connection = True
                return
            if fault.malformed or fault.status is not None:
                response = app._fault_response(fault, method, path, response)
        if response is None:
            response = app._process(method, path, query, headers, body)
        self._send(response)

    def _send(self, response: _Response) -> None:
        status = response.status
        self.send_response(status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        no_body = status < 200 or status in (204, 304)
        if not no_body:
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if response.body and not no_body and self.command != "HEAD":
            self.wfile.write(response.body)


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------


class LocalDataForce:
    """An in-memory, thread-safe stand-in for the DataForce orbits API, served over HTTP.

    Like moto for AWS: point the SDK (or any HTTP client) at :attr:`base_url` with
    :attr:`api_key` and it behaves like the live service as far as this SDK is concerned,
    with state you can inspect and shape, a log of every request and injectable faults.

    It starts seeded with one organization ("My Organization", the key's user is its
    owner), one bucket secret, one orbit ("Default Orbit") and an API key; their IDs are
    :attr:`organization_id`, :attr:`bucket_secret_id`, :attr:`orbit_id`.

    Args:
        host: Interface to bind; loopback only unless ``allow_remote`` is true.
        port: TCP port; 0 picks a free one.
        seed: Makes IDs, the API key and timestamps reproducible (a fake clock is used).
        deterministic: Shorthand for ``seed=0``.
        api_key: Use this API key instead of a generated one.
        orbit_limit: Orbits each organization may hold (default
            :data:`DEFAULT_ORBIT_LIMIT`); beyond it creating one answers 409.
        validate_responses: Also validate the server's own responses against the spec. A
            response that fails is replaced by a plain-text 500 and recorded in
            :attr:`response_validation_errors`.
        allow_remote: Permit binding a non-loopback interface. The server has no real
            security; only do this on a trusted network.
        log_requests: Write one line per request to this stream (``True``: stderr).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        deterministic: bool = False,
        api_key: str | None = None,
        orbit_limit: int = DEFAULT_ORBIT_LIMIT,
        validate_responses: bool = False,
        allow_remote: bool = False,
        log_requests: bool | IO[str] = False,
    ) -> None:
        if not allow_remote and not _is_loopback(host):
            raise ValueError(
                f"refusing to bind {host!r}: the local DataForce server has no real security, "
                "so it listens on loopback only; pass allow_remote=True to override"
            )
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be within 0..65535, got {port}")
        self.host = host
        self._requested_port = port
        self.validate_responses = validate_responses
        self._log_stream: IO[str] | None = (
            sys.stderr if log_requests is True else (log_requests or None)
        )
        self._spec: ApiSpec = load_spec()
        self._handlers: dict[str, Callable[[_Call], _Response]] = {
            "list_my_organizations": self._list_my_organizations,
            "list_bucket_secrets": self._list_bucket_secrets,
            "list_orbits": self._list_orbits,
            "create_orbit": self._create_orbit,
            "get_orbit": self._get_orbit,
            "update_orbit": self._update_orbit,
            "delete_orbit": self._delete_orbit,
        }
        missing = sorted(set(self._spec.operations) - set(self._handlers))
        if missing:
            raise RuntimeError(f"openapi.yaml has operations the stand-in lacks: {missing}")

        self._lock = threading.RLock()
        self._lifecycle_lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._faults: list[InjectedFault] = []
        self._validation_errors: list[ResponseValidationError] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

        if seed is None and deterministic:
            seed = 0
        self.seed = seed
        self._ids = IdFactory(seed)
        self._default_orbit_limit = self._check_limit(orbit_limit)
        self._orbit_limit = self._default_orbit_limit
        self._state = _State()

        generated_key = self._ids.api_key()  # always drawn, so IDs do not depend on api_key
        self.api_key: str = api_key if api_key is not None else generated_key
        """The API key the seeded user authenticates with (``Authorization: Bearer ...``)."""
        self.user_id: str = self._ids.uuid7()
        self._state.users[self.user_id] = {
            "id": self.user_id,
            "email": SEED_USER_EMAIL,
            "full_name": "Local Developer",
            "disabled": False,
            "photo": None,
            "has_api_key": True,
        }
        self.organization_id: str = self.add_organization(SEED_ORGANIZATION_NAME)
        """The seeded organization ("My Organization"), owned by the key's user."""
        self.bucket_secret_id: str = self.add_bucket_secret(self.organization_id)
        """The seeded organization's bucket secret."""
        self.orbit_id: str = self.add_orbit(self.organization_id, SEED_ORBIT_NAME)["id"]
        """The seeded orbit ("Default Orbit")."""
        self._seed_state = copy.deepcopy(self._state)
        self._seed_ids = self._ids.get_state()

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> Self:
        """Bind the socket and serve from a background (daemon) thread."""
        with self._lifecycle_lock:
            if self._httpd is not None:
                raise RuntimeError("the server is already running")
            self._stopping.clear()
            self._stopped.clear()
            bind_host = "127.0.0.1" if self.host == "localhost" else self.host.strip("[]")
            family = socket.AF_INET6 if ":" in bind_host else socket.AF_INET
            self._httpd = _HTTPServer((bind_host, self._requested_port), self, family)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": _POLL_INTERVAL},
                name=f"dataforce-local-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection and the listening socket. Idempotent.

        Returns promptly even with keep-alive connections open or requests sleeping in an
        injected delay (those connections are closed without a response).
        """
        with self._lifecycle_lock:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
            if httpd is None:
                return
            self._stopping.set()
            httpd.shutdown()  # returns once the accept loop has exited
            httpd.close_connections(timeout)
            httpd.server_close()
            if thread is not None:
                thread.join(timeout)
            self._stopped.set()

    def serve_forever(self) -> None:
        """Serve until :meth:`stop` is called from another thread or Ctrl-C is pressed."""
        if not self.running:
            self.start()
        try:
            while not self._stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        """The bound port (the requested one while not running)."""
        httpd = self._httpd
        return int(httpd.server_address[1]) if httpd is not None else self._requested_port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: what to configure as the SDK's base URL."""
        host = self.host.strip("[]")
        if host in ("0.0.0.0", ""):  # noqa: S104 (naming the wildcard, not binding it)
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        """``base_url`` joined with ``path`` (which starts with ``/``)."""
        return self.base_url + path

    @property
    def auth_headers(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <api_key>"}``."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def describe(self) -> str:
        """A human-readable summary: where the server is, the key and the seeded IDs."""
        with self._lock:
            org = self._state.organizations.get(self.organization_id)
            orbit = self._state.orbits.get(self.orbit_id)
        base = self.base_url if self.running else f"{self.base_url} (not running)"
        org_name = org["name"] if org else "(deleted)"
        orbit_name = orbit["name"] if orbit else "(deleted)"
        return "\n".join(
            [
                "DataForce local server (in-memory: all data is lost when it stops)",
                f"  Base URL:       {base}",
                f"  API key:        {self.api_key}",
                f"  Organization:   {self.organization_id}  {org_name}",
                f"  Bucket secret:  {self.bucket_secret_id}",
                f"  Orbit:          {self.orbit_id}  {orbit_name}",
                f"  Orbit limit:    {self.orbit_limit} per organization",
                "Point the SDK at it:",
                f"  export DFS_BASE_URL={self.base_url}",
                f"  export DFS_API_KEY={self.api_key}",
            ]
        )

    # -- test controls: state ----------------------------------------------------------------

    def reset(self) -> None:
        """Restore the seeded state and default settings; clear requests, faults and errors.

        Seeded IDs and the key stay the same. With a seed, the IDs handed out after a reset
        repeat those handed out after construction.
        """
        with self._lock:
            self._state = copy.deepcopy(self._seed_state)
            self._ids.set_state(self._seed_ids)
            self._orbit_limit = self._default_orbit_limit
            self._requests.clear()
            self._faults.clear()
            self._validation_errors.clear()

    @property
    def orbit_limit(self) -> int:
        """Orbits an organization may hold unless it has its own limit (settable)."""
        return self._orbit_limit

    @orbit_limit.setter
    def orbit_limit(self, value: int) -> None:
        with self._lock:
            self._orbit_limit = self._check_limit(value)

    def set_orbit_limit(self, organization_id: str, limit: int | None) -> None:
        """Give one organization its own orbit limit (``None``: back to the server's)."""
        with self._lock:
            self._require_org(organization_id)
            if limit is None:
                self._state.orbit_limits.pop(organization_id, None)
            else:
                self._state.orbit_limits[organization_id] = self._check_limit(limit)

    def add_organization(
        self,
        name: str,
        *,
        member: bool = True,
        role: str = "owner",
        orbit_limit: int | None = None,
        organization_id: str | None = None,
    ) -> str:
        """Create an organization and return its ID.

        The key's user becomes a member with ``role`` unless ``member`` is false (then the
        organization exists but the key cannot use it: 403).
        """
        with self._lock:
            org_id = _check_id(organization_id, "organization_id") or self._ids.uuid7()
            if org_id in self._state.organizations:
                raise ValueError(f"organization {org_id} already exists")
            self._state.organizations[org_id] = {
                "id": org_id,
                "name": name,
                "logo": None,
                "created_at": self._ids.now(),
                "updated_at": None,
                "permissions": None,
            }
            if member:
                self._state.memberships[org_id] = role
            if orbit_limit is not None:
                self._state.orbit_limits[org_id] = self._check_limit(orbit_limit)
            return org_id

    def set_membership(self, organization_id: str, role: str | None) -> None:
        """Make the key's user a member of an organization with ``role``, or (None) not."""
        with self._lock:
            self._require_org(organization_id)
            if role is None:
                self._state.memberships.pop(organization_id, None)
            else:
                self._state.memberships[organization_id] = role

    def add_bucket_secret(
        self,
        organization_id: str,
        *,
        bucket_name: str = "dataforce-local",
        endpoint: str = "127.0.0.1:9000",
        bucket_secret_id: str | None = None,
    ) -> str:
        """Register a bucket secret with an organization and return its ID."""
        with self._lock:
            self._require_org(organization_id)
            secret_id = _check_id(bucket_secret_id, "bucket_secret_id") or self._ids.uuid7()
            if secret_id in self._state.bucket_secrets:
                raise ValueError(f"bucket secret {secret_id} already exists")
            self._state.bucket_secrets[secret_id] = {
                "id": secret_id,
                "endpoint": endpoint,
                "bucket_name": bucket_name,
                "secure": False,
                "region": "us-east-1",
                "cert_check": False,
                "organization_id": organization_id,
                "created_at": self._ids.now(),
                "updated_at": None,
            }
            return secret_id

    def add_orbit(
        self,
        organization_id: str,
        name: str,
        bucket_secret_id: str | None = None,
        *,
        orbit_id: str | None = None,
    ) -> dict[str, Any]:
        """Store an orbit directly (no HTTP, no orbit limit) and return it as OrbitDetails.

        Without ``bucket_secret_id`` the organization's first bucket secret is used (one is
        registered if it has none).
        """
        with self._lock:
            self._require_org(organization_id)
            if bucket_secret_id is None:
                bucket_secret_id = next(
                    (
                        s["id"]
                        for s in self._state.bucket_secrets.values()
                        if s["organization_id"] == organization_id
                    ),
                    None,
                ) or self.add_bucket_secret(organization_id)
            elif not self._secret_of(organization_id, bucket_secret_id):
                raise ValueError(f"bucket secret {bucket_secret_id} is not {organization_id}'s")
            new_id = _check_id(orbit_id, "orbit_id") or self._ids.uuid7()
            if new_id in self._state.orbits:
                raise ValueError(f"orbit {new_id} already exists")
            orbit = self._new_orbit(new_id, organization_id, name, bucket_secret_id, [])
            return copy.deepcopy(orbit)

    def orbits(self, organization_id: str | None = None) -> list[dict[str, Any]]:
        """The stored orbits of an organization (default: the seeded one) as OrbitDetails."""
        org_id = organization_id or self.organization_id
        with self._lock:
            return [
                copy.deepcopy(o)
                for o in self._state.orbits.values()
                if o["organization_id"] == org_id
            ]

    def organizations(self) -> list[dict[str, Any]]:
        """Every stored organization (members or not), with the key user's ``role``."""
        with self._lock:
            return [
                {**org, "role": self._state.memberships.get(org_id)}
                for org_id, org in self._state.organizations.items()
            ]

    def bucket_secrets(self, organization_id: str | None = None) -> list[dict[str, Any]]:
        """The bucket secrets of an organization (default: the seeded one)."""
        org_id = organization_id or self.organization_id
        with self._lock:
            return [
                dict(s)
                for s in self._state.bucket_secrets.values()
                if s["organization_id"] == org_id
            ]

    # -- test controls: request log, faults, validation errors ----------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the start (or the last clear/reset), in order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def response_validation_errors(self) -> list[ResponseValidationError]:
        """Responses that did not conform to the spec (with ``validate_responses=True``)
        and unhandled exceptions inside the stand-in. Empty is the only good value."""
        with self._lock:
            return list(self._validation_errors)

    def clear_response_validation_errors(self) -> None:
        with self._lock:
            self._validation_errors.clear()

    def inject_fault(
        self,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        *,
        times: int | None = 1,
        status: int | None = None,
        body: Any = None,
        content_type: str | None = None,
        retry_after: float | str | None = None,
        delay: float = 0.0,
        drop: bool = False,
        malformed: bool = False,
        after_handling: bool = False,
        validate_response: bool = False,
    ) -> InjectedFault:
        """Make the next ``times`` matching requests misbehave (``times=None``: all of them).

        A request matches when its method equals ``method`` (any if None) and its raw path
        matches ``path``: a string is an ``fnmatch`` pattern on the whole path (``*`` also
        crosses ``/``), a compiled regex is searched in it. The first pending matching
        fault applies; every request is still recorded in :attr:`requests`.

        What happens, in order:

        * ``delay``: sleep that many seconds first (a client's read timeout fires);
        * ``drop``: close the connection without any response;
        * ``status``: answer it with ``body`` (bytes/str sent as is, anything else as JSON)
          or the status's usual body: ``{"detail": ...}`` JSON for 4xx, plain-text
          ``Internal Server Error`` for 500, an nginx-style HTML page for 502/503/504.
          ``content_type`` overrides the media type, ``retry_after`` adds ``Retry-After``;
        * ``malformed``: answer (``status`` or 200) with truncated JSON.

        A delay alone lets the request through afterwards. With ``after_handling=True``
        the request is really processed first (an orbit gets stored) and only then the
        delay/drop/status/malformed applies; ``malformed`` then truncates the real body.

        Injected answers are deliberately off-spec, so they are not checked by
        ``validate_responses`` unless ``validate_response=True``.
        """
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every matching request)")
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, got {status}")
        if drop and (status is not None or malformed or body is not None):
            raise ValueError("drop closes the connection: it cannot also answer a status or body")
        if delay < 0:
            raise ValueError("delay must not be negative")
        if not (drop or malformed or delay or status is not None):
            if body is None:
                raise ValueError("the fault does nothing: give status, delay, drop or malformed")
            status = 200
        if body is not None and status is None and not malformed:
            status = 200
        fault = InjectedFault(
            method=method.upper() if method else None,
            path=path,
            times=times,
            status=status,
            body=body,
            content_type=content_type,
            retry_after=None if retry_after is None else _retry_after_value(retry_after),
            delay=float(delay),
            drop=drop,
            malformed=malformed,
            after_handling=after_handling,
            validate_response=validate_response,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    @property
    def faults(self) -> list[InjectedFault]:
        """Faults still pending."""
        with self._lock:
            return list(self._faults)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # -- request processing (called from handler threads) ------------------------------------

    def _log(self, line: str) -> None:
        stream = self._log_stream
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                print(f"[dataforce-local] {line}", file=stream, flush=True)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _take_fault(self, method: str, path: str) -> InjectedFault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops meanwhile; True if it is stopping."""
        return self._stopping.wait(seconds)

    def _fault_response(
        self,
        fault: InjectedFault,
        method: str,
        path: str,
        handled: _Response | None,
    ) -> _Response:
        if fault.malformed and fault.status is None and handled is not None:
            body = handled.body[: len(handled.body) // 2] if handled.body else b'{"'
            status = handled.status if 200 <= handled.status < 300 else 200
            status = 200 if status == 204 else status
            response = _Response(status, body, fault.content_type or _JSON)
        elif fault.malformed:
            response = _Response(fault.status or 200, _MALFORMED_JSON, fault.content_type or _JSON)
        else:
            status = fault.status if fault.status is not None else 200
            if fault.body is None:
                body, content_type = _default_fault_body(status)
            else:
                body, content_type = _encode_body(fault.body)
            response = _Response(status, body, fault.content_type or content_type)
        if fault.retry_after is not None:
            response.headers["Retry-After"] = fault.retry_after
        if fault.validate_response and self.validate_responses:
            match = self._spec.match(path)
            operation = match[0].operations.get(method) if match else None
            if operation is not None:
                response.operation = operation
                response = self._checked(method, path, response)
        return response

    def _process(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> _Response:
        try:
            response = self._route(method, path, query, headers, body)
        except Exception as exc:
            with self._lock:
                self._validation_errors.append(
                    ResponseValidationError(
                        method=method,
                        path=path,
                        operation_id=None,
                        status=500,
                        problems=(
                            f"unhandled exception in the stand-in: {exc!r}",
                            traceback.format_exc(),
                        ),
                        body=b"",
                    )
                )
            return _internal_error()
        return self._checked(method, path, response)

    def _checked(self, method: str, path: str, response: _Response) -> _Response:
        operation = response.operation
        if not self.validate_responses or operation is None:
            return response
        problems = self._spec.validate_response(
            operation, response.status, response.content_type, response.body
        )
        if not problems:
            return response
        error = ResponseValidationError(
            method=method,
            path=path,
            operation_id=operation.operation_id,
            status=response.status,
            problems=tuple(problems),
            body=response.body,
        )
        with self._lock:
            self._validation_errors.append(error)
        self._log(f"RESPONSE VALIDATION FAILED: {error}")
        message = f"Internal Server Error: response validation failed: {error}"
        return _Response(500, message.encode(), _TEXT)

    def _authenticated(self, headers: Mapping[str, str]) -> bool:
        scheme, _, credentials = headers.get("authorization", "").strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            return False
        return hmac.compare_digest(credentials.encode(), self.api_key.encode())

    def _route(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> _Response:
        match = self._spec.match(path)
        if match is None:
            return _error(404, "Not Found")
        route, path_params = match
        operation = route.operations.get(method)
        if operation is None:
            response = _error(405, "Method Not Allowed")
            response.headers["Allow"] = ", ".join(route.allowed_methods)
            return response
        response = self._operate(operation, path_params, query, headers, body)
        response.operation = operation
        return response

    def _operate(
        self,
        operation: Operation,
        path_params: Mapping[str, str],
        query: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> _Response:
        # Authentication first, then validation: the service rejects an unauthenticated
        # request with 401 even when its path or body is invalid.
        if not self._authenticated(headers):
            response = _error(401, "Not authenticated")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        parsed, details = self._spec.validate_request(
            operation, path_params, parse_qs(query, keep_blank_values=True), headers, body
        )
        if details:
            return _json_response(422, {"detail": details})
        call = _Call(
            organization_id=_canonical(path_params.get("organization_id")),
            orbit_id=_canonical(path_params.get("orbit_id")) or None,
            body=parsed,
        )
        with self._lock:
            if call.organization_id:
                denied = self._org_access(call.organization_id, operation)
                if denied is not None:
                    return denied
            return self._handlers[operation.operation_id](call)

    # -- operations (called under the lock) ------------------------------------------------

    def _org_access(self, organization_id: str, operation: Operation) -> _Response | None:
        if organization_id not in self._state.organizations:
            if operation.response_for(404) is not None:
                return _error(404, "Organization not found")
            return _error(403, "Not enough rights")
        if organization_id not in self._state.memberships:
            return _error(403, "Not enough rights")
        return None

    def _list_my_organizations(self, call: _Call) -> _Response:
        orgs = [
            {**org, "role": self._state.memberships[org_id]}
            for org_id, org in self._state.organizations.items()
            if org_id in self._state.memberships
        ]
        orgs.sort(key=lambda o: (o["name"], o["id"]))
        return _json_response(200, orgs)

    def _list_bucket_secrets(self, call: _Call) -> _Response:
        if self._state.memberships.get(call.organization_id) not in ("owner", "admin"):
            return _error(403, "Not enough rights")
        secrets = [
            s
            for s in self._state.bucket_secrets.values()
            if s["organization_id"] == call.organization_id
        ]
        return _json_response(200, secrets)

    def _list_orbits(self, call: _Call) -> _Response:
        orbits = [
            _orbit_json(o)
            for o in self._state.orbits.values()
            if o["organization_id"] == call.organization_id
        ]
        return _json_response(200, orbits)

    def _create_orbit(self, call: _Call) -> _Response:
        org_id = call.organization_id
        held = sum(1 for o in self._state.orbits.values() if o["organization_id"] == org_id)
        if held >= self._state.orbit_limits.get(org_id, self._orbit_limit):
            return _error(409, "Organization reached maximum number of orbits")
        secret_id = _canonical(call.body["bucket_secret_id"])
        if not self._secret_of(org_id, secret_id):
            return _error(404, "Bucket secret not found")
        requested = call.body.get("members") or []
        user_ids = [_canonical(m["user_id"]) for m in requested]
        if len(set(user_ids)) != len(user_ids) or any(u not in self._state.users for u in user_ids):
            return _error(400, "Invalid members")
        orbit_id = self._ids.uuid7()
        members = [
            {
                "id": self._ids.uuid7(),
                "orbit_id": orbit_id,
                "role": m["role"],
                "user": copy.deepcopy(self._state.users[u]),
                "created_at": self._ids.now(),
                "updated_at": None,
            }
            for m, u in zip(requested, user_ids, strict=True)
        ]
        orbit = self._new_orbit(orbit_id, org_id, call.body["name"], secret_id, members)
        return _json_response(200, orbit)

    def _scoped_orbit(self, call: _Call) -> dict[str, Any] | None:
        orbit = self._state.orbits.get(call.orbit_id or "")
        if orbit is None or orbit["organization_id"] != call.organization_id:
            return None
        return orbit

    def _get_orbit(self, call: _Call) -> _Response:
        orbit = self._scoped_orbit(call)
        if orbit is None:
            return _error(404, "Orbit not found")
        return _json_response(200, orbit)

    def _update_orbit(self, call: _Call) -> _Response:
        orbit = self._scoped_orbit(call)
        if orbit is None:
            return _error(404, "Orbit not found")
        changes: dict[str, Any] = {}
        if "bucket_secret_id" in call.body:
            secret_id = _canonical(call.body["bucket_secret_id"])
            if not self._secret_of(call.organization_id, secret_id):
                return _internal_error()  # what the live service answers
            changes["bucket_secret_id"] = secret_id
        if "name" in call.body:
            changes["name"] = call.body["name"]
        if changes:
            orbit.update(changes)
            orbit["updated_at"] = self._ids.now()
        return _json_response(200, _orbit_json(orbit))

    def _delete_orbit(self, call: _Call) -> _Response:
        orbit = self._state.orbits.get(call.orbit_id or "")
        if orbit is not None:
            if orbit["organization_id"] != call.organization_id:
                return _error(404, "Orbit not found")
            del self._state.orbits[orbit["id"]]
        return _Response(204)

    # -- helpers -------------------------------------------------------------------------

    def _new_orbit(
        self,
        orbit_id: str,
        organization_id: str,
        name: str,
        bucket_secret_id: str,
        members: list[dict[str, Any]],
    ) -> dict[str, Any]:
        orbit = {
            "id": orbit_id,
            "name": name,
            "organization_id": organization_id,
            "bucket_secret_id": bucket_secret_id,
            "total_members": len(members),
            "total_collections": 0,
            "role": "admin",
            "created_at": self._ids.now(),
            "updated_at": None,
            "permissions": None,
            "members": members,
        }
        self._state.orbits[orbit_id] = orbit
        return orbit

    def _secret_of(self, organization_id: str, secret_id: str) -> bool:
        secret = self._state.bucket_secrets.get(secret_id)
        return secret is not None and secret["organization_id"] == organization_id

    def _require_org(self, organization_id: str) -> None:
        if organization_id not in self._state.organizations:
            raise KeyError(f"no organization {organization_id}")

    @staticmethod
    def _check_limit(limit: int) -> int:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"an orbit limit must be a non-negative int, got {limit!r}")
        return limit


def _orbit_json(orbit: Mapping[str, Any]) -> dict[str, Any]:
    """An ``Orbit`` (as listed and as answered by PATCH): OrbitDetails without members."""
    return {k: v for k, v in orbit.items() if k != "members"}


def _retry_after_value(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    seed: int | None = None,
    deterministic: bool = False,
    api_key: str | None = None,
    orbit_limit: int = DEFAULT_ORBIT_LIMIT,
    validate_responses: bool = False,
    allow_remote: bool = False,
    log_requests: bool = True,
    out: IO[str] | None = None,
) -> None:
    """Run a seeded local server in this process until Ctrl-C (what ``dataforce serve`` does).

    Prints :meth:`LocalDataForce.describe` (base URL, API key, seeded IDs) to ``out``
    (default stdout) once listening, then one line per request to stderr unless
    ``log_requests`` is false. Raises ``OSError`` if the port cannot be bound and
    ``ValueError`` for a non-loopback ``host`` without ``allow_remote``.
    """
    stream = out if out is not None else sys.stdout
    server = LocalDataForce(
        host=host,
        port=port,
        seed=seed,
        deterministic=deterministic,
        api_key=api_key,
        orbit_limit=orbit_limit,
        validate_responses=validate_responses,
        allow_remote=allow_remote,
        log_requests=log_requests,
    )
    server.start()
    try:
        print(server.describe(), file=stream)
        print("Press Ctrl-C to stop.", file=stream, flush=True)
        server.serve_forever()
    finally:
        server.stop()
