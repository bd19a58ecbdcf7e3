"""The drift test: the facade agrees with openapi.yaml, and each kind of drift is caught
with a message that says what to do (scripts/drift.py)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import drift  # noqa: E402
import generate  # noqa: E402

from dataforce.api import _schema  # noqa: E402
from tests._paths import path, template  # noqa: E402

SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def _edited(edit: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    edit(spec["components"]["schemas"])
    return spec


def _regenerated(spec: dict[str, Any]) -> list[str]:
    """Drift once `make generate` ran on ``spec``: its models, nothing stale."""
    return drift.check(spec, drift.generated_view(spec))


def _stale(spec: dict[str, Any], tmp_path: Path) -> list[str]:
    """Drift of the committed facade against an edited ``spec`` not regenerated yet."""
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return drift.check(spec, _schema, drift.is_stale(path))


def _next_change(schemas: dict[str, Any]) -> None:
    """A change like the service's last one: a new count on orbits, labels on details."""
    for name in ("Orbit", "OrbitDetails"):
        schemas[name]["properties"]["total_models"] = {"type": ["integer", "null"]}
    schemas["OrbitDetails"]["properties"]["deployment_labels"] = {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
    }


def test_the_facade_agrees_with_the_spec() -> None:
    problems = drift.check(SPEC, _schema, drift.is_stale())
    assert problems == []


def test_a_spec_property_the_facade_lacks_says_regenerate(tmp_path: Path) -> None:
    problems = _stale(_edited(_next_change), tmp_path)
    assert drift.REGENERATE in problems
    assert any(p.startswith("Orbit.total_models is in openapi.yaml but not") for p in problems)


def test_an_additive_change_needs_nothing_but_regenerating() -> None:
    assert _regenerated(_edited(_next_change)) == []


def test_a_removed_property_the_facade_requires_is_caught() -> None:
    def remove(schemas: dict[str, Any]) -> None:
        for name in ("Orbit", "OrbitDetails"):
            del schemas[name]["properties"]["bucket_secret_id"]
            schemas[name]["required"].remove("bucket_secret_id")

    problems = _regenerated(_edited(remove))
    assert len(problems) == 2
    [facade] = [p for p in problems if "_contract.py" in p]
    [stand_in] = [p for p in problems if p is not facade]
    assert "Orbit no longer has 'bucket_secret_id'" in facade
    assert "DOCUMENTED_ATTRIBUTES in dataforce/api/_contract.py" in facade
    # The local server stores it too: drift names the stand-in's file as well.
    assert "'bucket_secret_id'" in stand_in
    assert "dataforce/testing/_store.py" in stand_in


def test_a_type_change_is_caught_before_and_after_regenerating(tmp_path: Path) -> None:
    def retype(schemas: dict[str, Any]) -> None:
        for name in ("Orbit", "OrbitDetails"):
            schemas[name]["properties"]["total_members"] = {"type": "string"}

    spec = _edited(retype)
    stale = _stale(spec, tmp_path)
    assert any(
        p.startswith(
            "Orbit.total_members: openapi.yaml says string|null, the model has "
            "integer|null: generated/dataforce_openapi is out of date"
        )
        for p in stale
    )
    problems = _regenerated(spec)
    assert len(problems) == 2
    [facade] = [p for p in problems if "_contract.py" in p]
    [stand_in] = [p for p in problems if p is not facade]
    assert "Orbit.total_members is now string, the facade documents integer|null" in facade
    assert "total_members" in stand_in
    assert "dataforce/testing/_store.py" in stand_in


def test_an_uncovered_operation_is_caught() -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"][template("get_orbit")]["put"] = {
        "operationId": "replace_orbit",
        "responses": {"204": {"description": "done"}},
    }
    problems = _regenerated(spec)
    assert problems == [
        "operation 'replace_orbit' of openapi.yaml is neither used by the facade nor listed "
        "as not exposed: use it, or add it with the reason to NOT_EXPOSED in "
        "dataforce/api/_operations.py"
    ]
    # Left unexposed, with its reason: that one entry is all it takes (the stand-in
    # answers an operation the SDK never sends with 501).
    from dataforce.api import _operations

    _operations.NOT_EXPOSED["replace_orbit"] = "not needed by the orbits SDK"  # type: ignore[index]
    try:
        assert _regenerated(spec) == []
    finally:
        del _operations.NOT_EXPOSED["replace_orbit"]  # type: ignore[attr-defined]


def test_used_is_what_the_code_sends() -> None:
    """USED is checked against the ``ops.<operation>(...)`` calls in the code: an entry
    nothing sends, and a call nothing lists, are both named."""
    from dataforce.api import _operations

    assert drift.sent_operations() == set(_operations.USED)
    listed = dict(_operations.USED)
    try:
        _operations.USED["list_bucket_secrets"] = "documented, but nothing sends it"  # type: ignore[index]
        del _operations.USED["delete_orbit"]  # type: ignore[attr-defined]
        problems = drift.check(SPEC, _schema)
    finally:
        _operations.USED.clear()  # type: ignore[attr-defined]
        _operations.USED.update(listed)  # type: ignore[attr-defined]
    assert any(p.startswith("operation 'list_bucket_secrets' is listed as USED") for p in problems)
    assert any(
        p.startswith("operation 'delete_orbit' is sent by the SDK but not") for p in problems
    )


def test_a_new_request_property_must_be_a_parameter_or_allowlisted() -> None:
    def add(schemas: dict[str, Any]) -> None:
        schemas["OrbitCreateIn"]["properties"]["description"] = {"type": "string"}

    [problem] = _regenerated(_edited(add))  # one line, naming every view that lacks it
    assert problem.startswith(
        "OrbitCreateIn.description (openapi.yaml) is not a parameter of OrbitResource.create, "
        "AsyncOrbitResource.create, OrbitResourceWithRawResponse.create, "
        "AsyncOrbitResourceWithRawResponse.create: add it as a keyword-only argument of "
        "OrbitResourceBase.create"
    )
    assert "REQUEST_NOT_EXPOSED in dataforce/api/_contract.py" in problem


@pytest.mark.parametrize("view", ["OrbitResourceWithRawResponse", "AsyncOrbitResource"])
def test_a_view_whose_method_lacks_a_request_property_is_caught(
    monkeypatch: pytest.MonkeyPatch, view: str
) -> None:
    """The raw-response views are checked like the plain ones: a view's own ``create``
    without ``notify`` (the spec's OrbitCreateIn.notify) is reported, and so is its
    departure from the declaration."""
    from dataforce.api.resources import orbits

    def create(self: Any, name: str, bucket_secret_id: str, **options: Any) -> Any:
        raise AssertionError("never called")

    monkeypatch.setattr(getattr(orbits, view), "create", create)
    problems = drift.check(SPEC, _schema, None)
    assert problems == [
        f"OrbitCreateIn.members (openapi.yaml) is not a parameter of {view}.create: add it as "
        "a keyword-only argument of OrbitResourceBase.create in "
        "dataforce/api/resources/orbits.py, or add it with the reason to REQUEST_NOT_EXPOSED "
        "in dataforce/api/_contract.py",
        f"OrbitCreateIn.notify (openapi.yaml) is not a parameter of {view}.create: add it as "
        "a keyword-only argument of OrbitResourceBase.create in "
        "dataforce/api/resources/orbits.py, or add it with the reason to REQUEST_NOT_EXPOSED "
        "in dataforce/api/_contract.py",
        f"{view}.create does not take the parameters OrbitResourceBase.create declares: "
        "remove the view's own create from dataforce/api/resources/orbits.py (views derive "
        "theirs)",
    ]


def test_request_item_keys_follow_the_spec() -> None:
    def add(schemas: dict[str, Any]) -> None:
        schemas["OrbitMemberCreateSimple"]["properties"]["expires_at"] = {"type": "string"}

    [problem] = _regenerated(_edited(add))
    assert "OrbitMemberCreate" in problem
    assert "expires_at" in problem


# --- the maintainer's loop, end to end ------------------------------------------------

CLIENT_SCRIPT = """
import json, sys
from dataforce.api import DataForceClient
dfs = DataForceClient(base_url=sys.argv[1], api_key="dfs_test", organization=sys.argv[2],
                      orbit=sys.argv[3], max_retries=0)
listed = dfs.orbits.list()[0]
fetched = dfs.orbits.get(sys.argv[3])
print(json.dumps({
    "listed": [listed.total_models, listed.total_artifacts],
    "fetched": [fetched.total_models, fetched.deployment_labels],
    "to_dict": listed.to_dict()["total_models"],
    "dumps": json.loads(json.dumps(fetched.to_dict()))["deployment_labels"],
}))
"""


def test_make_generate_alone_exposes_the_services_next_change(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """Regenerating from the changed spec makes the new fields attributes of listed and
    fetched orbits and keys of ``to_dict()`` — in a copy of the package, no hand edit."""
    import shutil

    package = tmp_path / "dataforce"
    shutil.copytree(ROOT / "dataforce", package, ignore=shutil.ignore_patterns("__pycache__"))
    spec = _edited(_next_change)
    changed = tmp_path / "openapi.yaml"
    changed.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    generate.compile_into(tmp_path / "dataforce_openapi", changed)

    org, orbit = "0199c455-21ec-7c74-8efe-41470e29bae5", "0199c455-21ed-7aba-9fe5-5231611220de"
    body = {
        "id": orbit,
        "name": "Default Orbit",
        "organization_id": org,
        "bucket_secret_id": orbit,
        "created_at": "2025-05-21T19:35:17.340408Z",
        "total_models": 3,
        "total_artifacts": 40,
    }
    httpserver.expect_request(path("list_my_organizations")).respond_with_json(
        [{"id": org, "name": "Org", "created_at": "2025-05-21T19:35:17Z"}]
    )
    httpserver.expect_request(
        path("get_orbit", organization_id=org, orbit_id=orbit)
    ).respond_with_json(dict(body, deployment_labels=["vision", "nlp"], members=[]))
    httpserver.expect_request(path("list_orbits", organization_id=org)).respond_with_json([body])
    result = subprocess.run(
        [sys.executable, "-c", CLIENT_SCRIPT, httpserver.url_for("").rstrip("/"), org, orbit],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "listed": [3, 40],
        "fetched": [3, ["vision", "nlp"]],
        "to_dict": 3,
        "dumps": ["vision", "nlp"],
    }


@pytest.mark.parametrize("name", ["Orbit", "OrbitDetails", "OrbitMember", "UserOut"])
def test_every_response_property_is_an_attribute_named_as_in_the_spec(name: str) -> None:
    model = getattr(_schema, name)
    assert set(model.__struct_fields__) == set(SPEC["components"]["schemas"][name]["properties"])


#: A required request property no spec has (the maintainer loop's proof adds ``region``).
INVENTED = "drift_probe_zone"


def _require_invented(schemas: dict[str, Any]) -> None:
    schemas["OrbitCreateIn"]["properties"][INVENTED] = {"type": "string"}
    schemas["OrbitCreateIn"]["required"].append(INVENTED)


def test_a_required_request_property_can_never_be_allowlisted() -> None:
    spec = _edited(_require_invented)
    [problem] = _regenerated(spec)
    assert f"OrbitCreateIn.{INVENTED} (openapi.yaml) is not a parameter of" in problem
    assert "it is required" in problem
    assert "REQUEST_NOT_EXPOSED" not in problem  # not offered: taking it breaks every create
    from dataforce.api import _contract

    _contract.REQUEST_NOT_EXPOSED["OrbitCreateIn"] = {INVENTED: "tried anyway"}  # type: ignore[index]
    try:
        [problem] = _regenerated(spec)
    finally:
        del _contract.REQUEST_NOT_EXPOSED["OrbitCreateIn"]  # type: ignore[attr-defined]
    assert problem.startswith(f"OrbitCreateIn.{INVENTED} is required by openapi.yaml")


# --- drift names every place to edit --------------------------------------------------


def _places(problem: str, headline: str) -> list[str]:
    """The ``file:line`` of each place listed under the part of ``problem`` that
    ``headline`` starts (up to the next part)."""
    lines = problem.splitlines()
    start = next(i for i, line in enumerate(lines) if headline in line)
    found = []
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        found.append(":".join(line.strip().split(":", 2)[:2]))
    return found


def _line_of(name: str, text: str) -> str:
    """``name:N``: the line of ``name`` (relative to the checkout) holding ``text``."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    [number] = [n for n, line in enumerate(lines, 1) if text in line]
    return f"{name}:{number}"


def _rename_total_members(schemas: dict[str, Any]) -> None:
    for name in ("Orbit", "OrbitDetails"):
        properties = schemas[name]["properties"]
        properties["total_members" + "_renamed"] = properties.pop("total_members")


def test_a_renamed_documented_attribute_names_every_use_of_it() -> None:
    problems = _regenerated(_edited(_rename_total_members))
    [facade] = [p for p in problems if "_contract.py" in p]
    headline, *rest = facade.splitlines()
    assert "Orbit no longer has 'total_members'" in headline
    places = _places(facade, "places name 'total_members'")
    assert len(places) == len(rest)
    # The contract, the code that reads it, the README, and the tests' data.
    for expected in [
        _line_of("dataforce/api/_contract.py", '"total_members"'),
        _line_of("dataforce/cli.py", "orbit.total_members"),
        _line_of("tests/conftest.py", '"total_members": 2'),
        _line_of("scripts/check_wheel.py", '"total_members"'),
        _line_of("README.md", "$[17].total_members"),
    ]:
        assert expected in places
    # Each place names it as a word; nothing regenerated, nor the spec, is listed.
    for place in places:
        name, line = place.split(":")
        text = (ROOT / name).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert re.search(rf"\b{'total_members'}\b", text), place
        assert drift._is_place(name)
        assert not name.startswith(("generated/", "docs/reference/", "tests/data/"))
        assert name not in ("openapi.yaml", "dataforce/openapi.yaml", "CHANGELOG.md")


def test_a_retyped_documented_attribute_names_every_use_of_it() -> None:
    def retype(schemas: dict[str, Any]) -> None:
        for name in ("Orbit", "OrbitDetails"):
            schemas[name]["properties"]["total_members"] = {"type": "string"}

    [facade] = [p for p in _regenerated(_edited(retype)) if "_contract.py" in p]
    places = _places(facade, "places name 'total_members'")
    assert _line_of("tests/test_orbits.py", "orbits[1].total_members is None") in places


def test_a_long_list_of_places_is_capped_with_a_count() -> None:
    places = [f"f.py:{n}: x" for n in range(drift.MAX_PLACES + 5)]
    text = drift.indented(places)
    assert text.count("\n    f.py:") == drift.MAX_PLACES
    assert text.endswith("… and 5 more (all of them: `git grep -n`)")


def test_places_are_found_outside_a_git_checkout(tmp_path: Path) -> None:
    """The maintainer loop's proof copies the tracked files, without .git: the tree is
    walked then, skipping what is regenerated, the spec, virtualenvs and caches."""
    for name in (
        "dataforce/cli.py",
        "README.md",
        "generated/dataforce_openapi/models.py",
        "openapi.yaml",
        "docs/reference/models.md",
        ".venv/lib/site.py",
        "dataforce/__pycache__/cli.cpython-311.pyc",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("orbit.total_members\n", encoding="utf-8")
    assert drift.tracked_files(tmp_path) == ["README.md", "dataforce/cli.py"]
    assert drift.uses_of("total_members", tmp_path) == [
        "README.md:1: orbit.total_members",
        "dataforce/cli.py:1: orbit.total_members",
    ]
    assert drift.uses_of("total", tmp_path) == []  # a whole word only


def test_a_new_required_request_property_names_every_place_that_sends_it() -> None:
    [problem] = _regenerated(_edited(_require_invented))
    calls = _places(problem, f"pass {INVENTED}=… at each call of create")
    for expected in [
        # code, awaited or raw; a doctest example; the README; the CLI's own call
        _line_of("tests/test_orbits.py", "orbit = dfs.orbits.create("),
        _line_of("tests/test_raw_response.py", "raw(client).create("),
        _line_of("tests/test_against_local_server.py", "orbit = await dfs.orbits.create("),
        _line_of("dataforce/api/resources/orbits.py", ">>> orbit = dfs.orbits.create("),
        _line_of("README.md", "created = dfs.orbits.create("),
        _line_of("dataforce/cli.py", "dfs.orbits.create("),
    ]:
        assert expected in calls
    # prose naming the method is no call
    assert _line_of("dataforce/api/_operations.py", '"orbits.create()"') not in calls
    signatures = _places(problem, "each signature that mirrors create's")
    # the typing checks' protocol of create (not get's), a stand-in view's create
    protocol = int(_line_of("tests/typing/check_api_types.py", "class Create(").split(":")[1])
    assert f"tests/typing/check_api_types.py:{protocol + 3}" in signatures
    stand_in = "    def " + "create("  # (not this line)
    assert _line_of("tests/test_drift.py", stand_in) in signatures
    assert len(signatures) == 2
    bodies = _places(problem, "OrbitCreateIn body written out by hand")
    assert _line_of("tests/_local.py", "body = {") in bodies
    assert any(place.startswith("dataforce/_contract_check.py:") for place in bodies)
    # an update's body has the same keys: not a create's
    update_body = '{"name": "New Orbit Name", "bucket_secret_id": SECRET_ID},'
    assert not any(
        place.startswith("tests/test_orbits.py:")
        and update_body
        in (ROOT / "tests/test_orbits.py").read_text().splitlines()[int(place.split(":")[1]) - 1]
        for place in bodies
    )
    cli = next(line for line in problem.splitlines() if "--drift-probe-zone" in line)
    assert _line_of("dataforce/cli.py", '_subparser(actions, "create"') in cli
    commands = _places(problem, "--drift-probe-zone option")
    assert any(place.startswith("tests/test_cli.py:") for place in commands)
    assert _line_of("tests/test_cli.py", '["orbits", "create"],') not in commands  # --help
    assert "the local server needs no edit" in problem
