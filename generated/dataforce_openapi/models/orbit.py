from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.orbit_permissions_type_0 import OrbitPermissionsType0


T = TypeVar("T", bound="Orbit")


@_attrs_define
class Orbit:
    """
    Attributes:
        id (UUID):
        name (str):
        organization_id (UUID):
        bucket_secret_id (UUID):
        created_at (datetime.datetime):
        total_members (int | None | Unset):
        total_collections (int | None | Unset):
        total_satellites (int | None | Unset):
        total_artifacts (int | None | Unset):
        updated_at (datetime.datetime | None | Unset):
        role (None | str | Unset):
        permissions (None | OrbitPermissionsType0 | Unset):
    """

    id: UUID
    name: str
    organization_id: UUID
    bucket_secret_id: UUID
    created_at: datetime.datetime
    total_members: int | None | Unset = UNSET
    total_collections: int | None | Unset = UNSET
    total_satellites: int | None | Unset = UNSET
    total_artifacts: int | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    role: None | str | Unset = UNSET
    permissions: None | OrbitPermissionsType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.orbit_permissions_type_0 import OrbitPermissionsType0

        id = str(self.id)

        name = self.name

        organization_id = str(self.organization_id)

        bucket_secret_id = str(self.bucket_secret_id)

        created_at = self.created_at.isoformat()

        total_members: int | None | Unset
        if isinstance(self.total_members, Unset):
            total_members = UNSET
        else:
            total_members = self.total_members

        total_collections: int | None | Unset
        if isinstance(self.total_collections, Unset):
            total_collections = UNSET
        else:
            total_collections = self.total_collections

        total_satellites: int | None | Unset
        if isinstance(self.total_satellites, Unset):
            total_satellites = UNSET
        else:
            total_satellites = self.total_satellites

        total_artifacts: int | None | Unset
        if isinstance(self.total_artifacts, Unset):
            total_artifacts = UNSET
        else:
            total_artifacts = self.total_artifacts

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        permissions: dict[str, Any] | None | Unset
        if isinstance(self.permissions, Unset):
            permissions = UNSET
        elif isinstance(self.permissions, OrbitPermissionsType0):
            permissions = self.permissions.to_dict()
        else:
            permissions = self.permissions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "organization_id": organization_id,
                "bucket_secret_id": bucket_secret_id,
                "created_at": created_at,
            }
        )
        if total_members is not UNSET:
            field_dict["total_members"] = total_members
        if total_collections is not UNSET:
            field_dict["total_collections"] = total_collections
        if total_satellites is not UNSET:
            field_dict["total_satellites"] = total_satellites
        if total_artifacts is not UNSET:
            field_dict["total_artifacts"] = total_artifacts
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if role is not UNSET:
            field_dict["role"] = role
        if permissions is not UNSET:
            field_dict["permissions"] = permissions

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.orbit_permissions_type_0 import OrbitPermissionsType0

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        organization_id = UUID(d.pop("organization_id"))

        bucket_secret_id = UUID(d.pop("bucket_secret_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_total_members(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_members = _parse_total_members(d.pop("total_members", UNSET))

        def _parse_total_collections(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_collections = _parse_total_collections(d.pop("total_collections", UNSET))

        def _parse_total_satellites(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_satellites = _parse_total_satellites(d.pop("total_satellites", UNSET))

        def _parse_total_artifacts(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_artifacts = _parse_total_artifacts(d.pop("total_artifacts", UNSET))

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

        def _parse_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        def _parse_permissions(data: object) -> None | OrbitPermissionsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                permissions_type_0 = OrbitPermissionsType0.from_dict(data)

                return permissions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrbitPermissionsType0 | Unset, data)

        permissions = _parse_permissions(d.pop("permissions", UNSET))

        orbit = cls(
            id=id,
            name=name,
            organization_id=organization_id,
            bucket_secret_id=bucket_secret_id,
            created_at=created_at,
            total_members=total_members,
            total_collections=total_collections,
            total_satellites=total_satellites,
            total_artifacts=total_artifacts,
            updated_at=updated_at,
            role=role,
            permissions=permissions,
        )

        orbit.additional_properties = d
        return orbit

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
