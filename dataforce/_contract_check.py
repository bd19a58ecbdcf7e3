"""``dataforce contract check``: does a running service still answer as openapi.yaml says?

``dataforce spec diff`` compares documents; a service's behaviour can change while its
document does not (DELETE of an unknown orbit answering 404 instead of 204). This sends
the SDK's operations to a running service and checks every raw answer strictly against
the packaged spec: the status is one the operation documents (and the one the check
expects), the body is valid against that status's schema, every required property is
there. A property the spec does not document is listed as information, never a failure:
responses may grow, and the SDK ignores what it does not know.

What is sent comes from the spec's operation table (``dataforce.api._schema.OPERATIONS``:
method and path template per operationId), never from literal paths:

* read-only (always): the caller's organizations, then per organization (at most
  :data:`MAX_ORGANIZATIONS`) its bucket secrets, its orbits and each orbit fetched with
  its secrets (at most :data:`MAX_ORBITS`); the error contract once: an unknown orbit (404) and a
  malformed orbit ID (422);
* ``--write``: an orbit created under a unique name, renamed, fetched, deleted, and
  deleted again (404 now that it is unknown). Whatever it created is deleted on the way
  out, also after a failure, SIGINT or SIGTERM; an interrupted create is found again by
  its unique name. An organization at its orbit limit (409) skips the write checks.

Each request is sent once, without the SDK's retries: the check reports what the service
answered, not what a retry would have got. Departures name the operation, the JSON path
and what the spec expects, never a value received (an answer may hold secrets). The
validator is the local server's (``dataforce.testing._spec``: jsonschema over the parsed
openapi.yaml), so it needs the ``local`` extra: one validator for both sides, and no new
runtime dependency.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, Literal

import httpx

from dataforce.api._base_client import DEFAULT_TIMEOUT, Options
from dataforce.api._client import DataForceClient
from dataforce.api._config import Defaults, State
from dataforce.api._pool import Pool
from dataforce.api._schema import OPERATIONS
from dataforce.api._transport import Call, _transport_error
from dataforce.api._validation import is_uuid_text

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from dataforce.testing._spec import ApiSpec

__all__ = ["MAX_ORBITS", "MAX_ORGANIZATIONS", "Check", "Interrupted", "Report", "UsageError", "run"]

#: Orbits fetched one by one per organization; the rest are in the list's check only.
MAX_ORBITS: Final = 10
#: Organizations whose bucket secrets and orbits are checked when none is named.
MAX_ORGANIZATIONS: Final = 5
#: The name of every orbit ``--write`` creates starts with this (then a random suffix).
NAME_PREFIX: Final = "dataforce-contract-check-"
#: An orbit ID the service cannot accept: the error contract's 422.
MALFORMED_ID: Final = "not-a-uuid"

Result = Literal["conforms", "departs", "skipped"]


class UsageError(Exception):
    """Nothing to check with these settings (exit status 2): one line, no traceback."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: clean up, then exit ``128 + signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass
class Departure:
    """Where an answer breaks the spec (a JSON path, or ``status``/``content-type``) and
    what the spec expects there. ``occurrences`` counts the items of a list it recurs in."""

    where: str
    expected: str
    occurrences: int = 1

    def __str__(self) -> str:
        more = f" (in {self.occurrences} items)" if self.occurrences > 1 else ""
        return f"{self.where}: expected {self.expected}{more}"


@dataclass
class Check:
    """One request and what its answer showed."""

    name: str  # the operationId, with what is special about this request
    operation: str
    method: str
    template: str
    status: int | None = None
    result: Result = "conforms"
    departures: list[Departure] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)  # JSON paths, list items as [*]
    reason: str | None = None  # why it was skipped

    def depart(self, where: str, expected: str) -> None:
        self.result = "departs"
        self.departures.append(Departure(where, expected))

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.name,
            "operation": self.operation,
            "method": self.method,
            "path": self.template,
            "status": self.status,
            "result": self.result,
            "departures": [
                {"path": d.where, "expected": d.expected, "occurrences": d.occurrences}
                for d in self.departures
            ],
            "undocumented": self.undocumented,
            "reason": self.reason,
        }


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # information beyond the checks
    left_behind: list[str] = field(default_factory=list)  # orbits cleanup could not delete

    @property
    def conforms(self) -> bool:
        return all(check.result != "departs" for check in self.checks)

    def count(self, result: Result) -> int:
        return sum(check.result == result for check in self.checks)

    def summary(self) -> str:
        undocumented = sum(len(check.undocumented) for check in self.checks)
        return (
            f"{len(self.checks)} checks: {self.count('conforms')} conform, "
            f"{self.count('departs')} depart, {self.count('skipped')} skipped; "
            f"{undocumented} undocumented properties (information)"
        )

    def lines(self) -> Iterator[str]:
        """The text output: a line per check, its departures indented, then a summary."""
        labels = {"conforms": "ok", "departs": "DEPARTS", "skipped": "skipped"}
        for check in self.checks:
            status = "" if check.status is None else f" -> {check.status}"
            line = f"{labels[check.result]:<8} {check.name}  {check.method} {check.template}"
            yield line + status + (f": {check.reason}" if check.reason else "")
            for departure in check.departures:
                yield f"           {departure}"
            for where in check.undocumented:
                yield f"  info     {where}: undocumented property (responses may grow)"
        for note in self.notes:
            yield f"  info     {note}"
        for left in self.left_behind:
            yield f"  WARNING  not deleted: {left}"
        yield self.summary()

    def as_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "checks": [check.as_json() for check in self.checks],
            "notes": self.notes,
            "left_behind": self.left_behind,
            "summary": {
                "checks": len(self.checks),
                "conforms": self.count("conforms"),
                "departs": self.count("departs"),
                "skipped": self.count("skipped"),
            },
        }


# --------------------------------------------------------------------------- sending


class _Probe(DataForceClient):
    """The SDK's client for one raw request at a time: its headers, base URL, deadline per
    attempt and size limit, but no retries, no error mapping and no decoding. Building
    it resolves nothing: the caller's organizations are themselves a check."""

    def __init__(self, base_url: str | None, api_key: str | None) -> None:
        # DataForceClient.__init__ is skipped on purpose: it lists the organizations and
        # decodes them, raising before the check could report what was wrong.
        self._options = Options(base_url, api_key, 0, DEFAULT_TIMEOUT)
        self._state = State(Defaults(None, None, None))
        self._pool = Pool(self._options.new_http)
        self._owns_http = True

    def send(self, method: str, path: str, body: object = None) -> httpx.Response:
        call = Call(method, path, json=body)
        outcome = self._attempt(call)
        if isinstance(outcome, httpx.RequestError):
            raise _transport_error(call, outcome, self._options)
        assert isinstance(outcome, httpx.Response)
        return outcome


# --------------------------------------------------------------------------- validating


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "unknown"


def _indexless(path: str) -> str:
    """``$[3].id`` -> ``$[*].id``: the same place in every item of a list."""
    return re.sub(r"\[\d+\]", "[*]", path)


def _key(name: str) -> str:
    """A property name from the service as a JSON path step, escaped and bounded."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", name):
        return f".{name}"
    shown = json.dumps(name[:64], ensure_ascii=True)[1:-1]
    return f"['{shown}{'...' if len(name) > 64 else ''}']"


class _Contract:
    """The packaged spec, compiled by the local server's loader, as strict checks."""

    def __init__(self, spec: ApiSpec) -> None:
        self.spec = spec
        self.document: Any = spec.document

    # -- the spec's raw schemas (for describing them, and for undocumented properties)

    def _deref(self, node: Any) -> Any:
        for _ in range(32):  # a reference cycle in the document stops here
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            ref: str = node["$ref"]
            if not ref.startswith("#/"):
                return {}
            node = self.document
            for step in ref[2:].split("/"):
                step = step.replace("~1", "/").replace("~0", "~")
                node = node.get(step, {}) if isinstance(node, dict) else {}
        return {}

    def _response_schema(self, operation_id: str, status: int, media_type: str) -> Any:
        operation = self.spec.operations[operation_id]
        raw = self.document["paths"][operation.template][operation.method.lower()]
        responses = raw.get("responses", {})
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                content = self._deref(responses[key]).get("content") or {}
                for name, media in content.items():
                    if name.lower() == media_type:
                        return media.get("schema") if isinstance(media, dict) else None
        return None

    def _admits(self, schema: Any, kind: str) -> bool:
        schema = self._deref(schema)
        if not isinstance(schema, dict):
            return True
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                return any(self._admits(branch, kind) for branch in schema[key])
        declared = schema.get("type")
        if declared is None:
            return True
        types = declared if isinstance(declared, list) else [declared]
        return kind in types or (kind == "integer" and "number" in types)

    def describe(self, schema: Any) -> str:
        """What a schema admits, in a few words (``integer or null``, ``string (uuid)``)."""
        schema = self._deref(schema)
        if not isinstance(schema, dict):
            return "any value"
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                return " or ".join(self.describe(branch) for branch in schema[key])
        if isinstance(schema.get("enum"), list):
            return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
        declared = schema.get("type")
        if declared is None:
            return "any value"
        text = " or ".join(declared) if isinstance(declared, list) else str(declared)
        fmt = schema.get("format")
        return f"{text} ({fmt})" if isinstance(fmt, str) else text

    def undocumented(self, schema: Any, value: Any, path: str, found: dict[str, None]) -> None:
        """Add to ``found`` the path of every property of ``value`` that ``schema`` does
        not document (an object schema without ``additionalProperties`` lists its own)."""
        schema = self._deref(schema)
        if not isinstance(schema, dict):
            return
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                kind = _json_type(value)
                branch = next((b for b in schema[key] if self._admits(b, kind)), None)
                if branch is not None:
                    self.undocumented(branch, value, path, found)
                return
        if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
            properties = schema["properties"]
            extra = schema.get("additionalProperties")
            for name, item in value.items():
                child = path + _key(str(name))
                if name in properties:
                    self.undocumented(properties[name], item, child, found)
                elif isinstance(extra, dict):
                    self.undocumented(extra, item, child, found)
                elif extra is not True:
                    found[_indexless(child)] = None
        elif isinstance(value, list) and isinstance(schema.get("items"), dict):
            for index, item in enumerate(value):
                self.undocumented(schema["items"], item, f"{path}[{index}]", found)

    # -- departures, from jsonschema's errors (whose messages quote the value received)

    def _leaves(self, error: ValidationError) -> Iterator[ValidationError]:
        """The errors that say what is wrong: for an ``anyOf`` whose one branch is of the
        value's JSON type (``array`` of members or ``null``), that branch's errors."""
        if error.validator in ("anyOf", "oneOf") and error.context:
            kind = _json_type(error.instance)
            alternatives: Any = error.validator_value
            branches = [i for i, b in enumerate(alternatives) if self._admits(b, kind)]
            if len(branches) == 1:
                inner = [e for e in error.context if e.relative_schema_path[0] == branches[0]]
                if inner:
                    for sub in inner:
                        yield from self._leaves(sub)
                    return
        yield error

    def _expected(self, error: ValidationError) -> Iterator[tuple[str, str]]:
        keyword, where = error.validator, error.json_path
        value: Any = error.validator_value
        if keyword == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            for name in value:
                if name not in present:
                    yield where + _key(name), "a required property, missing"
        elif keyword == "type":
            yield where, " or ".join(value) if isinstance(value, list) else str(value)
        elif keyword == "format":
            yield where, f"a string of format {value}"
        elif keyword in ("anyOf", "oneOf"):
            yield where, " or ".join(self.describe(branch) for branch in value)
        elif keyword in ("enum", "const"):
            values = value if keyword == "enum" else [value]
            yield where, "one of " + ", ".join(json.dumps(v) for v in values)
        else:  # minLength, pattern, maximum...: the spec's constraint, never the value
            yield where, f"{keyword} {json.dumps(value)[:80]}"

    def check(self, check: Check, response: httpx.Response, expected: frozenset[int]) -> Any:
        """Check ``response`` to ``check``'s operation; the decoded JSON body (or None)."""
        operation = self.spec.operations[check.operation]
        status = check.status = response.status_code
        documented = operation.response_for(status)
        if documented is None:
            listed = ", ".join(sorted(operation.documented_statuses))
            check.depart("status", f"a status {operation.operation_id} documents ({listed})")
            return None
        if status not in expected:
            wanted = " or ".join(str(s) for s in sorted(expected))
            check.depart("status", f"{wanted} for this request")
        body = response.content
        if not documented.media:
            if body:
                check.depart("$", f"no body (status {status} is documented without one)")
            return None
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in documented.media:
            check.depart("content-type", " or ".join(sorted(documented.media)))
            return None
        if media_type != "application/json" and not media_type.endswith("+json"):
            return None  # the plain-text 500: any text
        try:
            instance = json.loads(body)
        except (ValueError, RecursionError):
            check.depart("$", "a JSON document")
            return None
        validator = documented.media[media_type]
        if validator is not None:
            self._collect(check, validator.iter_errors(instance))
        found: dict[str, None] = {}
        self.undocumented(
            self._response_schema(check.operation, status, media_type), instance, "$", found
        )
        check.undocumented.extend(found)
        return instance

    def _collect(self, check: Check, errors: Iterator[ValidationError]) -> None:
        # The same departure in every item of a list is one line, with its count.
        grouped: dict[tuple[str, str], Departure] = {}
        for error in errors:
            for leaf in self._leaves(error):
                for where, expected in self._expected(leaf):
                    key = (_indexless(where), expected)
                    if key in grouped:
                        grouped[key].occurrences += 1
                    else:
                        grouped[key] = Departure(where, expected)
        if grouped:
            check.result = "departs"
            check.departures.extend(grouped.values())


# --------------------------------------------------------------------------- the checks


def _path(operation_id: str, *ids: str) -> tuple[str, str, str]:
    operation = OPERATIONS[operation_id]
    return operation.method, operation.path, operation.template.format(*ids)


class _Run:
    def __init__(self, contract: _Contract, probe: _Probe, report: Report) -> None:
        self.contract = contract
        self.probe = probe
        self.report = report

    def request(
        self,
        operation_id: str,
        ids: tuple[str, ...],
        expected: frozenset[int],
        *,
        label: str = "",
        body: object = None,
    ) -> tuple[Check, Any]:
        method, template, path = _path(operation_id, *ids)
        check = Check(f"{operation_id}{label}", operation_id, method, template)
        response = self.probe.send(method, path, body)
        self.report.checks.append(check)
        instance = self.contract.check(check, response, expected)
        # Property names are the service's words: one might echo the API key.
        redact = self.probe._options.redact
        check.undocumented = [redact(where) for where in check.undocumented]
        return check, instance

    def skip(self, operation_id: str, label: str, reason: str) -> None:
        operation = OPERATIONS[operation_id]
        check = Check(f"{operation_id}{label}", operation_id, operation.method, operation.path)
        check.result, check.reason = "skipped", reason
        self.report.checks.append(check)


def _ids(items: Any) -> list[tuple[str, str]]:
    """(ID, name) of each item of a list answer that has a UUID ``id``."""
    if not isinstance(items, list):
        return []
    return [
        (item["id"].lower(), str(item.get("name", "")))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), str) and is_uuid_text(item["id"])
    ]


def _organizations(run: _Run, wanted: str | None, write: bool) -> list[str]:
    check, body = run.request("list_my_organizations", (), frozenset({200}))
    if check.status == 401:
        raise UsageError("authentication failed (check DFS_API_KEY): the service answered 401")
    listed = _ids(body)
    if wanted is not None:
        chosen = [i for i, name in listed if wanted.lower() == i or wanted == name]
        if not chosen:
            raise UsageError(
                f"organization {wanted[:100]!r} is not one of the API key's user's "
                f"{len(listed)} organizations (by ID or exact name)"
            )
        return chosen[:1]
    if write and len(listed) > 1:
        raise UsageError(
            f"--write needs --organization (or DFS_ORGANIZATION): the API key's user "
            f"belongs to {len(listed)} organizations"
        )
    if len(listed) > MAX_ORGANIZATIONS:
        run.report.notes.append(
            f"{len(listed) - MAX_ORGANIZATIONS} more organizations not checked (at most "
            f"{MAX_ORGANIZATIONS}; name one with --organization)"
        )
    return [i for i, _ in listed[:MAX_ORGANIZATIONS]]


def _read_checks(run: _Run, organization: str) -> str | None:
    """The organization's bucket secrets, orbits and each orbit with its secrets; a
    bucket secret ID for ``--write`` (None when the answers offered none)."""
    # Only owners and admins may list bucket secrets: 403 for a member is the contract.
    _, secrets = run.request("list_bucket_secrets", (organization,), frozenset({200, 403}))
    _, orbits = run.request("list_orbits", (organization,), frozenset({200}))
    listed = _ids(orbits)
    for orbit_id, _name in listed[:MAX_ORBITS]:
        run.request("get_orbit", (organization, orbit_id), frozenset({200}))
        run.request("list_orbit_secrets", (organization, orbit_id), frozenset({200}))
    if len(listed) > MAX_ORBITS:
        run.report.notes.append(
            f"{len(listed) - MAX_ORBITS} more orbits of organization {organization} not "
            f"fetched one by one (at most {MAX_ORBITS})"
        )
    for item in [*(orbits if isinstance(orbits, list) else []), *_ids(secrets)]:
        candidate = item.get("bucket_secret_id") if isinstance(item, dict) else item[0]
        if isinstance(candidate, str) and is_uuid_text(candidate):
            return candidate
    return None


def _error_checks(run: _Run, organization: str) -> None:
    unknown = str(uuid.uuid4())  # random: no orbit has it
    run.request("get_orbit", (organization, unknown), frozenset({404}), label=": unknown orbit")
    run.request(
        "get_orbit", (organization, MALFORMED_ID), frozenset({422}), label=": malformed orbit ID"
    )


@dataclass
class _Created:
    """What ``--write`` may have left on the service, for the cleanup."""

    organization: str
    names: tuple[str, str]
    pending: bool = False  # a create was sent, and its orbit is not known to be deleted
    orbit_id: str | None = None


def _write_checks(run: _Run, created: _Created, bucket_secret: str | None) -> None:
    labels = (
        ("create_orbit", ""),
        ("update_orbit", ""),
        ("get_orbit", ": the orbit created"),
        ("delete_orbit", ""),
        ("delete_orbit", ": the orbit just deleted"),
    )

    def skip_rest(start: int, reason: str) -> None:
        for operation_id, label in labels[start:]:
            run.skip(operation_id, label, reason)

    if bucket_secret is None:
        skip_rest(0, "no bucket secret to create an orbit with (no orbit or secret listed)")
        return
    organization, (name, new_name) = created.organization, created.names
    created.pending = True
    check, orbit = run.request(
        "create_orbit",
        (organization,),
        frozenset({200, 409}),  # 409: the organization is at its orbit limit
        body={"name": name, "bucket_secret_id": bucket_secret},
    )
    if check.status == 409 and check.result == "conforms":
        check.result = "skipped"
        check.reason = "the organization is at its orbit limit (409)"
        created.pending = False
        skip_rest(1, "no orbit could be created (409)")
        return
    orbit_id = orbit.get("id") if isinstance(orbit, dict) else None
    if check.status != 200 or not (isinstance(orbit_id, str) and is_uuid_text(orbit_id)):
        if check.status is not None and check.status >= 400:
            created.pending = False  # refused: nothing was stored
        skip_rest(1, "the create answered no orbit")
        return
    created.orbit_id = orbit_id = orbit_id.lower()
    ids = (organization, orbit_id)

    check, renamed = run.request("update_orbit", ids, frozenset({200}), body={"name": new_name})
    if isinstance(renamed, dict) and check.status == 200 and renamed.get("name") != new_name:
        check.depart("$.name", "the name the update sent")
    check, fetched = run.request("get_orbit", ids, frozenset({200}), label=labels[2][1])
    if isinstance(fetched, dict) and check.status == 200:
        if fetched.get("id") != orbit_id:
            check.depart("$.id", "the ID of the orbit asked for")
        elif fetched.get("name") != new_name:
            check.depart("$.name", "the name the update set")
    check, _ = run.request("delete_orbit", ids, frozenset({204}))
    if check.status == 204:
        created.pending = False
    # Today's service answers 404 for an orbit it does not have (it answered 204).
    run.request("delete_orbit", ids, frozenset({404}), label=labels[4][1])


def _clean_up(probe: _Probe, created: _Created) -> list[str]:
    """Delete what ``--write`` created and may not have deleted; what could not be."""
    if not created.pending:
        return []
    targets = {created.orbit_id} if created.orbit_id else set()
    left = []
    method, _, path = _path("list_orbits", created.organization)
    try:
        # A create interrupted before its answer arrived may have stored the orbit: its
        # unique name finds it (also renamed).
        listing = probe.send(method, path)
        if listing.status_code != 200:
            raise ValueError(f"the orbit list answered {listing.status_code}")
        for orbit_id, name in _ids(listing.json()):
            if name in created.names:
                targets.add(orbit_id)
    except Exception as error:  # the known orbit's delete is still worth trying
        left.append(
            f"any orbit named {created.names[0]} (or {created.names[1]}) in organization "
            f"{created.organization}: it could not be looked for ({type(error).__name__})"
        )
    for orbit_id in sorted(t for t in targets if t):
        method, _, path = _path("delete_orbit", created.organization, orbit_id)
        try:
            status = probe.send(method, path).status_code
        except Exception as error:
            left.append(f"orbit {orbit_id} ({created.names[0]}): {type(error).__name__}")
            continue
        if status not in (204, 404):
            left.append(f"orbit {orbit_id} ({created.names[0]}): DELETE answered {status}")
    return left


# --------------------------------------------------------------------------- entry point


class _Signals:
    """SIGINT and SIGTERM raise :class:`Interrupted` (so that ``finally`` cleans up);
    ``hold()`` ignores them while the cleanup runs. Only the main thread can do this."""

    _SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            for signum in self._SIGNALS:
                self._previous[signum] = signal.signal(signum, self._raise)
        return self

    @staticmethod
    def _raise(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    def hold(self) -> None:
        for signum in self._previous:
            signal.signal(signum, signal.SIG_IGN)

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def run(
    report: Report,
    *,
    base_url: str | None,
    api_key: str | None,
    organization: str | None,
    write: bool,
) -> None:
    """Check the service at ``base_url`` against the packaged spec, into ``report``.

    Raises :class:`UsageError` when there is nothing to check with these settings, the
    SDK's errors for an API key or connection problem, :class:`Interrupted` on SIGINT or
    SIGTERM — in every case after deleting what ``write`` created.
    """
    from dataforce.testing._spec import load_spec  # the `local` extra: PyYAML, jsonschema

    contract = _Contract(load_spec())
    wanted = organization or os.environ.get("DFS_ORGANIZATION") or None
    suffix = uuid.uuid4().hex[:12]
    names = (f"{NAME_PREFIX}{suffix}", f"{NAME_PREFIX}{suffix}-renamed")
    with _Signals() as signals, _Probe(base_url, api_key) as probe:
        created: _Created | None = None
        try:
            state = _Run(contract, probe, report)
            organizations = _organizations(state, wanted, write)
            bucket_secret = None
            for index, org in enumerate(organizations):
                found = _read_checks(state, org)
                bucket_secret = bucket_secret if index else found
            if organizations:
                _error_checks(state, organizations[0])
            else:
                report.notes.append("the API key's user belongs to no organization")
            if write and organizations:
                created = _Created(organizations[0], names)
                _write_checks(state, created, bucket_secret)
            elif write:
                for operation_id in ("create_orbit", "update_orbit", "delete_orbit"):
                    state.skip(operation_id, "", "no organization to write in")
        finally:
            if created is not None and created.pending:
                signals.hold()
                # A fresh connection pool: the interrupted request's may be mid-answer.
                with _Probe(base_url, api_key) as cleaner:
                    report.left_behind = _clean_up(cleaner, created)
