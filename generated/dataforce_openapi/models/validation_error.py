"""ValidationError: the spec's ``ValidationError`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec

from ..types import Model

__all__ = ["ValidationError"]


class ValidationError(Model, frozen=True, kw_only=True):
    """The spec's ``ValidationError`` schema."""

    type_: str = msgspec.field(name="type")
    loc: tuple[str | int, ...]
    msg: str
    input_: Any = msgspec.field(default=None, name="input")
    ctx: dict[str, Any] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ()
