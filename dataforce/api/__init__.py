"""The DataForce SDK's public API.

    from dataforce.api import DataForceClient

    with DataForceClient(organization="My Organization", orbit="Default Orbit") as dfs:
        print(dfs.orbits.list())

The async client, raw responses and the resources are imported on first access, so a
program loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._client import DataForceClient
from ._exceptions import (
    APIConnectionError,
    APIResponseTooLargeError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DataForceAPIError,
    DefaultOrbitDeletionError,
    EndpointNotFoundError,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    MultipleResourcesFoundError,
    NotFoundError,
    OrbitResourceNotFoundError,
    OrganizationResourceNotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResourceNotFoundError,
    UnprocessableEntityError,
)

if TYPE_CHECKING:
    from ._async_client import AsyncDataForceClient
    from ._response import RawResponse, RequestSummary
    from ._schema import (
        BucketSecretOut,
        Orbit,
        OrbitDetails,
        OrbitMember,
        OrbitSecretOut,
        OrganizationSwitcher,
        UserOut,
    )
    from .resources.orbits import OrbitMemberCreate

__all__ = [
    "APIConnectionError",
    "APIResponseTooLargeError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncDataForceClient",
    "AuthenticationError",
    "BadRequestError",
    "BucketSecretOut",
    "ConfigurationError",
    "ConflictError",
    "DataForceAPIError",
    "DataForceClient",
    "DefaultOrbitDeletionError",
    "EndpointNotFoundError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "MultipleResourcesFoundError",
    "NotFoundError",
    "Orbit",
    "OrbitDetails",
    "OrbitMember",
    "OrbitMemberCreate",
    "OrbitResourceNotFoundError",
    "OrbitSecretOut",
    "OrganizationResourceNotFoundError",
    "OrganizationSwitcher",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RequestSummary",
    "ResourceNotFoundError",
    "UnprocessableEntityError",
    "UserOut",
]


# Imported on first access: a program pays for what it uses (the async client, raw
# responses, the resources' argument types) only when it uses it.
_LAZY = {
    # The models: msgspec and the generated package load with the first of them (or the
    # first call), not with `import dataforce.api`.
    "BucketSecretOut": "._schema",
    "Orbit": "._schema",
    "OrbitDetails": "._schema",
    "OrbitMember": "._schema",
    "OrbitSecretOut": "._schema",
    "OrganizationSwitcher": "._schema",
    "UserOut": "._schema",
    "AsyncDataForceClient": "._async_client",
    "OrbitMemberCreate": ".resources.orbits",
    "RawResponse": "._response",
    "RequestSummary": "._response",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module, __name__), name)
