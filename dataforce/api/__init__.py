"""The DataForce SDK's public API.

    from dataforce.api import DataForceClient

    with DataForceClient(organization="My Organization", orbit="Default Orbit") as dfs:
        print(dfs.orbits.list())

The async client is imported on first access, so synchronous programs never load it.
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
from ._response import RawResponse, RequestSummary
from ._schema import (
    BucketSecretOut,
    Orbit,
    OrbitDetails,
    OrbitMember,
    OrganizationSwitcher,
    UserOut,
)
from .resources.orbits import OrbitMemberCreate

if TYPE_CHECKING:
    from ._async_client import AsyncDataForceClient

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


def __getattr__(name: str) -> Any:
    if name == "AsyncDataForceClient":
        from ._async_client import AsyncDataForceClient

        return AsyncDataForceClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
