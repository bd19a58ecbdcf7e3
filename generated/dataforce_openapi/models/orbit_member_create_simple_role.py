from enum import StrEnum


class OrbitMemberCreateSimpleRole(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"

    def __str__(self) -> str:
        return str(self.value)
