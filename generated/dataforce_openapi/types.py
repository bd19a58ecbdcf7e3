"""What the generated models, endpoints and operation table share.

Written by ``make generate`` from scripts/templates/types.py.jinja; never edited.

Models are msgspec structs: decoded straight from a response's bytes by a decoder compiled
for the expected type, every field checked against the spec on the way (in C), immutable
and hashable. They are created with ``gc=False``: they hold only strings, numbers,
datetimes and the JSON containers of a response, which cannot point back at them, so the
cyclic garbage collector need not track thousands of them. Fields the spec does not
document are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from datetime import datetime
from http import HTTPStatus
from typing import (
    IO,
    Annotated,
    Any,
    BinaryIO,
    ClassVar,
    Final,
    Generic,
    Literal,
    Self,
    TypeVar,
    cast,
)

import msgspec

__all__ = [
    "HIDDEN",
    "UNSET",
    "File",
    "FileTypes",
    "Model",
    "Operation",
    "RequestField",
    "RequestFiles",
    "Response",
    "Timestamp",
    "UUIDText",
    "Unset",
]

#: ``format: uuid`` — the text form, as the service sends it (36 characters; the facade
#: checks the digits). ``uuid.UUID`` objects would double the cost of decoding a list.
UUIDText = Annotated[str, msgspec.Meta(min_length=36, max_length=36)]
#: ``format: date-time`` — RFC 3339, with a timezone.
Timestamp = Annotated[datetime, msgspec.Meta(tz=True)]

M = TypeVar("M", bound="Model")


class Model(msgspec.Struct, frozen=True, gc=False, kw_only=True):
    """Base of the models: immutable, hashable, comparable, picklable.

    ``to_dict()`` gives the JSON-compatible form (timestamps as RFC 3339 strings, as the
    service sends them; arrays as lists); ``from_dict()`` checks and converts one. The
    repr shows every attribute, timestamps as those strings too, except the value of a
    ``format: password`` property: a model is as likely to be logged or printed in a
    traceback as the API key, so its repr shows ``'[hidden]'`` (the attribute and
    ``to_dict()`` hold the value; ``to_dict(hide_secrets=True)`` is the form to print).
    """

    #: The attributes holding ``format: uuid`` text.
    _uuid_fields: ClassVar[tuple[str, ...]] = ()
    #: ``(attribute, model)`` of the attributes holding models, or arrays of them.
    _nested_fields: ClassVar[tuple[tuple[str, type[Model]], ...]] = ()
    #: The attributes holding ``format: password`` text: never shown by repr.
    _secret_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        return msgspec.convert(src_dict, cls)

    def to_dict(self, *, hide_secrets: bool = False) -> dict[str, Any]:
        """The model as JSON-compatible values, keyed by the spec's property names.

        ``hide_secrets``: each ``format: password`` value, here or in a model this one
        holds, replaced by ``"[hidden]"`` as in the repr: the form to print or log.
        """
        data = cast("dict[str, Any]", msgspec.to_builtins(self))
        if hide_secrets:
            _hide(self, data)
        return data

    def __repr__(self) -> str:
        hidden = self._secret_fields
        shown = ", ".join(
            f"{name}={_HIDDEN_REPR if name in hidden else _show(getattr(self, name))}"
            for name in self.__struct_fields__
        )
        return f"{type(self).__name__}({shown})"

    def __hash__(self) -> int:
        # msgspec's own hash fails on a dict or list attribute (``permissions``).
        return hash((type(self), *map(_hashable, msgspec.structs.astuple(self))))


#: What is shown for a ``format: password`` value.
HIDDEN: Final = "[hidden]"
_HIDDEN_REPR: Final = repr(HIDDEN)


def _hide(model: Model, data: dict[str, Any]) -> None:
    """Replace the secrets of ``model`` (and of the models it holds) in ``data``, its
    ``to_builtins`` form."""
    secret, nested = model._secret_fields, dict(model._nested_fields)
    if not secret and not nested:
        return
    for field in msgspec.structs.fields(model):
        key = field.encode_name
        if key not in data:
            continue
        if field.name in secret:
            data[key] = HIDDEN
        elif field.name in nested:
            value = getattr(model, field.name)
            held = value if isinstance(value, list | tuple) else [value]
            shown = data[key] if isinstance(value, list | tuple) else [data[key]]
            for item, form in zip(held, shown, strict=True):
                if isinstance(item, Model):
                    _hide(item, form)


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return repr(msgspec.to_builtins(value))
    return repr(value)


def _hashable(value: object) -> object:
    if isinstance(value, dict):
        return frozenset((key, _hashable(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    return value


class Operation(msgspec.Struct, frozen=True):
    """One operation of the spec, as ``api.OPERATIONS`` lists it.

    ``template`` is the path with its parameters numbered (``{0}``, ``{1}``), in the order
    of ``params``; ``retry`` the retry class its method gives: ``read`` (GET, HEAD,
    OPTIONS), ``idempotent`` (PUT, DELETE) or ``unsafe`` (POST, PATCH).
    """

    operation_id: str
    method: str
    path: str
    template: str
    params: tuple[str, ...]
    retry: str
    request: str | None
    response: str | None
    many: bool
    success: int
    statuses: tuple[int, ...]


class RequestField(msgspec.Struct, frozen=True, kw_only=True):
    """One property of a request body schema, with the constraints the spec states."""

    name: str
    type: str
    format: str | None = None
    required: bool = False
    nullable: bool = False
    enum: tuple[Any, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    items: str | None = None
    has_default: bool = False
    default: Any = None


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


class File:
    """Contains information for file uploads."""

    def __init__(
        self,
        payload: BinaryIO,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> None:
        self.payload = payload
        self.file_name = file_name
        self.mime_type = mime_type

    def to_tuple(self) -> FileTypes:
        """A tuple httpx accepts for multipart/form-data."""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


class Response(Generic[T]):
    """A response from an endpoint: its status, body, headers and parsed value."""

    __slots__ = ("content", "headers", "parsed", "status_code")

    def __init__(
        self,
        *,
        status_code: HTTPStatus,
        content: bytes,
        headers: MutableMapping[str, str],
        parsed: T | None,
    ) -> None:
        self.status_code = status_code
        self.content = content
        self.headers = headers
        self.parsed = parsed

    def __repr__(self) -> str:
        return f"Response(status_code={self.status_code!r}, parsed={self.parsed!r})"
