"""OrbitDetailsPermissionsType0: the spec's ``OrbitDetailsPermissionsType0`` schema.

Written by ``make generate`` from scripts/templates/model.py.jinja; never edited.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OrbitDetailsPermissionsType0"]


class OrbitDetailsPermissionsType0(dict[str, Any]):
    """An object with any properties: the models hold it as a plain ``dict``."""

    @classmethod
    def from_dict(cls, src_dict: dict[str, Any]) -> OrbitDetailsPermissionsType0:
        return cls(src_dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self)
