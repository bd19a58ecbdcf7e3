"""openapi.yaml is a valid OpenAPI 3.1 document that describes what the service answers."""

from __future__ import annotations

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
    ("get", "/users/me/organizations"): {"200"},
    ("get", "/organizations/{organization_id}/bucket-secrets"): {"200", "403"},
    ("get", "/organizations/{organization_id}/orbits"): {"200", "403", "422"},
    ("post", "/organizations/{organization_id}/orbits"): {
        "200", "400", "403", "404", "409", "422",
    },
    ("get", "/organizations/{organization_id}/orbits/{orbit_id}"): {"200", "404", "422"},
    ("patch", "/organizations/{organization_id}/orbits/{orbit_id}"): {"200", "404", "422"},
    ("delete", "/organizations/{organization_id}/orbits/{orbit_id}"): {"204", "403"},
}  # fmt: skip


def test_spec_is_valid_openapi_31() -> None:
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_packaged_spec_is_the_root_spec() -> None:
    packaged = files("dataforce").joinpath("openapi.yaml").read_text()
    assert packaged == (ROOT / "openapi.yaml").read_text()


@pytest.mark.parametrize(("method", "path"), sorted(OBSERVED))
def test_every_observed_status_is_documented(method: str, path: str) -> None:
    operation = SPEC["paths"][path][method]
    documented = set(operation["responses"])
    assert OBSERVED[(method, path)] | {"401", "500"} <= documented
    assert operation["operationId"].replace("_", "").isalpha()


def test_operation_ids_are_clean_and_unique() -> None:
    ids = [op["operationId"] for item in SPEC["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op]  # fmt: skip
    assert sorted(ids) == [
        "create_orbit",
        "delete_orbit",
        "get_orbit",
        "list_bucket_secrets",
        "list_my_organizations",
        "list_orbits",
        "update_orbit",
    ]


def test_names_are_one_to_hundred_characters() -> None:
    name = SPEC["components"]["schemas"]["OrbitName"]
    assert (name["minLength"], name["maxLength"]) == (1, 100)
    for schema in ("OrbitCreateIn", "OrbitUpdate"):
        ref = SPEC["components"]["schemas"][schema]["properties"]["name"]["$ref"]
        assert ref == "#/components/schemas/OrbitName"


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
