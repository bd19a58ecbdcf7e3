from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_out import UserOut


T = TypeVar("T", bound="OrbitMember")


@_attrs_define
class OrbitMember:
    """
    Attributes:
        id (UUID):
        orbit_id (UUID):
        role (str): Known values: `admin`, `member`. New roles may appear. Example: admin.
        user (UserOut):
        created_at (datetime.datetime):
        updated_at (datetime.datetime | None | Unset):
    """

    id: UUID
    orbit_id: UUID
    role: str
    user: UserOut
    created_at: datetime.datetime
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        orbit_id = str(self.orbit_id)

        role = self.role

        user = self.user.to_dict()

        created_at = self.created_at.isoformat()

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
                "orbit_id": orbit_id,
                "role": role,
                "user": user,
                "created_at": created_at,
            }
        )
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user_out import UserOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        orbit_id = UUID(d.pop("orbit_id"))

        role = d.pop("role")

        user = UserOut.from_dict(d.pop("user"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        orbit_member = cls(
            id=id,
            orbit_id=orbit_id,
            role=role,
            user=user,
            created_at=created_at,
            updated_at=updated_at,
        )

        orbit_member.additional_properties = d
        return orbit_member

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
