"""UserOut: the spec's ``UserOut`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model, UUIDText

__all__ = ["UserOut"]


class UserOut(Model, frozen=True, kw_only=True):
    """The spec's ``UserOut`` schema."""

    id: UUIDText
    email: str
    full_name: str | None = None
    disabled: bool | None = None
    photo: str | None = None
    has_api_key: bool = False
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id",)
