"""OrbitUpdate: the spec's ``OrbitUpdate`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model, UUIDText

__all__ = ["OrbitUpdate"]


class OrbitUpdate(Model, frozen=True, kw_only=True):
    """Fields to change; absent fields stay as they are. Neither may be null (the
    service answers 500 for a null name, 404 for a null bucket secret)."""

    name: str | None = None
    bucket_secret_id: UUIDText | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("bucket_secret_id",)
