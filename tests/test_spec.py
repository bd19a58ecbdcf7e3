"""openapi.yaml is a valid OpenAPI 3.1 document that describes what the service answers."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())

# Statuses observed from the live service (api-contract.md), beyond 401 and 500.
OBSERVED = {
    "list_my_organizations": {"200"},
    "list_bucket_secrets": {"200", "403"},
    "list_orbits": {"200", "403", "422"},
    "create_orbit": {"200", "400", "403", "404", "409", "422"},
    "get_orbit": {"200", "404", "422"},
    "update_orbit": {"200", "404", "422"},
    "delete_orbit": {"204", "403", "404"},
}
OPERATIONS = {
    operation["operationId"]: operation
    for item in SPEC["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "operationId" in operation
}


def test_spec_is_valid_openapi_31() -> None:
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_packaged_spec_is_the_root_spec() -> None:
    packaged = files("dataforce").joinpath("openapi.yaml").read_text()
    assert packaged == (ROOT / "openapi.yaml").read_text()


@pytest.mark.parametrize("operation_id", sorted(OBSERVED))
def test_every_observed_status_is_documented(operation_id: str) -> None:
    operation = OPERATIONS[operation_id]
    documented = set(operation["responses"])
    assert OBSERVED[operation_id] | {"401", "500"} <= documented
    assert operation_id.replace("_", "").isalpha()


def test_operation_ids_are_clean_and_unique() -> None:
    # Short snake_case names (not the framework's generated `list_orbits_v1_organi...`):
    # they name the generated modules, the operation table's keys and drift's messages.
    ids = [op["operationId"] for item in SPEC["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op]  # fmt: skip
    assert len(ids) == len(set(ids))
    assert {"list_orbits", "get_orbit", "create_orbit", "update_orbit", "delete_orbit"} <= set(ids)
    assert [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z]+){1,3}", i)] == []


def test_names_are_one_to_hundred_characters() -> None:
    # Written out in each schema: the generator reads constraints on the property only.
    for schema in ("OrbitCreateIn", "OrbitUpdate"):
        name = SPEC["components"]["schemas"][schema]["properties"]["name"]
        assert (name["minLength"], name["maxLength"], name["pattern"]) == (1, 100, r"\S")


def test_bearer_security_and_production_server() -> None:
    assert SPEC["security"] == [{"BearerAuth": []}]
    assert SPEC["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    assert SPEC["servers"][0]["url"] == "https://api.dataforce.studio"


def test_error_bodies_have_the_service_shapes() -> None:
    responses = SPEC["components"]["responses"]
    assert responses["InternalServerError"]["content"]["text/plain"]["schema"]["type"] == "string"
    detail = SPEC["components"]["schemas"]["ErrorDetail"]
    assert detail["properties"]["detail"]["type"] == "string"
    validation = SPEC["components"]["schemas"]["ValidationError"]
    assert set(validation["properties"]) == {"type", "loc", "msg", "input", "ctx"}
