"""OrbitMemberCreateSimple: the spec's ``OrbitMemberCreateSimple`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from ..types import Model, UUIDText

__all__ = ["OrbitMemberCreateSimple"]


class OrbitMemberCreateSimple(Model, frozen=True, kw_only=True):
    """The spec's ``OrbitMemberCreateSimple`` schema."""

    user_id: UUIDText
    role: Literal["admin", "member"]
    _uuid_fields: ClassVar[tuple[str, ...]] = ("user_id",)
