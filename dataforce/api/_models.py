"""The SDK's value objects and the parsing of response bodies into them.

``Orbit`` is our own class rather than the generated model: it is immutable, slotted (a
list of 10,000 orbits stays small) and built straight from the decoded JSON with one type
check per field, where the generated model would parse every ID into ``uuid.UUID`` and
copy the dict. Parsing is tolerant of what the contract allows to change (extra fields,
new ``role`` values) and strict about what it promises (required fields and their types):
a broken promise raises :class:`APIResponseValidationError`, never ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NoReturn

from ._exceptions import APIResponseValidationError

__all__ = ["Orbit"]

_new = object.__new__
_set = object.__setattr__
_fromisoformat = datetime.fromisoformat


# Declaration order: the repr follows it, as the reference documentation shows.
_FIELDS = (
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

    __slots__ = _FIELDS

    id: str
    name: str
    organization_id: str
    bucket_secret_id: str
    total_members: int | None
    total_collections: int | None
    created_at: datetime
    updated_at: datetime | None

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
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "organization_id", organization_id)
        _set(self, "bucket_secret_id", bucket_secret_id)
        _set(self, "total_members", total_members)
        _set(self, "total_collections", total_collections)
        _set(self, "created_at", created_at)
        _set(self, "updated_at", updated_at)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Orbit is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Orbit is immutable: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, field) for field in _FIELDS)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Orbit:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={_show(value)}" for name, value in self._items())
        return f"Orbit({fields})"

    def _items(self) -> Iterator[tuple[str, Any]]:
        for field in _FIELDS:
            yield field, getattr(self, field)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._values(),))


def _rebuild(values: tuple[Any, ...]) -> Orbit:
    return Orbit(**dict(zip(_FIELDS, values, strict=True)))


def _show(value: object) -> str:
    # The reference documentation shows timestamps as the service sends them.
    if isinstance(value, datetime):
        text = value.isoformat()
        return repr(text[:-6] + "Z" if text.endswith("+00:00") else text)
    return repr(value)


def _timestamp(text: str) -> datetime:
    value = _fromisoformat(text)
    # The service always sends a zone (`Z`); a naive one is taken as UTC rather than
    # handing callers a datetime that cannot be compared with aware ones.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def orbit_from_json(data: object, status_code: int = 200) -> Orbit:
    """Build an :class:`Orbit` from one decoded ``Orbit``/``OrbitDetails`` object."""
    try:
        id_ = data["id"]  # type: ignore[index]
        name = data["name"]  # type: ignore[index]
        organization_id = data["organization_id"]  # type: ignore[index]
        bucket_secret_id = data["bucket_secret_id"]  # type: ignore[index]
        created_at = data["created_at"]  # type: ignore[index]
        get = data.get  # type: ignore[attr-defined]
    except (KeyError, TypeError, AttributeError):
        return _invalid_orbit(data, status_code)
    total_members = get("total_members")
    total_collections = get("total_collections")
    updated_at = get("updated_at")
    if (
        type(id_) is not str
        or type(name) is not str
        or type(organization_id) is not str
        or type(bucket_secret_id) is not str
        or type(created_at) is not str
        or (total_members is not None and type(total_members) is not int)
        or (total_collections is not None and type(total_collections) is not int)
        or (updated_at is not None and type(updated_at) is not str)
    ):
        return _invalid_orbit(data, status_code)
    try:
        created = _timestamp(created_at)
        updated = None if updated_at is None else _timestamp(updated_at)
    except ValueError:
        return _invalid_orbit(data, status_code)
    orbit = _new(Orbit)
    _set(orbit, "id", id_)
    _set(orbit, "name", name)
    _set(orbit, "organization_id", organization_id)
    _set(orbit, "bucket_secret_id", bucket_secret_id)
    _set(orbit, "total_members", total_members)
    _set(orbit, "total_collections", total_collections)
    _set(orbit, "created_at", created)
    _set(orbit, "updated_at", updated)
    return orbit


def orbits_from_json(data: object, status_code: int = 200) -> list[Orbit]:
    if type(data) is not list:
        raise APIResponseValidationError(
            f"expected a JSON array of orbits, got {_json_type(data)}",
            status_code=status_code,
            body=data,
        )
    return [orbit_from_json(item, status_code) for item in data]


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
        try:
            item_name = item["name"]
        except (KeyError, TypeError):
            _invalid_orbit(item, status_code)
        if type(item_name) is not str:
            _invalid_orbit(item, status_code)
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
            if type(id_) is not str or type(name) is not str:
                break
            pairs.append((id_, name))
        else:
            return pairs
    raise APIResponseValidationError(
        f"expected a JSON array of {what} with string id and name",
        status_code=status_code,
        body=data,
    )


def _invalid_orbit(data: object, status_code: int) -> NoReturn:
    if type(data) is not dict:
        problem = f"expected an orbit object, got {_json_type(data)}"
    else:
        problem = "orbit object breaks the contract: " + "; ".join(_orbit_problems(data))
    raise APIResponseValidationError(problem, status_code=status_code, body=data)


def _orbit_problems(data: dict[str, Any]) -> Iterator[str]:
    for field in ("id", "name", "organization_id", "bucket_secret_id", "created_at"):
        if field not in data:
            yield f"missing required field {field!r}"
        elif type(data[field]) is not str:
            yield f"{field!r} should be a string, got {_json_type(data[field])}"
    for field in ("total_members", "total_collections"):
        value = data.get(field)
        if value is not None and type(value) is not int:
            yield f"{field!r} should be an integer or null, got {_json_type(value)}"
    updated = data.get("updated_at")
    if updated is not None and type(updated) is not str:
        yield f"'updated_at' should be a string or null, got {_json_type(updated)}"
    for field in ("created_at", "updated_at"):
        value = data.get(field)
        if type(value) is str:
            try:
                _fromisoformat(value)
            except ValueError:
                yield f"{field!r} is not an ISO 8601 timestamp: {value[:40]!r}"


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
