"""``dataforce spec diff``: the service's document against the baseline, change by change.

Every current document is built here from the shipped baseline (deep copy + edit), so each
test names exactly the change it makes; the service's previous release is the in-repo
``tests/data/service-openapi-previous.json``. Paths come from the spec, never literals.
The command runs in-process through ``dataforce.cli.main`` (an escaping exception fails
the test, so "no traceback" is checked by every test), once as the installed console
script.
"""

from __future__ import annotations

import contextlib
import copy
import json
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

from dataforce._spec_diff import BASELINE, Change, SpecError, diff, used_operations
from dataforce.api._operations import USED, VERSION_PREFIX
from tests._paths import template
from tests._spec_diff_cli import CONNECTION_VARIABLES, Document, Run, runner, writer

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = ROOT / "tests" / "data" / "service-openapi-previous.json"
API_KEY = "dfs_" + "s" * 43
ORBITS = template("list_orbits")
PREFIX = VERSION_PREFIX  # /v1 today
ORBIT = template("get_orbit")
NULLABLE_INT = {"anyOf": [{"type": "integer"}, {"type": "null"}]}


@pytest.fixture(autouse=True)
def _no_connection_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CONNECTION_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def baseline() -> Document:
    document: Document = json.loads(BASELINE.read_text(encoding="utf-8"))
    return document


def schemas(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def previous_release() -> Document:
    document: Document = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    return document


def the_next_change(document: Document) -> Document:
    """A change like the service's last one: a new counter on orbits."""
    for name in ("Orbit", "OrbitDetails"):
        properties = schemas(document)[name]["properties"]
        properties["total_models"] = {**NULLABLE_INT, "title": "Total Models"}
    return document


NEXT_CHANGE_LINES = [
    "additive  Orbit.total_models: property added (integer|null, optional)",
    "additive  OrbitDetails.total_models: property added (integer|null, optional)",
]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    return runner(capsys)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[Document], str]:
    return writer(tmp_path)


# --------------------------------------------------------------------------- outcomes


def test_the_baseline_against_itself_is_no_change(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    result = run(write(baseline()))
    assert (result.code, result.changes, result.err) == (0, [], "")
    assert "no change" in result.out


def test_the_services_next_change_is_additive(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    result = run(write(the_next_change(baseline())))
    assert result.code == 1
    assert result.changes == NEXT_CHANGE_LINES
    assert result.out.splitlines()[-1].startswith("0 breaking, 2 additive")


def test_the_previous_release_to_today_is_six_moves_and_five_new_properties(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    """What the service really did: every path moved under /v1 (operationIds changed
    with them), counters and tags added, many operations added beneath the orbit."""
    result = run("--baseline", str(PREVIOUS), write(baseline()))
    assert result.code == 1
    # That release's breaking changes are the six moves (a later baseline may hold the
    # service's later ones, breaking too: a new required property, a renamed one...).
    moved = [line for line in result.changes if ": moved from " in line]
    before = json.loads(PREVIOUS.read_text(encoding="utf-8"))["paths"]
    used = {f"{method.upper()} {path}" for method, path in used_operations()}
    moves = {where for where in used if where.partition(" ")[2].removeprefix(PREFIX) in before}
    assert len(moved) == len(moves) == 6
    # What the SDK uses that the previous release did not have is new, not moved.
    assert {f"additive  {where}: operation added" for where in used - moves} <= set(result.changes)
    for line in moved:
        assert line.startswith("breaking  ")
        where, _, what = line.removeprefix("breaking  ").partition(": ")
        assert where in moves
        new_path = where.partition(" ")[2]
        assert what == f"moved from {new_path.removeprefix(PREFIX)} to {new_path}"
    assert not [line for line in result.changes if "operation removed" in line]
    added = [line for line in result.changes if "property added" in line]
    # The five of that release (a later baseline may add more, in any order).
    assert {
        "additive  Orbit.total_satellites: property added (integer|null, optional)",
        "additive  Orbit.total_artifacts: property added (integer|null, optional)",
        "additive  OrbitDetails.total_satellites: property added (integer|null, optional)",
        "additive  OrbitDetails.total_artifacts: property added (integer|null, optional)",
        "additive  OrbitDetails.collections_tags: property added (array[string]|null, optional)",
    } <= set(added)
    members = f"additive  GET {ORBIT}/members: operation added"
    assert members in result.changes
    # Nothing beyond the paths the SDK uses: not the organization's bucket secrets.
    assert not [line for line in result.changes if "bucket-secrets" in line]


def test_fail_on_breaking_passes_additive_changes_only(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    additive = run("--fail-on", "breaking", write(the_next_change(baseline())))
    assert (additive.code, additive.changes) == (0, NEXT_CHANGE_LINES)
    moved = run("--fail-on", "breaking", "--baseline", str(PREVIOUS), write(baseline()))
    assert moved.code == 1
    assert run("--fail-on", "any", write(the_next_change(baseline()))).code == 1


def test_a_prefix_neither_document_shares_is_a_move(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    document = baseline()
    document["paths"] = {
        path.replace(PREFIX + "/", "/other/v2/", 1): item
        for path, item in document["paths"].items()
    }
    # A parameter renamed with it is the same path.
    text = json.dumps(document).replace("{orbit_id}", "{id}")
    result = run(write(json.loads(text)))
    assert result.code == 1
    moved_to = ORBIT.replace(PREFIX + "/", "/other/v2/").replace("{orbit_id}", "{id}")
    assert f"breaking  DELETE {moved_to}: moved from {ORBIT} to {moved_to}" in result.changes
    moved = [line for line in result.changes if "moved from" in line]
    assert len(moved) == len(set(used_operations()))  # every operation the SDK uses
    assert not [line for line in result.changes if "operation removed" in line]


def _edit(path: str, method: str) -> Callable[[Document], dict[str, Any]]:
    return lambda document: document["paths"][path][method]


def _remove_response_property(document: Document) -> None:
    del schemas(document)["Orbit"]["properties"]["bucket_secret_id"]
    schemas(document)["Orbit"]["required"].remove("bucket_secret_id")


def _new_required_request_property(document: Document) -> None:
    schemas(document)["OrbitCreateIn"]["properties"]["invented_required"] = {"type": "string"}
    schemas(document)["OrbitCreateIn"]["required"].append("invented_required")


def _type_change(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["total_members"] = {"type": "string"}


def _nullable_response_property(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["name"] = {"type": ["string", "null"]}


def _format_change(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["organization_id"] = {"type": "string"}


def _remove_operation(document: Document) -> None:
    del document["paths"][ORBIT]["delete"]


MOVED_ORBIT = ORBIT.replace(PREFIX + "/", "/v2/", 1)


def _move_operation(document: Document) -> None:
    document["paths"][MOVED_ORBIT] = {"delete": document["paths"][ORBIT].pop("delete")}


def _move_out_of_reach(document: Document) -> None:
    document["paths"]["/orbits/{orbit_id}"] = {"delete": document["paths"][ORBIT].pop("delete")}


def _remove_status(document: Document) -> None:
    del _edit(ORBITS, "get")(document)["responses"]["403"]


def _new_success_status(document: Document) -> None:
    responses = _edit(ORBITS, "post")(document)["responses"]
    responses["201"] = copy.deepcopy(responses["200"])


def _response_enum_value(document: Document) -> None:
    schemas(document)["OrgRole"]["enum"].append("guest")


def _request_enum_value_removed(document: Document) -> None:
    schemas(document)["OrbitRole"]["enum"].remove("member")


def _new_required_parameter(document: Document) -> None:
    _edit(ORBITS, "get")(document)["parameters"].append(
        {"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}}
    )


def _remove_parameter(document: Document) -> None:
    del _edit(ORBIT, "get")(document)["parameters"][1]


def _response_property_no_longer_required(document: Document) -> None:
    schemas(document)["OrbitDetails"]["required"].remove("created_at")


def _request_body_schema_removed(document: Document) -> None:
    del _edit(ORBIT, "patch")(document)["requestBody"]


def _array_items_change(document: Document) -> None:
    schemas(document)["ValidationError"]["properties"]["loc"]["items"] = {"type": "object"}


def _ref_to_another_kind(document: Document) -> None:
    detail = schemas(document)["HTTPValidationError"]["properties"]["detail"]
    detail["items"] = {"$ref": "#/components/schemas/Message"}
    schemas(document)["Message"] = {"type": "string"}


BREAKING = {
    "removed response property": (
        _remove_response_property,
        ["Orbit.bucket_secret_id: property removed"],
    ),
    "new required request property": (
        _new_required_request_property,
        ["OrbitCreateIn.invented_required: property added (string, required)"],
    ),
    "type change": (_type_change, ["Orbit.total_members: type integer|null -> string"]),
    "response property may now be null": (
        _nullable_response_property,
        ["Orbit.name: type string -> string|null"],
    ),
    "format dropped from a response property": (
        _format_change,
        ["Orbit.organization_id: format uuid removed"],
    ),
    "removed operation": (_remove_operation, [f"DELETE {ORBIT}: operation removed"]),
    "moved operation": (
        _move_operation,
        [f"DELETE {MOVED_ORBIT}: moved from {ORBIT} to {MOVED_ORBIT}"],
    ),
    "operation moved out of reach": (_move_out_of_reach, [f"DELETE {ORBIT}: operation removed"]),
    "removed status": (_remove_status, [f"GET {ORBITS}: status 403 removed"]),
    "new success status": (_new_success_status, [f"POST {ORBITS}: status 201 added"]),
    "enum value removed from a request": (
        _request_enum_value_removed,
        ['OrbitRole: enum values removed: "member"'],
    ),
    "new required parameter": (
        _new_required_parameter,
        [f"GET {ORBITS} query parameter page: added (integer, required)"],
    ),
    "removed parameter": (_remove_parameter, [f"GET {ORBIT} path parameter orbit_id: removed"]),
    "response property no longer required": (
        _response_property_no_longer_required,
        ["OrbitDetails.created_at: no longer required"],
    ),
    "request body removed": (
        _request_body_schema_removed,
        [f"PATCH {ORBIT}: request body removed"],
    ),
    "array items of a schema reached through $ref": (
        _array_items_change,
        ["ValidationError.loc[]: type string|integer -> object"],
    ),
    "a $ref to a schema of another type": (
        _ref_to_another_kind,
        ["HTTPValidationError.detail[]: type ValidationError -> Message"],
    ),
}


@pytest.mark.parametrize("case", list(BREAKING))
def test_each_breaking_change_is_reported_as_breaking(
    case: str, run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    edit, expected = BREAKING[case]
    document = baseline()
    edit(document)
    result = run(write(document))
    assert result.code == 1, result.out
    assert result.changes, result.out
    for text in expected:
        matching = [line for line in result.changes if text in line]
        assert matching, f"{text!r} not in {result.changes}"
        assert all(line.startswith("breaking ") for line in matching), matching


def _optional_request_property(document: Document) -> None:
    schemas(document)["OrbitCreateIn"]["properties"]["color"] = {"type": "string"}


def _response_property_narrowed(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["total_members"] = {"type": "integer"}


def _new_error_status(document: Document) -> None:
    _edit(ORBITS, "get")(document)["responses"]["418"] = {"description": "I'm a teapot"}


def _new_operation_on_a_used_path(document: Document) -> None:
    document["paths"][ORBIT]["put"] = {"operationId": "replace_orbit", "responses": {}}


def _new_optional_parameter(document: Document) -> None:
    _edit(ORBITS, "get")(document)["parameters"].append(
        {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    )


def _request_property_may_be_null(document: Document) -> None:
    schemas(document)["OrbitCreateIn"]["properties"]["name"] = {"type": ["string", "null"]}


def _new_operation_beneath_a_used_path(document: Document) -> None:
    document["paths"][f"{ORBIT}/widgets"] = {"get": {"operationId": "w", "responses": {}}}


ADDITIVE = {
    "new optional request property": (
        _optional_request_property,
        "OrbitCreateIn.color: property added (string, optional)",
    ),
    "response property no longer nullable": (
        _response_property_narrowed,
        "Orbit.total_members: type integer|null -> integer",
    ),
    "new error status": (_new_error_status, f"GET {ORBITS}: status 418 added"),
    "new operation on a path the SDK uses": (
        _new_operation_on_a_used_path,
        f"PUT {ORBIT}: operation added",
    ),
    "new optional parameter": (
        _new_optional_parameter,
        f"GET {ORBITS} query parameter limit: added (integer, optional)",
    ),
    "request property may be null": (
        _request_property_may_be_null,
        "OrbitCreateIn.name: type string -> string|null",
    ),
    "new value of a response property the facade reads as an open str": (
        _response_enum_value,
        'OrgRole: enum values added: "guest"',
    ),
    "new operation beneath a path the SDK uses": (
        _new_operation_beneath_a_used_path,
        f"GET {ORBIT}/widgets: operation added",
    ),
}


@pytest.mark.parametrize("case", list(ADDITIVE))
def test_each_additive_change_is_reported_as_additive(
    case: str, run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    edit, expected = ADDITIVE[case]
    document = baseline()
    edit(document)
    result = run(write(document))
    assert (result.code, result.changes) == (1, [f"additive  {expected}"])


def test_a_schema_used_in_requests_and_responses_gets_the_stricter_verdict() -> None:
    # OrbitRole is read in responses (Orbit.role) and sent in requests (create's members):
    # a value removed is harmless to read, but the SDK may still send it.
    document = baseline()
    schemas(document)["OrbitRole"]["enum"].remove("member")
    assert diff(baseline(), document) == [
        Change("breaking", "OrbitRole", 'enum values removed: "member"')
    ]
    # A value added: harmless to send, and every place reading it (Orbit.role,
    # OrbitDetails.role, OrbitMember.role) is an open str in the facade.
    document = baseline()
    schemas(document)["OrbitRole"]["enum"].append("role-no-spec-has")
    assert diff(baseline(), document) == [
        Change("additive", "OrbitRole", 'enum values added: "role-no-spec-has"')
    ]


def test_a_new_enum_value_the_facade_reads_as_a_literal_is_breaking() -> None:
    old, new = baseline(), baseline()
    for document, values in ((old, [1, 2]), (new, [1, 2, 3])):
        schemas(document)["Orbit"]["properties"]["total_members"] = {
            "type": "integer",
            "enum": values,
        }
    assert diff(old, new) == [Change("breaking", "Orbit.total_members", "enum values added: 3")]


def test_what_does_not_reach_the_wire_is_no_change(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    document = baseline()
    # Renamed operationIds and schemas, new descriptions, unrelated operations and schemas.
    operation = _edit(ORBITS, "get")(document)
    operation["operationId"] = "list_orbits"
    operation["description"] = "All orbits."
    schemas(document)["OrbitOut"] = schemas(document).pop("Orbit")
    text = json.dumps(document).replace(
        '#/components/schemas/Orbit"', '#/components/schemas/OrbitOut"'
    )
    document = json.loads(text)
    document["paths"]["/satellites"] = {"get": {"operationId": "list_satellites", "responses": {}}}
    schemas(document)["S3BucketSecretOut"]["properties"]["extra"] = {"type": "string"}
    result = run(write(document))
    assert (result.code, result.changes) == (0, [])


def test_json_output_lists_the_changes(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    result = run("--json", write(the_next_change(baseline())))
    assert result.code == 1
    report = json.loads(result.out)
    assert [(c["kind"], c["where"]) for c in report["changes"]] == [
        ("additive", "Orbit.total_models"),
        ("additive", "OrbitDetails.total_models"),
    ]


# --------------------------------------------------------------------------- sources


def test_a_source_url_is_fetched_without_the_api_key(
    run: Callable[..., Run], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_API_KEY", API_KEY)
    httpserver.expect_oneshot_request("/spec.json", method="GET").respond_with_json(
        the_next_change(baseline())
    )
    result = run(httpserver.url_for("/spec.json"))
    assert (result.code, result.changes) == (1, NEXT_CHANGE_LINES)
    request, _ = httpserver.log[0]
    # A SOURCE URL may be anyone's: the key only ever goes to the SDK's own service.
    assert "Authorization" not in request.headers


def test_the_default_source_is_the_services_openapi_json(
    run: Callable[..., Run], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_API_KEY", API_KEY)
    httpserver.expect_oneshot_request("/openapi.json", method="GET").respond_with_json(baseline())
    result = run("--base-url", httpserver.url_for("/"))
    assert (result.code, result.changes) == (0, [])
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in result.out + result.err


def test_the_default_base_url_comes_from_the_environment(
    run: Callable[..., Run], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_BASE_URL", httpserver.url_for(""))
    httpserver.expect_oneshot_request("/openapi.json").respond_with_json(
        the_next_change(baseline())
    )
    result = run()
    assert (result.code, result.changes) == (1, NEXT_CHANGE_LINES)
    request, _ = httpserver.log[0]
    assert "Authorization" not in request.headers  # no key set: none needed


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def served(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    httpserver.expect_request("/missing.json").respond_with_data("no", status=404)
    httpserver.expect_request("/page.html").respond_with_data("<html>", content_type="text/html")
    httpserver.expect_request("/list.json").respond_with_json([1, 2])
    return httpserver


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("unreachable", "cannot fetch http://127.0.0.1:{port}/openapi.json: "),
        ("/missing.json", "cannot fetch {url}/missing.json: HTTP 404 NOT FOUND"),
        ("/page.html", "{url}/page.html is not a JSON document: "),
        ("/list.json", "{url}/list.json is not an OpenAPI document"),
        ("file", "cannot read {tmp}/absent.json: No such file or directory"),
        ("not json file", "{tmp}/bad.json is not a JSON document: "),
    ],
)
def test_a_source_that_cannot_be_read_is_one_error_line_and_status_2(
    source: str,
    message: str,
    run: Callable[..., Run],
    served: HTTPServer,
    tmp_path: Path,
) -> None:
    port = _closed_port()
    (tmp_path / "bad.json").write_text("{not json")
    argument = {
        "unreachable": f"http://127.0.0.1:{port}/openapi.json",
        "file": str(tmp_path / "absent.json"),
        "not json file": str(tmp_path / "bad.json"),
    }.get(source, served.url_for(source))
    result = run(argument)
    assert result.code == 2
    expected = message.format(port=port, url=served.url_for("").rstrip("/"), tmp=tmp_path)
    assert result.error_line().startswith(f"error: {expected}"), result.err
    assert result.out == ""


def test_a_broken_baseline_or_reference_is_status_2(
    run: Callable[..., Run], write: Callable[[Document], str], tmp_path: Path
) -> None:
    result = run("--baseline", str(tmp_path / "none.json"), write(baseline()))
    assert result.code == 2
    assert "cannot read" in result.error_line()
    document = baseline()
    schemas(document)["Orbit"]["properties"]["role"] = {"$ref": "#/components/schemas/Nope"}
    result = run(write(document))
    assert result.code == 2
    assert "unresolvable $ref #/components/schemas/Nope" in result.error_line()


def test_a_bad_base_url_is_a_usage_error(run: Callable[..., Run]) -> None:
    result = run("--base-url", "ftp://example.com")
    assert result.code == 2
    assert "--base-url" in result.error_line()  # the option, not the SDK parameter


def test_the_console_script_prints_one_line_on_error(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "dataforce"
    absent = tmp_path / "absent.json"
    completed = subprocess.run(
        [str(script), "spec", "diff", str(absent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr == f"error: cannot read {absent}: No such file or directory\n"


# --------------------------------------------------------------------------- --save


def test_save_makes_the_current_document_the_baseline(
    run: Callable[..., Run], write: Callable[[Document], str], tmp_path: Path
) -> None:
    kept = tmp_path / "baseline.json"
    kept.write_bytes(BASELINE.read_bytes())
    current = write(the_next_change(baseline()))
    result = run("--baseline", str(kept), "--save", current)
    assert (result.code, result.changes) == (0, NEXT_CHANGE_LINES)
    assert result.err == f"saved {current} as the baseline: {kept}\n"
    assert json.loads(kept.read_text()) == the_next_change(baseline())
    again = run("--baseline", str(kept), current)
    assert (again.code, again.changes) == (0, [])


def test_the_shipped_baseline_is_stored_as_save_writes_it() -> None:
    # So that `--save` of an unchanged document leaves no diff in git.
    text = BASELINE.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- scope


def test_the_used_operations_are_the_specs_that_the_facade_sends() -> None:
    """The operations compared are openapi.yaml's (method, path) of every operation the
    facade sends; each is in the baseline at that very path."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    ours = {
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get("operationId") in USED
    }
    assert set(used_operations()) == ours
    assert len(ours) == len(USED)
    for method, path in ours:
        assert method in baseline()["paths"][path]


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def _read_by_the_diff(document: Document) -> set[tuple[Any, ...]]:
    """Where the diff reads: the used operations' path items (``("paths", path)``) and
    the components they reach (``("components", kind, name)``)."""
    read: set[tuple[Any, ...]] = {("paths", path) for _, path in used_operations()}
    pending: list[Any] = [document["paths"][key[1]] for key in read]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                kind, name = ref.split("/")[2:4]
                if ("components", kind, name) not in read:
                    read.add(("components", kind, name))
                    pending.append(document["components"][kind][name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return read


def test_any_malformed_document_is_a_spec_error_or_a_diff() -> None:
    """The current document is untrusted: each node of the parts the diff reads, replaced
    by a value of a wrong shape (the shapes taken in turn), gives changes or a SpecError —
    never another exception (which the command would print as a traceback)."""
    text = BASELINE.read_text(encoding="utf-8")
    original = json.loads(text)
    prose = {"title", "description", "summary", "example"}
    read = _read_by_the_diff(original)
    relevant = [
        path
        for path in _nodes(original)
        if (path[:2] in read or path[:3] in read) and not prose & set(path)
    ]
    shapes: list[Any] = [None, 7, "x", [], {}]
    for number, path in enumerate(relevant):
        document = json.loads(text)
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = shapes[number % len(shapes)]
        with contextlib.suppress(SpecError):
            diff(original, document)
    assert len(relevant) > 400
