"""The SDK's value objects and the parsing of response bodies into them.

``Orbit`` is our own class rather than the generated model, built for list-heavy code:
it keeps the object ``json.loads`` already made and reads its fields from it, instead of
copying eight values into a new object (or, as the generated model does, parsing every
ID into ``uuid.UUID``). Listing 10,000 orbits costs one small object per orbit.

Every field is checked against the contract when it is read, and a field that breaks it
raises :class:`APIResponseValidationError` (never ``KeyError`` or a wrong type): one
malformed orbit in a list of 10,000 spoils only itself, and a dashboard that shows only
names never pays for checking, or decoding, 20,000 timestamps. A single orbit (get,
create, update) is checked in full as soon as it arrives. Timestamps are decoded once,
on first access. What the contract allows to change (extra fields, new ``role`` values)
is tolerated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final, NoReturn

import httpx

from ._exceptions import APIResponseValidationError
from ._validation import is_uuid_text

__all__ = ["Orbit"]


def json_body(response: httpx.Response) -> Any:
    """The decoded JSON of a 2xx response (``None`` for an empty body)."""
    content = response.content
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        request = response.request
        raise APIResponseValidationError(
            f"{request.method} {request.url.path} answered {response.status_code} with a body "
            f"that is not valid JSON ({len(content)} bytes, "
            f"content-type {response.headers.get('content-type', 'none')!r})",
            status_code=response.status_code,
            body=response.text,
        ) from None


_new = object.__new__
_set = object.__setattr__
_fromisoformat = datetime.fromisoformat

# Declaration order: the repr follows it, as the reference documentation shows.
_FIELDS: Final = (
    "id",
    "name",
    "organization_id",
    "bucket_secret_id",
    "total_members",
    "total_collections",
    "created_at",
    "updated_at",
)


class Orbit:
    """An orbit of an organization, as the service last described it.

    Immutable and hashable; equality compares every field. ``created_at`` and
    ``updated_at`` are timezone-aware datetimes (``updated_at`` is ``None`` for an orbit
    never updated); the counts are ``None`` when the service does not report them.
    """

    # The orbit's JSON object, owned by this instance. The only change it ever sees is a
    # timestamp string replaced by its decoded datetime, on first access.
    __slots__ = ("_data",)

    _data: dict[str, Any]

    def __init__(
        self,
        *,
        id: str,
        name: str,
        organization_id: str,
        bucket_secret_id: str,
        total_members: int | None = None,
        total_collections: int | None = None,
        created_at: datetime,
        updated_at: datetime | None = None,
    ) -> None:
        data = {
            "id": id,
            "name": name,
            "organization_id": organization_id,
            "bucket_secret_id": bucket_secret_id,
            "total_members": total_members,
            "total_collections": total_collections,
            "created_at": created_at,
            "updated_at": updated_at,
        }
        _set(self, "_data", data)

    @property
    def id(self) -> str:
        return _text(self._data, "id")

    @property
    def name(self) -> str:
        return _text(self._data, "name")

    @property
    def organization_id(self) -> str:
        return _text(self._data, "organization_id")

    @property
    def bucket_secret_id(self) -> str:
        return _text(self._data, "bucket_secret_id")

    @property
    def total_members(self) -> int | None:
        return _count(self._data, "total_members")

    @property
    def total_collections(self) -> int | None:
        return _count(self._data, "total_collections")

    @property
    def created_at(self) -> datetime:
        value = _timestamp(self._data, "created_at")
        if value is None:
            _broken(self._data, "created_at", "an ISO 8601 timestamp")
        return value

    @property
    def updated_at(self) -> datetime | None:
        return _timestamp(self._data, "updated_at")

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Orbit is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Orbit is immutable: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        """Every field, checked (raises for a field that breaks the contract)."""
        return tuple(getattr(self, field) for field in _FIELDS)

    def _shown_values(self) -> tuple[Any, ...]:
        """Every field, as checked when valid and as received when not: equality, hashing
        and repr must work for an orbit whose fields break the contract too."""
        values = []
        for field in _FIELDS:
            try:
                values.append(getattr(self, field))
            except APIResponseValidationError:
                values.append(_Invalid(self._data.get(field, _MISSING)))
        return tuple(values)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Orbit:
            return NotImplemented
        return self._shown_values() == other._shown_values()

    def __hash__(self) -> int:
        return hash(self._shown_values())

    def __repr__(self) -> str:
        shown = zip(_FIELDS, self._shown_values(), strict=True)
        return "Orbit(" + ", ".join(f"{name}={_show(value)}" for name, value in shown) + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle, (self._data,))


class _Invalid:
    """A field value that breaks the contract, as shown in a repr."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"<invalid: {self.value!r}>"

    def __eq__(self, other: object) -> bool:
        return type(other) is _Invalid and self.value == other.value

    def __hash__(self) -> int:
        return hash(repr(self.value))


class _Missing:
    def __repr__(self) -> str:
        return "missing"


_MISSING: Final = _Missing()


def _unpickle(data: dict[str, Any]) -> Orbit:
    orbit = _new(Orbit)
    _set(orbit, "_data", data)
    return orbit


def _show(value: object) -> str:
    # The reference documentation shows timestamps as the service sends them.
    if isinstance(value, datetime):
        text = value.isoformat()
        return repr(text[:-6] + "Z" if text.endswith("+00:00") else text)
    return repr(value)


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    if type(value) is not str:
        _broken(data, field, "a string")
    return value


def _count(data: dict[str, Any], field: str) -> int | None:
    value = data.get(field)
    if value is not None and type(value) is not int:
        _broken(data, field, "an integer or null")
    return value


def _timestamp(data: dict[str, Any], field: str) -> datetime | None:
    """The field's datetime (or None), decoding and keeping it on first access."""
    value = data.get(field)
    if type(value) is not str:
        if value is None or type(value) is datetime:
            return value
        _broken(data, field, "an ISO 8601 timestamp")
    try:
        decoded = _fromisoformat(value)
    except ValueError:
        _broken(data, field, "an ISO 8601 timestamp")
    # The service always sends a zone (`Z`); a naive one is taken as UTC rather than
    # handing callers a datetime that cannot be compared with aware ones.
    if decoded.tzinfo is None:
        decoded = decoded.replace(tzinfo=UTC)
    data[field] = decoded
    return decoded


def _broken(data: dict[str, Any], field: str, expected: str) -> NoReturn:
    if field in data:
        shown = data[field]
        got = repr(shown[:40]) if type(shown) is str else _json_type(shown)
        problem = f"{field!r} should be {expected}, got {got}"
    else:
        problem = f"missing required field {field!r}"
    orbit_id = data.get("id")
    where = f"orbit {orbit_id}" if type(orbit_id) is str else "orbit"
    raise APIResponseValidationError(f"{where}: {problem}", status_code=200, body=data)


def _adopt(items: list[Any], status_code: int) -> list[Orbit]:
    """:class:`Orbit` objects over decoded JSON objects, adopted rather than copied
    (callers pass JSON they just decoded). Fields are checked when read."""
    orbits: list[Orbit] = []
    append = orbits.append
    for item in items:
        if type(item) is not dict:
            raise APIResponseValidationError(
                f"expected an orbit object, got {_json_type(item)}",
                status_code=status_code,
                body=item,
            )
        orbit = _new(Orbit)
        _set(orbit, "_data", item)
        append(orbit)
    return orbits


def orbit_from_json(data: object, status_code: int = 200) -> Orbit:
    """An :class:`Orbit` over one decoded ``Orbit``/``OrbitDetails`` object, checked in
    full now: a single orbit costs little to check, and errors are clearer at once."""
    orbit = _adopt([data], status_code)[0]
    orbit._values()
    return orbit


def orbits_from_json(data: object, status_code: int = 200) -> list[Orbit]:
    if type(data) is not list:
        raise APIResponseValidationError(
            f"expected a JSON array of orbits, got {_json_type(data)}",
            status_code=status_code,
            body=data,
        )
    return _adopt(data, status_code)


def orbits_named(data: object, name: str, status_code: int = 200) -> list[Orbit]:
    """The orbits of a decoded list whose name is exactly ``name``.

    Only the matches become :class:`Orbit` objects: a lookup among 1,000 orbits need not
    build 1,000 of them. The other entries are checked only for what the lookup reads.
    """
    if type(data) is not list:
        raise APIResponseValidationError(
            f"expected a JSON array of orbits, got {_json_type(data)}",
            status_code=status_code,
            body=data,
        )
    matches = []
    for item in data:
        if type(item) is not dict:
            _adopt([item], status_code)  # raises: not an orbit object
        item_name = item.get("name")
        if type(item_name) is not str:
            _text(item, "name")  # raises, naming the problem
        if item_name == name:
            matches.append(orbit_from_json(item, status_code))
    return matches


def id_name_pairs(data: object, what: str, status_code: int = 200) -> list[tuple[str, str]]:
    """``(id, name)`` of each object of a decoded list (organizations, orbits)."""
    if type(data) is list:
        pairs = []
        for item in data:
            if type(item) is not dict:
                break
            id_, name = item.get("id"), item.get("name")
            # These IDs go into request paths: they must be UUIDs, as the contract says.
            if type(id_) is not str or not is_uuid_text(id_) or type(name) is not str:
                break
            pairs.append((id_.lower(), name))
        else:
            return pairs
    raise APIResponseValidationError(
        f"expected a JSON array of {what}, each with a UUID id and a string name",
        status_code=status_code,
        body=data,
    )


def _json_type(value: object) -> str:
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)
