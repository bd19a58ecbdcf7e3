"""ErrorDetail: the spec's ``ErrorDetail`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model

__all__ = ["ErrorDetail"]


class ErrorDetail(Model, frozen=True, kw_only=True):
    """The spec's ``ErrorDetail`` schema."""

    detail: str
    _uuid_fields: ClassVar[tuple[str, ...]] = ()
