from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrbitUpdate")


@_attrs_define
class OrbitUpdate:
    """Fields to change; absent fields stay as they are. Neither may be null (the
    service answers 500 for a null name, 404 for a null bucket secret).

        Attributes:
            name (str | Unset): 1 to 100 characters, not only whitespace. Example: Default Orbit.
            bucket_secret_id (UUID | Unset):
    """

    name: str | Unset = UNSET
    bucket_secret_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        bucket_secret_id: str | Unset = UNSET
        if not isinstance(self.bucket_secret_id, Unset):
            bucket_secret_id = str(self.bucket_secret_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if bucket_secret_id is not UNSET:
            field_dict["bucket_secret_id"] = bucket_secret_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _bucket_secret_id = d.pop("bucket_secret_id", UNSET)
        bucket_secret_id: UUID | Unset
        if isinstance(_bucket_secret_id, Unset):
            bucket_secret_id = UNSET
        else:
            bucket_secret_id = UUID(_bucket_secret_id)

        orbit_update = cls(
            name=name,
            bucket_secret_id=bucket_secret_id,
        )

        orbit_update.additional_properties = d
        return orbit_update

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
