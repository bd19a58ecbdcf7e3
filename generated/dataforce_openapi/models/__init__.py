"""Contains all the data models used in inputs/outputs"""

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
from .orbit_update import OrbitUpdate
from .organization_switcher import OrganizationSwitcher
from .organization_switcher_permissions_type_0 import (
    OrganizationSwitcherPermissionsType0,
)
from .user_out import UserOut
from .validation_error import ValidationError
from .validation_error_ctx import ValidationErrorCtx

__all__ = (
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
    "OrbitUpdate",
    "OrganizationSwitcher",
    "OrganizationSwitcherPermissionsType0",
    "UserOut",
    "ValidationError",
    "ValidationErrorCtx",
)
