"""BucketSecretOut: the spec's ``BucketSecretOut`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model, Timestamp, UUIDText

__all__ = ["BucketSecretOut"]


class BucketSecretOut(Model, frozen=True, kw_only=True):
    """The spec's ``BucketSecretOut`` schema."""

    id: UUIDText
    endpoint: str
    bucket_name: str
    secure: bool | None = None
    region: str | None = None
    cert_check: bool | None = None
    organization_id: UUIDText
    created_at: Timestamp
    updated_at: Timestamp | None = None
    _uuid_fields: ClassVar[tuple[str, ...]] = ("id", "organization_id")
