"""HTTPValidationError: the spec's ``HTTPValidationError`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import ClassVar

from ..types import Model
from .validation_error import ValidationError

__all__ = ["HTTPValidationError"]


class HTTPValidationError(Model, frozen=True, kw_only=True):
    """The spec's ``HTTPValidationError`` schema."""

    detail: tuple[ValidationError, ...]
    _uuid_fields: ClassVar[tuple[str, ...]] = ()
    _nested_fields: ClassVar[tuple[tuple[str, type[Model]], ...]] = (
        ("detail", ValidationError),
    )
