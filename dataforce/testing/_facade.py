"""The public face of the stand-in, :class:`LocalDataForce`: it wires the parts together.

It holds no logic of its own beyond checking arguments; the parts, the service's behaviour
and the deliberate departures from it are described in :mod:`dataforce.testing`.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import IO, Any, Self

from dataforce.testing._answers import Answer
from dataforce.testing._dispatch import Dispatcher
from dataforce.testing._faults import Exchange, FaultQueue, InjectedFault, make_fault, plan, run
from dataforce.testing._handlers import ANSWERS
from dataforce.testing._ids import IdFactory
from dataforce.testing._records import Journal, RecordedRequest, RequestViolation, SpecViolation
from dataforce.testing._serving import Serving, check_address, url_host
from dataforce.testing._shapes import Shapes
from dataforce.testing._spec import ApiSpec, load_spec
from dataforce.testing._store import DEFAULT_ORBIT_LIMIT, RECORDS, Store, check_limit

__all__ = ["DEFAULT_ORBIT_LIMIT", "LocalDataForce"]

SEED_ORGANIZATION_NAME = "My Organization"
SEED_ORBIT_NAME = "Default Orbit"
SEED_USER_EMAIL = "developer@dataforce.local"


@functools.lru_cache(maxsize=4)
def _shapes(spec: ApiSpec) -> Shapes:
    """The shapes of the store's records and the handlers' answers, compiled and checked
    once per spec (the packaged one is compiled once per process)."""
    return Shapes(spec, RECORDS, ANSWERS)


class LocalDataForce:
    """An in-memory, thread-safe stand-in for the DataForce orbits API, served over HTTP.

    Like moto for AWS: point the SDK (or any HTTP client) at :attr:`base_url` with
    :attr:`api_key` and it behaves like the live service as far as this SDK is concerned,
    with state you can inspect and shape, a log of every request and injectable faults.

    It starts seeded with one organization ("My Organization", the key's user is its
    owner), one bucket secret, one orbit ("Default Orbit") and an API key; their IDs are
    :attr:`organization_id`, :attr:`bucket_secret_id`, :attr:`orbit_id`, generated unless
    given (``organization_id=``, ...: for examples and fixtures that name them).

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
            :attr:`spec_violations`.
        allow_remote: Permit binding a non-loopback interface. The server has no real
            security; only do this on a trusted network.
        log_requests: Write one line per request to this stream (``True``: stderr).
        organization_id: The seeded organization's ID (a UUID; default: generated).
        bucket_secret_id: The seeded bucket secret's ID (a UUID; default: generated).
        orbit_id: The seeded orbit's ID (a UUID; default: generated).
        _spec: Testing only, not part of the API: an OpenAPI document (as parsed from
            YAML) to serve instead of the packaged ``openapi.yaml``. The stand-in's own
            tests pass an edited copy of the spec to show that the server follows it.
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
        organization_id: str | None = None,
        bucket_secret_id: str | None = None,
        orbit_id: str | None = None,
        _spec: Mapping[str, Any] | None = None,
    ) -> None:
        check_address(host, port, allow_remote=allow_remote)
        self.host = host
        self._requested_port = port
        self._log_stream: IO[str] | None = (
            sys.stderr if log_requests is True else (log_requests or None)
        )
        if seed is None and deterministic:
            seed = 0
        self.seed = seed
        ids = IdFactory(seed)
        generated_key = ids.api_key()  # always drawn, so IDs do not depend on api_key
        spec = load_spec() if _spec is None else ApiSpec(_spec)
        self._store = Store(ids, _shapes(spec), check_limit(orbit_limit))
        self._journal = Journal()
        self._faults = FaultQueue()
        self._dispatcher = Dispatcher(
            spec,
            self._store,
            self._journal,
            api_key=api_key if api_key is not None else generated_key,
            validate_responses=validate_responses,
        )
        self._lifecycle_lock = threading.Lock()
        self._serving: Serving | None = None
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

        self.user_id: str = self._store.add_user(SEED_USER_EMAIL, "Local Developer")
        """The key's user."""
        self.organization_id: str = self.add_organization(
            SEED_ORGANIZATION_NAME, organization_id=organization_id
        )
        """The seeded organization ("My Organization"), owned by the key's user."""
        self.bucket_secret_id: str = self.add_bucket_secret(
            self.organization_id, bucket_secret_id=bucket_secret_id
        )
        """The seeded organization's bucket secret."""
        self.orbit_id: str = self.add_orbit(
            self.organization_id, SEED_ORBIT_NAME, orbit_id=orbit_id
        )["id"]
        """The seeded orbit ("Default Orbit")."""
        self._seed = self._store.snapshot()

    @property
    def api_key(self) -> str:
        """The API key the seeded user authenticates with (``Authorization: Bearer ...``)."""
        return self._dispatcher.api_key

    @api_key.setter
    def api_key(self, value: str) -> None:
        self._dispatcher.api_key = value

    @property
    def unimplemented_operations(self) -> tuple[str, ...]:
        """The spec's operations the stand-in has no handler for (answered 501), sorted."""
        return self._dispatcher.unimplemented

    @property
    def validate_responses(self) -> bool:
        """Whether the server checks its own answers against the spec (settable)."""
        return self._dispatcher.validate_responses

    @validate_responses.setter
    def validate_responses(self, value: bool) -> None:
        self._dispatcher.validate_responses = value

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
            if self._serving is not None:
                raise RuntimeError("the server is already running")
            self._stopping.clear()
            self._serving = Serving(
                self.host, self._requested_port, self._journal.record, self._respond, self._log
            )
            self._stopped.clear()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection and the listening socket. Idempotent.

        Returns promptly even with connections open or requests sleeping in an injected
        delay (those connections are closed without a response).
        """
        with self._lifecycle_lock:
            serving, self._serving = self._serving, None
            if serving is None:
                return
            self._stopping.set()
            serving.stop(timeout)
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
        return self._serving is not None

    @property
    def port(self) -> int:
        """The bound port (the requested one while not running)."""
        serving = self._serving
        return serving.port if serving is not None else self._requested_port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``: what to configure as the SDK's base URL."""
        return f"http://{url_host(self.host)}:{self.port}"

    def url(self, path: str) -> str:
        """``base_url`` joined with ``path`` (which starts with ``/``)."""
        return self.base_url + path

    def url_for(self, operation_id: str, **params: str) -> str:
        """The URL of an operation of the spec this server serves, its path parameters
        given by name: ``url_for("get_orbit", organization_id=..., orbit_id=...)``. A test
        that sends its own requests keeps working when the API's paths move."""
        operations = self._dispatcher.spec.operations
        if operation_id not in operations:
            raise KeyError(f"the spec has no operation {operation_id!r}: {sorted(operations)}")
        template = operations[operation_id].template
        try:
            return self.url(template.format(**params))
        except KeyError as missing:
            raise KeyError(f"{operation_id} ({template}) needs the parameter {missing}") from None

    @property
    def auth_headers(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <api_key>"}``."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def describe(self) -> str:
        """A human-readable summary: where the server is, the key and the seeded IDs."""
        from dataforce.testing._foreground import summary  # it imports this module

        return summary(self)

    # -- test controls: state ----------------------------------------------------------------

    def reset(self) -> None:
        """Restore the seeded state and default settings; clear requests, faults and errors.

        Seeded IDs and the key stay the same. With a seed, the IDs handed out after a reset
        repeat those handed out after construction.
        """
        self._store.restore(self._seed)
        self._journal.clear_requests()
        self._journal.clear_violations()
        self._journal.clear_request_violations()
        self._faults.clear()

    @property
    def orbit_limit(self) -> int:
        """Orbits an organization may hold unless it has its own limit (settable)."""
        return self._store.orbit_limit

    @orbit_limit.setter
    def orbit_limit(self, value: int) -> None:
        self._store.orbit_limit = value

    def set_orbit_limit(self, organization_id: str, limit: int | None) -> None:
        """Give one organization its own orbit limit (``None``: back to the server's)."""
        self._store.set_orbit_limit(organization_id, limit)

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
        return self._store.add_organization(
            name,
            member=member,
            role=role,
            orbit_limit=orbit_limit,
            organization_id=organization_id,
        )

    def set_membership(self, organization_id: str, role: str | None) -> None:
        """Make the key's user a member of an organization with ``role``, or (None) not."""
        self._store.set_membership(organization_id, role)

    def add_bucket_secret(
        self,
        organization_id: str,
        *,
        bucket_name: str = "dataforce-local",
        endpoint: str = "127.0.0.1:9000",
        bucket_secret_id: str | None = None,
    ) -> str:
        """Register a bucket secret with an organization and return its ID."""
        return self._store.add_bucket_secret(
            organization_id,
            bucket_name=bucket_name,
            endpoint=endpoint,
            bucket_secret_id=bucket_secret_id,
        )

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
        return self._store.add_orbit(organization_id, name, bucket_secret_id, orbit_id=orbit_id)

    def add_orbit_secret(
        self,
        orbit_id: str,
        name: str,
        value: str,
        *,
        tags: Iterable[str] | None = None,
        secret_id: str | None = None,
    ) -> dict[str, Any]:
        """Store a secret of an orbit (no HTTP: the SDK only lists them) and return it."""
        return self._store.add_orbit_secret(orbit_id, name, value, tags=tags, secret_id=secret_id)

    def orbits(self, organization_id: str | None = None) -> list[dict[str, Any]]:
        """The stored orbits of an organization (default: the seeded one) as OrbitDetails."""
        return self._store.orbits(organization_id or self.organization_id)

    def organizations(self) -> list[dict[str, Any]]:
        """Every stored organization (members or not), with the key user's ``role``."""
        return self._store.organizations(members_only=False)

    def bucket_secrets(self, organization_id: str | None = None) -> list[dict[str, Any]]:
        """The bucket secrets of an organization (default: the seeded one)."""
        return self._store.bucket_secrets(organization_id or self.organization_id)

    # -- test controls: request log, spec violations, faults ------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the start (or the last clear/reset), in order."""
        return self._journal.requests

    def clear_requests(self) -> None:
        self._journal.clear_requests()

    @property
    def spec_violations(self) -> list[SpecViolation]:
        """Answers that did not conform to the spec (with ``validate_responses=True``) and
        unhandled exceptions inside the stand-in. Empty is the only good value."""
        return self._journal.violations

    response_validation_errors = spec_violations  # the former name

    def clear_spec_violations(self) -> None:
        self._journal.clear_violations()

    clear_response_validation_errors = clear_spec_violations  # the former name

    @property
    def request_violations(self) -> list[RequestViolation]:
        """Requests the spec does not allow (an undocumented path or method, parameters or
        a body that break the operation's schema), each answered as the service would
        (404, 405, 307, 422) and recorded here with the operation and where it broke the
        spec. The pytest plugin's strict mode fails a test that leaves any."""
        return self._journal.request_violations

    def clear_request_violations(self) -> None:
        self._journal.clear_request_violations()

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

        What happens, in order (see :mod:`dataforce.testing._faults`):

        * ``delay``: sleep that many seconds first (a client's read timeout fires);
        * ``drop``: close the connection without any response;
        * ``status``: answer it with ``body`` (bytes/str sent as is, anything else as JSON)
          or the status's usual body: ``{"detail": ...}`` JSON for 4xx, plain-text
          ``Internal Server Error`` for 500, an nginx-style HTML page for 502/503/504.
          ``content_type`` overrides the media type;
        * ``malformed``: answer (``status`` or 200) with truncated JSON;
        * ``retry_after`` adds a ``Retry-After`` header to whatever is answered.

        A delay alone lets the request through afterwards. With ``after_handling=True``
        the request is really processed first (an orbit gets stored) and only then the
        delay/drop/status/malformed applies; ``malformed`` then truncates the real body.

        Injected answers are deliberately off-spec, so they are not checked by
        ``validate_responses`` unless ``validate_response=True``.
        """
        fault = make_fault(
            method,
            path,
            times=times,
            status=status,
            body=body,
            content_type=content_type,
            retry_after=retry_after,
            delay=delay,
            drop=drop,
            malformed=malformed,
            after_handling=after_handling,
            validate_response=validate_response,
        )
        return self._faults.add(fault)

    @property
    def faults(self) -> list[InjectedFault]:
        """Faults still pending."""
        return self._faults.pending

    def clear_faults(self) -> None:
        self._faults.clear()

    # -- serving (called from the serving threads) -----------------------------------------------

    def _respond(self, request: RecordedRequest) -> Answer | None:
        fault = self._faults.take(request.method, request.path)
        exchange = Exchange(
            request,
            service=self._dispatcher.answer,
            check=self._dispatcher.check_injected,
            stopping=self._stopping,
        )
        return run(plan(fault), exchange)

    def _log(self, line: str) -> None:
        stream = self._log_stream
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                print(f"[dataforce-local] {line}", file=stream, flush=True)
