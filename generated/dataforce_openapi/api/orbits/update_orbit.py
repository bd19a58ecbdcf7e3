from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_detail import ErrorDetail
from ...models.http_validation_error import HTTPValidationError
from ...models.orbit import Orbit
from ...models.orbit_update import OrbitUpdate
from ...types import Response


def _get_kwargs(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    body: OrbitUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/organizations/{organization_id}/orbits/{orbit_id}".format(
            organization_id=quote(str(organization_id), safe=""),
            orbit_id=quote(str(orbit_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | HTTPValidationError | Orbit | str | None:
    if response.status_code == 200:
        response_200 = Orbit.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = response.text
        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorDetail | HTTPValidationError | Orbit | str]:
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
    body: OrbitUpdate,
) -> Response[ErrorDetail | HTTPValidationError | Orbit | str]:
    """Update an orbit

     Only the fields present change; `{}` (or only unknown fields) returns the orbit
    unchanged. The orbit is looked up within the organization in the path (another
    organization's orbit is 404). A `bucket_secret_id` that is unknown, another
    organization's, or `null` answers 404 `Bucket secret not found`; the service
    answers 500 for `{"name": null}`. The answer carries `permissions: null`.

    Args:
        organization_id (UUID):
        orbit_id (UUID):
        body (OrbitUpdate): Fields to change; absent fields stay as they are. Neither may be null
            (the
            service answers 500 for a null name, 404 for a null bucket secret).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | HTTPValidationError | Orbit | str]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        orbit_id=orbit_id,
        body=body,
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
    body: OrbitUpdate,
) -> ErrorDetail | HTTPValidationError | Orbit | str | None:
    """Update an orbit

     Only the fields present change; `{}` (or only unknown fields) returns the orbit
    unchanged. The orbit is looked up within the organization in the path (another
    organization's orbit is 404). A `bucket_secret_id` that is unknown, another
    organization's, or `null` answers 404 `Bucket secret not found`; the service
    answers 500 for `{"name": null}`. The answer carries `permissions: null`.

    Args:
        organization_id (UUID):
        orbit_id (UUID):
        body (OrbitUpdate): Fields to change; absent fields stay as they are. Neither may be null
            (the
            service answers 500 for a null name, 404 for a null bucket secret).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | HTTPValidationError | Orbit | str
    """

    return sync_detailed(
        organization_id=organization_id,
        orbit_id=orbit_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: OrbitUpdate,
) -> Response[ErrorDetail | HTTPValidationError | Orbit | str]:
    """Update an orbit

     Only the fields present change; `{}` (or only unknown fields) returns the orbit
    unchanged. The orbit is looked up within the organization in the path (another
    organization's orbit is 404). A `bucket_secret_id` that is unknown, another
    organization's, or `null` answers 404 `Bucket secret not found`; the service
    answers 500 for `{"name": null}`. The answer carries `permissions: null`.

    Args:
        organization_id (UUID):
        orbit_id (UUID):
        body (OrbitUpdate): Fields to change; absent fields stay as they are. Neither may be null
            (the
            service answers 500 for a null name, 404 for a null bucket secret).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | HTTPValidationError | Orbit | str]
    """

    kwargs = _get_kwargs(
        organization_id=organization_id,
        orbit_id=orbit_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization_id: UUID,
    orbit_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: OrbitUpdate,
) -> ErrorDetail | HTTPValidationError | Orbit | str | None:
    """Update an orbit

     Only the fields present change; `{}` (or only unknown fields) returns the orbit
    unchanged. The orbit is looked up within the organization in the path (another
    organization's orbit is 404). A `bucket_secret_id` that is unknown, another
    organization's, or `null` answers 404 `Bucket secret not found`; the service
    answers 500 for `{"name": null}`. The answer carries `permissions: null`.

    Args:
        organization_id (UUID):
        orbit_id (UUID):
        body (OrbitUpdate): Fields to change; absent fields stay as they are. Neither may be null
            (the
            service answers 500 for a null name, 404 for a null bucket secret).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | HTTPValidationError | Orbit | str
    """

    return (
        await asyncio_detailed(
            organization_id=organization_id,
            orbit_id=orbit_id,
            client=client,
            body=body,
        )
    ).parsed
