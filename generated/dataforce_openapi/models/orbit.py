"""Orbit: the spec's ``Orbit`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Model, Timestamp, UUIDText

__all__ = ["Orbit"]


class Orbit(Model, frozen=True, kw_only=True):
    """The spec's ``Orbit`` schema."""

    id: UUIDText
    name: str
    organization_id: UUIDText
    bucket_secret_id: UUIDText
    total_members: int | None = None
    total_collections: int | None = None
    total_satellites: int | None = None
    total_artifacts: int | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None
    role: str | None = None
    permissions: dict[str, Any] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = (
        "id",
        "organization_id",
        "bucket_secret_id",
    )
