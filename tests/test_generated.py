"""`make check-generated` — the contract check — catches drift between spec and code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate.py"


def _check(spec: Path, target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--spec", str(spec), "--target", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_fails_with_a_diff_when_generated_code_was_edited(tmp_path: Path) -> None:
    target = tmp_path / "dataforce_openapi"
    shutil.copytree(ROOT / "generated" / "dataforce_openapi", target)
    edited = target / "api" / "orbits" / "get_orbit.py"
    edited.write_text(edited.read_text().replace('"method": "get"', '"method": "post"'))
    result = _check(ROOT / "openapi.yaml", target)
    assert result.returncode == 1
    assert "api/orbits/get_orbit.py (committed)" in result.stdout
    assert '-        "method": "post",' in result.stdout
    assert '+        "method": "get",' in result.stdout
    assert "make generate" in result.stderr


def test_check_fails_when_the_spec_changed(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    text = (ROOT / "openapi.yaml").read_text()
    spec.write_text(text.replace("operationId: get_orbit", "operationId: fetch_orbit"))
    result = _check(spec, ROOT / "generated" / "dataforce_openapi")
    assert result.returncode == 1
    assert "fetch_orbit.py" in result.stdout


# --- one compiler for every kind of schema the service publishes ---------------------------


def _compiled(tmp_path: Path, spec: dict[str, Any], name: str) -> Any:
    """``spec`` compiled by `make generate`'s compiler into a package of its own name."""
    import importlib

    sys.path.insert(0, str(ROOT / "scripts"))
    import generate

    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    generate.compile_into(tmp_path / name, path)  # with --fail-on-warning
    sys.path.insert(0, str(tmp_path))
    return importlib.import_module(f"{name}.models")


def test_every_schema_of_the_services_document_compiles(tmp_path: Path) -> None:
    """openapi.yaml extended with every schema of the service's current document (the
    shipped baseline): unions of objects, inline objects and all, none dropped."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    service = json.loads((ROOT / "dataforce" / "_spec_baseline.json").read_text("utf-8"))
    added = {
        name: schema
        for name, schema in service["components"]["schemas"].items()
        if name not in spec["components"]["schemas"]
    }
    spec["components"]["schemas"].update(added)
    models = _compiled(tmp_path, spec, "service_models")
    for name, schema in added.items():
        if schema.get("type") != "object" or not schema.get("properties"):
            continue
        model = getattr(models, name)  # every object schema is a model
        msgspec.json.Decoder(model)  # and msgspec can decode it: no unsupported union
        info = msgspec.inspect.type_info(model)
        tag = [info.tag_field] if info.tag_field is not None else []
        fields = [field.encode_name for field in info.fields] + tag
        assert set(schema["properties"]) == set(fields), name
    # A union of objects the service tells apart by a const property decodes to each kind.
    kinds = msgspec.json.decode(
        json.dumps([_secret("s3", region="eu"), _secret("azure")]).encode(),
        type=list[models.S3BucketSecretOut | models.AzureBucketSecretOut],
    )
    assert [type(kind).__name__ for kind in kinds] == ["S3BucketSecretOut", "AzureBucketSecretOut"]
    assert kinds[0].to_dict()["type"] == "s3"


def _secret(kind: str, **extra: str) -> dict[str, Any]:
    return {
        "type": kind,
        "id": "0199c455-21ed-7aba-9fe5-5231611220de",
        "endpoint": "https://storage.example",
        "bucket_name": "models",
        "organization_id": "0199c455-21ec-7c74-8efe-41470e29bae5",
        "created_at": "2025-05-21T19:35:17.340408Z",
        **extra,
    }


def test_a_subclass_does_not_depend_on_the_order_of_properties(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    details = spec["components"]["schemas"]["OrbitDetails"]["properties"]
    # The details' own properties first, then the orbit's in reverse.
    own = {key: details.pop(key) for key in ("members", "collections_tags")}
    spec["components"]["schemas"]["OrbitDetails"]["properties"] = {
        **own,
        **dict(reversed(list(details.items()))),
    }
    models = _compiled(tmp_path, spec, "reordered_models")
    assert issubclass(models.OrbitDetails, models.Orbit)


def test_a_secret_held_by_another_model_is_hidden_too(tmp_path: Path) -> None:
    """``format: password`` inside a model that holds such models, one or an array of
    them: hidden by the holder's repr and by its ``to_dict(hide_secrets=True)``."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    secret = {"$ref": "#/components/schemas/OrbitSecretOut"}
    spec["components"]["schemas"]["SecretShelf"] = {
        "type": "object",
        "required": ["all"],
        "properties": {
            "all": {"type": "array", "items": secret},
            "newest": {"anyOf": [secret, {"type": "null"}]},
            "label": {"type": "string"},
        },
    }
    models = _compiled(tmp_path, spec, "shelf_models")
    one = {
        "id": "0199c455-21ed-7aba-9fe5-5231611220de",
        "name": "TOKEN",
        "value": "s3cr3t-value",
        "orbit_id": "0199c455-21ec-7c74-8efe-41470e29bae5",
        "tags": [],
        "created_at": "2025-05-21T19:35:17.340408Z",
        "updated_at": None,
    }
    shelf = models.SecretShelf.from_dict({"all": [one, one], "newest": one, "label": "x"})
    assert "s3cr3t-value" not in repr(shelf)
    printable = shelf.to_dict(hide_secrets=True)
    assert [s["value"] for s in printable["all"]] == ["[hidden]", "[hidden]"]
    assert printable["newest"]["value"] == "[hidden]"
    assert printable["label"] == "x"
    assert shelf.to_dict()["newest"]["value"] == "s3cr3t-value"
    empty = models.SecretShelf.from_dict({"all": [], "newest": None})
    assert empty.to_dict(hide_secrets=True) == empty.to_dict()
