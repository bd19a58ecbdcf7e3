"""OrbitDetails: the spec's ``OrbitDetails`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model
from .orbit import Orbit
from .orbit_member import OrbitMember

__all__ = ["OrbitDetails"]


class OrbitDetails(Orbit, frozen=True, kw_only=True):
    """An orbit with its members; may carry more fields than `Orbit`."""

    members: tuple[OrbitMember, ...] | None = None
    collections_tags: tuple[str, ...] | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = (
        "id",
        "organization_id",
        "bucket_secret_id",
    )
    _nested_fields: ClassVar[tuple[tuple[str, type[Model]], ...]] = (
        ("members", OrbitMember),
    )
