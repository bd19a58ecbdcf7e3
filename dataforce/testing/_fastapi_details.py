"""jsonschema's errors, read as the service's (FastAPI's) 422 ``detail`` entries.

The service validates requests with pydantic, so its 422 bodies look like
``{"detail": [{"type": "string_too_short", "loc": ["body", "name"], "msg": ..., "input":
...}]}``. Clients (and their tests) read ``type`` and ``loc``; the stand-in validates with
JSON Schema instead, so this module translates each jsonschema error into the entry
pydantic would have written for the same mistake.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

__all__ = ["Detail", "details", "missing"]

Detail = dict[str, Any]


def missing(loc: list[str | int], instance: Any) -> Detail:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": instance}


_TYPE_ERRORS = {
    "string": ("string_type", "Input should be a valid string"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "array": ("list_type", "Input should be a valid list"),
    "object": (
        "model_attributes_type",
        "Input should be a valid dictionary or object to extract fields from",
    ),
    "null": ("none_required", "Input should be None"),
}


def details(errors: Iterable[ValidationError], prefix: list[str | int]) -> list[Detail]:
    """Translate jsonschema errors into the service's 422 ``detail`` entries."""
    out: list[Detail] = []
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        if error.context:
            # anyOf/oneOf: report what is wrong inside the branch(es) whose type matched the
            # input (e.g. a member inside a list); if none did, the closest type mismatch.
            deeper = [e for e in error.context if e.path or e.validator != "type"]
            if deeper:
                out.extend(details(deeper, prefix))
                continue
            error = best_match(error.context)
        loc = [*prefix, *error.absolute_path]
        keyword = str(error.validator)
        value: Any = error.validator_value
        if keyword == "required" and isinstance(error.instance, dict):
            absent = [n for n in value if n not in error.instance]
            out.extend(missing([*loc, name], error.instance) for name in absent)
            continue
        detail: Detail = {"type": "value_error", "loc": loc, "msg": error.message}
        if keyword == "type":
            wanted = value if isinstance(value, str) else next(t for t in value if t != "null")
            kind, msg = _TYPE_ERRORS.get(wanted, ("value_error", error.message))
            detail.update(type=kind, msg=msg)
        elif keyword == "format" and value == "uuid":
            detail.update(type="uuid_parsing", msg="Input should be a valid UUID")
        elif keyword == "format":
            detail.update(type=f"{str(value).replace('-', '_')}_parsing")
        elif keyword == "minLength":
            detail.update(
                type="string_too_short",
                msg=f"String should have at least {value} character{'s' * (value != 1)}",
                ctx={"min_length": value},
            )
        elif keyword == "maxLength":
            detail.update(
                type="string_too_long",
                msg=f"String should have at most {value} character{'s' * (value != 1)}",
                ctx={"max_length": value},
            )
        elif keyword == "pattern":
            detail.update(
                type="string_pattern_mismatch",
                msg=f"String should match pattern '{value}'",
                ctx={"pattern": value},
            )
        elif keyword in ("enum", "const"):
            detail.update(type="literal_error")
        detail["input"] = error.instance
        out.append(detail)
    # One entry per (location, type): required errors repeat per missing property.
    unique: list[Detail] = []
    seen: set[str] = set()
    for detail in out:
        key = json.dumps([detail["loc"], detail["type"]], default=str)
        if key not in seen:
            seen.add(key)
            unique.append(detail)
    return unique
