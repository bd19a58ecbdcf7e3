from typing import Literal

OrbitMemberCreateSimpleRole = Literal["admin", "member"]

ORBIT_MEMBER_CREATE_SIMPLE_ROLE_VALUES: set[OrbitMemberCreateSimpleRole] = {
    "admin",
    "member",
}


def check_orbit_member_create_simple_role(value: str) -> OrbitMemberCreateSimpleRole:
    if value in ORBIT_MEMBER_CREATE_SIMPLE_ROLE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORBIT_MEMBER_CREATE_SIMPLE_ROLE_VALUES!r}"
    )
