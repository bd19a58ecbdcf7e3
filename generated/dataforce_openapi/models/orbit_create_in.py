from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.orbit_member_create_simple import OrbitMemberCreateSimple


T = TypeVar("T", bound="OrbitCreateIn")


@_attrs_define
class OrbitCreateIn:
    """
    Attributes:
        name (str): 1 to 100 characters, not only whitespace. Example: Default Orbit.
        bucket_secret_id (UUID):
        members (list[OrbitMemberCreateSimple] | None | Unset):
        notify (bool | Unset):  Default: False.
    """

    name: str
    bucket_secret_id: UUID
    members: list[OrbitMemberCreateSimple] | None | Unset = UNSET
    notify: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        bucket_secret_id = str(self.bucket_secret_id)

        members: list[dict[str, Any]] | None | Unset
        if isinstance(self.members, Unset):
            members = UNSET
        elif isinstance(self.members, list):
            members = []
            for members_type_0_item_data in self.members:
                members_type_0_item = members_type_0_item_data.to_dict()
                members.append(members_type_0_item)

        else:
            members = self.members

        notify = self.notify

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "bucket_secret_id": bucket_secret_id,
            }
        )
        if members is not UNSET:
            field_dict["members"] = members
        if notify is not UNSET:
            field_dict["notify"] = notify

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.orbit_member_create_simple import OrbitMemberCreateSimple

        d = dict(src_dict)
        name = d.pop("name")

        bucket_secret_id = UUID(d.pop("bucket_secret_id"))

        def _parse_members(
            data: object,
        ) -> list[OrbitMemberCreateSimple] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                members_type_0 = []
                _members_type_0 = data
                for members_type_0_item_data in _members_type_0:
                    members_type_0_item = OrbitMemberCreateSimple.from_dict(
                        members_type_0_item_data
                    )

                    members_type_0.append(members_type_0_item)

                return members_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[OrbitMemberCreateSimple] | None | Unset, data)

        members = _parse_members(d.pop("members", UNSET))

        notify = d.pop("notify", UNSET)

        orbit_create_in = cls(
            name=name,
            bucket_secret_id=bucket_secret_id,
            members=members,
            notify=notify,
        )

        orbit_create_in.additional_properties = d
        return orbit_create_in

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
