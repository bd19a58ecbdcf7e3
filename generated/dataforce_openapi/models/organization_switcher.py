"""OrganizationSwitcher: the spec's ``OrganizationSwitcher`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Model, Timestamp, UUIDText

__all__ = ["OrganizationSwitcher"]


class OrganizationSwitcher(Model, frozen=True, kw_only=True):
    """The spec's ``OrganizationSwitcher`` schema."""

    id: UUIDText
    name: str
    logo: str | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None
    role: str | None = None
    permissions: dict[str, Any] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id",)
