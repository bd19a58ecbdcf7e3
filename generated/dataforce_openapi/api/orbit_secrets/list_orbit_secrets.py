from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_detail import ErrorDetail
from ...models.http_validation_error import HTTPValidationError
from ...models.orbit_secret_out import OrbitSecretOut
from ...types import Response


def _get_kwargs(
    organization_id: UUID,
    orbit_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/organizations/{organization_id}/orbits/{orbit_id}/secrets".format(
            organization_id=quote(str(organization_id), safe=""),
            orbit_id=quote(str(orbit_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | HTTPValidationError | list[OrbitSecretOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = OrbitSecretOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = ErrorDetail.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorDetail.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorDetail.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorDetail | HTTPValidationError | list[OrbitSecretOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | HTTPValidationError | list[OrbitSecretOut]]:
    """List an orbit's secrets

     The secrets stored for the orbit's deployments, each with its value. API keys may
    call it (unlike the orbit's members routes, which need a user session). An orbit
    that is not the organization's is answered 404, as by the orbit's own routes
    (assumed: not yet observed on this route).

    Args:
        organization_id (UUID):
        orbit_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | HTTPValidationError | list[OrbitSecretOut]]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        orbit_id=orbit_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | HTTPValidationError | list[OrbitSecretOut] | None:
    """List an orbit's secrets

     The secrets stored for the orbit's deployments, each with its value. API keys may
    call it (unlike the orbit's members routes, which need a user session). An orbit
    that is not the organization's is answered 404, as by the orbit's own routes
    (assumed: not yet observed on this route).

    Args:
        organization_id (UUID):
        orbit_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | HTTPValidationError | list[OrbitSecretOut]
    """

    return sync_detailed(
        organization_id=organization_id,
        orbit_id=orbit_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | HTTPValidationError | list[OrbitSecretOut]]:
    """List an orbit's secrets

     The secrets stored for the orbit's deployments, each with its value. API keys may
    call it (unlike the orbit's members routes, which need a user session). An orbit
    that is not the organization's is answered 404, as by the orbit's own routes
    (assumed: not yet observed on this route).

    Args:
        organization_id (UUID):
        orbit_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | HTTPValidationError | list[OrbitSecretOut]]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        orbit_id=orbit_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | HTTPValidationError | list[OrbitSecretOut] | None:
    """List an orbit's secrets

     The secrets stored for the orbit's deployments, each with its value. API keys may
    call it (unlike the orbit's members routes, which need a user session). An orbit
    that is not the organization's is answered 404, as by the orbit's own routes
    (assumed: not yet observed on this route).

    Args:
        organization_id (UUID):
        orbit_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | HTTPValidationError | list[OrbitSecretOut]
    """

    return (
        await asyncio_detailed(
            organization_id=organization_id,
            orbit_id=orbit_id,
            client=client,
        )
    ).parsed
