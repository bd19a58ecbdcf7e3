"""OrbitCreateIn: the spec's ``OrbitCreateIn`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model, UUIDText
from .orbit_member_create_simple import OrbitMemberCreateSimple

__all__ = ["OrbitCreateIn"]


class OrbitCreateIn(Model, frozen=True, kw_only=True):
    """The spec's ``OrbitCreateIn`` schema."""

    name: str
    bucket_secret_id: UUIDText
    members: tuple[OrbitMemberCreateSimple, ...] | None = None
    notify: bool = False
    _uuid_fields: ClassVar[tuple[str, ...]] = ("bucket_secret_id",)
    _nested_fields: ClassVar[tuple[tuple[str, type[Model]], ...]] = (
        ("members", OrbitMemberCreateSimple),
    )
