"""OrbitSecretOut: the spec's ``OrbitSecretOut`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model, Timestamp, UUIDText

__all__ = ["OrbitSecretOut"]


class OrbitSecretOut(Model, frozen=True, kw_only=True):
    """The spec's ``OrbitSecretOut`` schema."""

    id: UUIDText
    name: str
    value: str
    orbit_id: UUIDText
    tags: tuple[str, ...] | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "orbit_id")
    _secret_fields: ClassVar[tuple[str, ...]] = ("value",)
