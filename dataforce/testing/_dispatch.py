"""From a recorded request to the service's answer, faults aside: route, authenticate,
validate, check organization access, call the operation's handler, check the answer.

The order is the service's (a FastAPI application):

1. routing: an unknown path is ``404 {"detail": "Not Found"}``, a path with a trailing
   slash whose slash-less form is a route is ``307`` to that form (Starlette's
   ``redirect_slashes``, before authentication), a known path with another method is
   ``405`` with ``Allow``;
2. authentication (``401``), before validation: an unauthenticated request is refused
   even when its path or body is invalid;
3. request validation against the spec (``422`` in FastAPI's shape);
4. organization access (``403``), then the handler (:mod:`dataforce.testing._handlers`).

A request that is not the spec's (steps 1 and 3: an undocumented path or method, a
parameter or body that breaks the schema) is answered as the service would, and also
recorded as a :class:`~dataforce.testing._records.RequestViolation`, for a test whose
client swallows the error (the pytest plugin's strict mode fails it).

An operation of the spec without a handler (the spec gained it before the stand-in did)
is answered ``501 {"detail": "the local DataForce server does not implement <operationId>
(<METHOD> <path template>) yet"}`` in place of step 4, so that a spec update never
stops the server from starting and every other operation keeps working. Authentication,
request validation and the organization's 403 still come first (they follow the spec and
the service's order alone), so a request the service would refuse is refused the same
way. The 501 is the stand-in's own answer, which
no spec documents: it is not checked against the spec and not recorded as a
:class:`~dataforce.testing._records.SpecViolation` (those mean "the stand-in misbehaved"
and fail the ``dataforce_server`` fixture's tests). A test reaching one fails on its own,
with the message above, at the call that got it; the request is in the request log.

Response validation (``validate_responses``) checks each answer against the operation's
documented responses; one that does not conform is replaced by a plain-text 500 and
recorded as a :class:`~dataforce.testing._records.SpecViolation`, and so is an unhandled
exception in a handler.
"""

from __future__ import annotations

import hmac
import traceback
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from dataforce.testing._answers import TEXT, Answer, error, internal_error, json_answer
from dataforce.testing._handlers import (
    HANDLERS,
    NULL_ACCEPTED,
    Call,
    Handler,
    organization_access,
)
from dataforce.testing._records import Journal, RecordedRequest, RequestViolation, SpecViolation
from dataforce.testing._spec import ApiSpec, Operation, UnparsableBodyError
from dataforce.testing._store import Store, canonical_id

__all__ = ["NOT_IMPLEMENTED", "Dispatcher"]

NOT_IMPLEMENTED = 501


class Dispatcher:
    """Answers requests as the service would, from a spec, a store and a journal."""

    def __init__(
        self,
        spec: ApiSpec,
        store: Store,
        journal: Journal,
        *,
        api_key: str,
        validate_responses: bool,
        handlers: Mapping[str, Handler] = HANDLERS,
    ) -> None:
        self.spec = spec
        self.store = store
        self.journal = journal
        self.api_key = api_key
        self.validate_responses = validate_responses
        self._handlers = dict(handlers)
        self.unimplemented: tuple[str, ...] = tuple(sorted(set(spec.operations) - set(handlers)))
        """The spec's operations without a handler: answered 501."""

    def answer(self, request: RecordedRequest) -> Answer:
        """The service's answer to ``request``, checked against the spec if asked to."""
        try:
            answer = self._route(request)
        except UnparsableBodyError:
            # FastAPI's generic answer to a body its parser raised on (a JSON nesting
            # bomb): the framework's, not the operation's, so not checked against it.
            return error(400, "There was an error parsing the body")
        except Exception as exc:
            self.journal.violation(
                SpecViolation(
                    method=request.method,
                    path=request.path,
                    operation_id=None,
                    status=500,
                    problems=(
                        f"unhandled exception in the stand-in: {exc!r}",
                        traceback.format_exc(),
                    ),
                    body=b"",
                )
            )
            return internal_error()
        return self.checked(request, answer)

    def check_injected(self, request: RecordedRequest, answer: Answer) -> Answer:
        """An injected answer, checked as if the request's operation had sent it."""
        match = self.spec.match(request.path)
        operation = match[0].operations.get(request.method) if match else None
        if operation is None:
            return answer
        answer.operation = operation
        return self.checked(request, answer)

    def checked(self, request: RecordedRequest, answer: Answer) -> Answer:
        """``answer``, or the 500 that replaces it when it breaks the spec."""
        operation = answer.operation
        if not self.validate_responses or operation is None:
            return answer
        problems = self.spec.validate_response(
            operation, answer.status, answer.content_type, answer.body
        )
        if not problems:
            return answer
        violation = SpecViolation(
            method=request.method,
            path=request.path,
            operation_id=operation.operation_id,
            status=answer.status,
            problems=tuple(problems),
            body=answer.body,
        )
        self.journal.violation(violation)
        message = f"Internal Server Error: response validation failed: {violation}"
        return Answer(500, message.encode(), TEXT)

    # -- the steps -----------------------------------------------------------------------

    def _off_spec(
        self, request: RecordedRequest, operation: Operation | None, problems: list[str]
    ) -> None:
        self.journal.request_violation(
            RequestViolation(
                method=request.method,
                path=request.path,
                operation_id=operation.operation_id if operation else None,
                problems=tuple(problems),
            )
        )

    def _route(self, request: RecordedRequest) -> Answer:
        match = self.spec.match(request.path)
        if match is None:
            self._off_spec(request, None, ["the spec documents no operation at this path"])
            return self._redirect_slash(request) or error(404, "Not Found")
        route, path_params = match
        operation = route.operations.get(request.method)
        if operation is None:
            allowed = ", ".join(route.allowed_methods)
            self._off_spec(request, None, [f"the spec documents only {allowed} at this path"])
            answer = error(405, "Method Not Allowed")
            answer.headers["Allow"] = ", ".join(route.allowed_methods)
            return answer
        answer = self._operate(operation, path_params, request)
        if answer.status != NOT_IMPLEMENTED or operation.operation_id in self._handlers:
            answer.operation = operation  # checked against what the operation documents
        return answer

    def _redirect_slash(self, request: RecordedRequest) -> Answer | None:
        path = request.path
        if len(path) < 2 or not path.endswith("/") or self.spec.match(path[:-1]) is None:
            return None
        target = path[:-1] + (f"?{request.query}" if request.query else "")
        host = request.headers.get("host")
        location = f"http://{host}{target}" if host else target
        return Answer(307, headers={"Location": location})

    def _authenticated(self, headers: Mapping[str, str]) -> bool:
        scheme, _, credentials = headers.get("authorization", "").strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            return False
        return hmac.compare_digest(credentials.encode(), self.api_key.encode())

    def _operate(
        self, operation: Operation, path_params: Mapping[str, str], request: RecordedRequest
    ) -> Answer:
        if not self._authenticated(request.headers):
            answer = error(401, "Not authenticated")
            answer.headers["WWW-Authenticate"] = "Bearer"
            return answer
        parsed, details = self.spec.validate_request(
            operation,
            path_params,
            parse_qs(request.query, keep_blank_values=True),
            request.headers,
            request.body,
        )
        if details:  # the spec's view, before the service's leniency below
            self._off_spec(request, operation, [_problem(detail) for detail in details])
        nullable = NULL_ACCEPTED.get(operation.operation_id, frozenset())
        details = [d for d in details if not _null_at(d, nullable)]
        if details:
            return json_answer(422, {"detail": details})
        call = Call(
            organization_id=canonical_id(path_params.get("organization_id"), "id") or "",
            orbit_id=canonical_id(path_params.get("orbit_id"), "id") or "",
            body=parsed,
        )
        handler = self._handlers.get(operation.operation_id)
        with self.store.lock:
            if call.organization_id:
                denied = organization_access(self.store, call.organization_id)
                if denied is not None:
                    return denied
            if handler is None:
                return _not_implemented(operation)
            return handler(self.store, call)


def _not_implemented(operation: Operation) -> Answer:
    return error(
        NOT_IMPLEMENTED,
        f"the local DataForce server does not implement {operation.operation_id} "
        f"({operation.method} {operation.template}) yet",
    )


def _null_at(detail: Mapping[str, Any], fields: frozenset[str]) -> bool:
    """Whether a 422 detail only says that one of ``fields`` of the body is null."""
    loc = detail.get("loc")
    return (
        detail.get("input") is None
        and isinstance(loc, list)
        and len(loc) == 2
        and loc[0] == "body"
        and loc[1] in fields
    )


def _problem(detail: Mapping[str, Any]) -> str:
    """A 422 detail as where (a JSON path in the body, or the parameter) and what."""
    loc = detail.get("loc")
    steps = list(loc) if isinstance(loc, list) else []
    where = "request"
    if steps and steps[0] == "body":
        where = "$"
        for step in steps[1:]:
            # A JSON syntax error's loc is its character position, not an array index.
            if detail.get("type") == "json_invalid":
                break
            where += f"[{step}]" if isinstance(step, int) else f".{step}"
    elif len(steps) >= 2:
        where = f"{steps[0]} parameter {steps[1]}"
    return f"{where}: {detail.get('msg', 'invalid')}"
