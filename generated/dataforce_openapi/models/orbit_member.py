"""OrbitMember: the spec's ``OrbitMember`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model, Timestamp, UUIDText
from .user_out import UserOut

__all__ = ["OrbitMember"]


class OrbitMember(Model, frozen=True, kw_only=True):
    """The spec's ``OrbitMember`` schema."""

    id: UUIDText
    orbit_id: UUIDText
    role: str
    user: UserOut
    created_at: Timestamp
    updated_at: Timestamp | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "orbit_id")
    _nested_fields: ClassVar[tuple[tuple[str, type[Model]], ...]] = (("user", UserOut),)
