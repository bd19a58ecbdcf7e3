"""The facade's view of the generated package: its response models, operations, fields.

Everything here is compiled from openapi.yaml by openapi-python-client into
``dataforce_openapi`` (``make generate``, scripts/templates/): one model per schema, the
operation table, the request fields. This module only names what the facade uses, so
that the rest of ``dataforce.api`` imports it from one place: the models the operations
answer with, and those they hold (the drift test checks the list is complete).
"""

from __future__ import annotations

from dataforce_openapi.api import OPERATIONS, REQUEST_FIELDS
from dataforce_openapi.models.bucket_secret_out import BucketSecretOut
from dataforce_openapi.models.orbit import Orbit
from dataforce_openapi.models.orbit_details import OrbitDetails
from dataforce_openapi.models.orbit_member import OrbitMember
from dataforce_openapi.models.orbit_secret_out import OrbitSecretOut
from dataforce_openapi.models.organization_switcher import OrganizationSwitcher
from dataforce_openapi.models.user_out import UserOut

__all__ = [
    "OPERATIONS",
    "REQUEST_FIELDS",
    "BucketSecretOut",
    "Orbit",
    "OrbitDetails",
    "OrbitMember",
    "OrbitSecretOut",
    "OrganizationSwitcher",
    "UserOut",
]

#: The response models, by name.
MODELS = {
    model.__name__: model
    for model in (
        BucketSecretOut,
        Orbit,
        OrbitDetails,
        OrbitMember,
        OrbitSecretOut,
        OrganizationSwitcher,
        UserOut,
    )
}
