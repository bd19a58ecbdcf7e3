from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BucketSecretOut")


@_attrs_define
class BucketSecretOut:
    """
    Attributes:
        id (UUID):
        endpoint (str):
        bucket_name (str):
        organization_id (UUID):
        created_at (datetime.datetime):
        secure (bool | None | Unset):
        region (None | str | Unset):
        cert_check (bool | None | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    id: UUID
    endpoint: str
    bucket_name: str
    organization_id: UUID
    created_at: datetime.datetime
    secure: bool | None | Unset = UNSET
    region: None | str | Unset = UNSET
    cert_check: bool | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        endpoint = self.endpoint

        bucket_name = self.bucket_name

        organization_id = str(self.organization_id)

        created_at = self.created_at.isoformat()

        secure: bool | None | Unset
        if isinstance(self.secure, Unset):
            secure = UNSET
        else:
            secure = self.secure

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        cert_check: bool | None | Unset
        if isinstance(self.cert_check, Unset):
            cert_check = UNSET
        else:
            cert_check = self.cert_check

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "endpoint": endpoint,
                "bucket_name": bucket_name,
                "organization_id": organization_id,
                "created_at": created_at,
            }
        )
        if secure is not UNSET:
            field_dict["secure"] = secure
        if region is not UNSET:
            field_dict["region"] = region
        if cert_check is not UNSET:
            field_dict["cert_check"] = cert_check
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        endpoint = d.pop("endpoint")

        bucket_name = d.pop("bucket_name")

        organization_id = UUID(d.pop("organization_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_secure(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        secure = _parse_secure(d.pop("secure", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_cert_check(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        cert_check = _parse_cert_check(d.pop("cert_check", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        bucket_secret_out = cls(
            id=id,
            endpoint=endpoint,
            bucket_name=bucket_name,
            organization_id=organization_id,
            created_at=created_at,
            secure=secure,
            region=region,
            cert_check=cert_check,
            updated_at=updated_at,
        )

        bucket_secret_out.additional_properties = d
        return bucket_secret_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
