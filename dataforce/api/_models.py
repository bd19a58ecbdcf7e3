"""The SDK's value objects and the parsing of response bodies into them.

``Orbit`` is our own class rather than the generated model, built for list-heavy code:
it keeps the object ``json.loads`` already made and reads fields from it, instead of
copying eight values into a new object (or, as the generated model does, parsing every
ID into ``uuid.UUID``). Required fields and their types are checked when the response
arrives, so a body that breaks the contract raises :class:`APIResponseValidationError`
at once, never ``KeyError``. Timestamps are decoded on first access and then kept: a
dashboard listing 10,000 orbits that shows only names never pays for 20,000 datetimes.
Parsing tolerates what the contract allows to change (extra fields, new ``role`` values).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Final, NoReturn

from ._exceptions import APIResponseValidationError

__all__ = ["Orbit"]

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
        return self._data["id"]  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return self._data["name"]  # type: ignore[no-any-return]

    @property
    def organization_id(self) -> str:
        return self._data["organization_id"]  # type: ignore[no-any-return]

    @property
    def bucket_secret_id(self) -> str:
        return self._data["bucket_secret_id"]  # type: ignore[no-any-return]

    @property
    def total_members(self) -> int | None:
        return self._data.get("total_members")

    @property
    def total_collections(self) -> int | None:
        return self._data.get("total_collections")

    @property
    def created_at(self) -> datetime:
        return _timestamp(self._data, "created_at")  # type: ignore[return-value]

    @property
    def updated_at(self) -> datetime | None:
        return _timestamp(self._data, "updated_at")

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


def _timestamp(data: dict[str, Any], field: str) -> datetime | None:
    """The field's datetime, decoding (and keeping) it on first access."""
    value = data.get(field)
    if type(value) is not str:
        return value  # already decoded, or None
    try:
        decoded = _fromisoformat(value)
    except ValueError:
        raise APIResponseValidationError(
            f"orbit {data.get('id')}: {field!r} is not an ISO 8601 timestamp: {value[:40]!r}",
            status_code=200,
            body=data,
        ) from None
    # The service always sends a zone (`Z`); a naive one is taken as UTC rather than
    # handing callers a datetime that cannot be compared with aware ones.
    if decoded.tzinfo is None:
        decoded = decoded.replace(tzinfo=UTC)
    data[field] = decoded
    return decoded


def _adopt(items: list[Any], status_code: int) -> list[Orbit]:
    """:class:`Orbit` objects over decoded JSON objects, checked against the contract.

    The objects are adopted, not copied: callers pass JSON they just decoded. The loop is
    written out, not a call per item, because it runs for every orbit of every list.
    """
    orbits: list[Orbit] = []
    append = orbits.append
    for item in items:
        try:
            if (
                type(item["id"]) is not str
                or type(item["name"]) is not str
                or type(item["organization_id"]) is not str
                or type(item["bucket_secret_id"]) is not str
                or type(item["created_at"]) is not str
            ):
                _invalid_orbit(item, status_code)
            members = item.get("total_members")
            collections = item.get("total_collections")
            updated = item.get("updated_at")
        except (KeyError, TypeError, AttributeError):
            _invalid_orbit(item, status_code)
        if (
            (members is not None and type(members) is not int)
            or (collections is not None and type(collections) is not int)
            or (updated is not None and type(updated) is not str)
        ):
            _invalid_orbit(item, status_code)
        orbit = _new(Orbit)
        _set(orbit, "_data", item)
        append(orbit)
    return orbits


def orbit_from_json(data: object, status_code: int = 200) -> Orbit:
    """An :class:`Orbit` over one decoded ``Orbit``/``OrbitDetails`` object."""
    return _adopt([data], status_code)[0]


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
