"""The models of every schema of the spec, imported on first access.

Written by ``make generate`` from scripts/templates/models_init.py.jinja; never edited.
A program pays only for the models it uses (``from dataforce_openapi.models import
Orbit`` loads that model and those it holds).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bucket_secret_out import BucketSecretOut
    from .error_detail import ErrorDetail
    from .http_validation_error import HTTPValidationError
    from .orbit import Orbit
    from .orbit_create_in import OrbitCreateIn
    from .orbit_details import OrbitDetails
    from .orbit_details_permissions_type_0 import OrbitDetailsPermissionsType0
    from .orbit_member import OrbitMember
    from .orbit_member_create_simple import OrbitMemberCreateSimple
    from .orbit_member_create_simple_role import OrbitMemberCreateSimpleRole
    from .orbit_permissions_type_0 import OrbitPermissionsType0
    from .orbit_secret_out import OrbitSecretOut
    from .orbit_update import OrbitUpdate
    from .organization_switcher import OrganizationSwitcher
    from .organization_switcher_permissions_type_0 import (
        OrganizationSwitcherPermissionsType0,
    )
    from .user_out import UserOut
    from .validation_error import ValidationError
    from .validation_error_ctx import ValidationErrorCtx

_MODULES = {
    "BucketSecretOut": ".bucket_secret_out",
    "ErrorDetail": ".error_detail",
    "HTTPValidationError": ".http_validation_error",
    "Orbit": ".orbit",
    "OrbitCreateIn": ".orbit_create_in",
    "OrbitDetails": ".orbit_details",
    "OrbitDetailsPermissionsType0": ".orbit_details_permissions_type_0",
    "OrbitMember": ".orbit_member",
    "OrbitMemberCreateSimple": ".orbit_member_create_simple",
    "OrbitMemberCreateSimpleRole": ".orbit_member_create_simple_role",
    "OrbitPermissionsType0": ".orbit_permissions_type_0",
    "OrbitSecretOut": ".orbit_secret_out",
    "OrbitUpdate": ".orbit_update",
    "OrganizationSwitcher": ".organization_switcher",
    "OrganizationSwitcherPermissionsType0": ".organization_switcher_permissions_type_0",
    "UserOut": ".user_out",
    "ValidationError": ".validation_error",
    "ValidationErrorCtx": ".validation_error_ctx",
}

__all__ = [
    "BucketSecretOut",
    "ErrorDetail",
    "HTTPValidationError",
    "Orbit",
    "OrbitCreateIn",
    "OrbitDetails",
    "OrbitDetailsPermissionsType0",
    "OrbitMember",
    "OrbitMemberCreateSimple",
    "OrbitMemberCreateSimpleRole",
    "OrbitPermissionsType0",
    "OrbitSecretOut",
    "OrbitUpdate",
    "OrganizationSwitcher",
    "OrganizationSwitcherPermissionsType0",
    "UserOut",
    "ValidationError",
    "ValidationErrorCtx",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
