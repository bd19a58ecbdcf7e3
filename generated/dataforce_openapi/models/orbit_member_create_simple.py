from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.orbit_member_create_simple_role import OrbitMemberCreateSimpleRole

T = TypeVar("T", bound="OrbitMemberCreateSimple")


@_attrs_define
class OrbitMemberCreateSimple:
    """
    Attributes:
        user_id (UUID):
        role (OrbitMemberCreateSimpleRole): A request names only these roles (422 otherwise); see `OrbitRole`.
    """

    user_id: UUID
    role: OrbitMemberCreateSimpleRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = str(self.user_id)

        role = self.role.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        user_id = UUID(d.pop("user_id"))

        role = OrbitMemberCreateSimpleRole(d.pop("role"))

        orbit_member_create_simple = cls(
            user_id=user_id,
            role=role,
        )

        orbit_member_create_simple.additional_properties = d
        return orbit_member_create_simple

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
