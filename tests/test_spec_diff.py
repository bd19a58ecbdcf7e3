"""``dataforce spec diff``: the service's document against the baseline, change by change.

Every current document is built here from the shipped baseline (deep copy + edit), so each
test names exactly the change it makes. The command runs in-process through
``dataforce.cli.main`` (an escaping exception fails the test, so "no traceback" is
checked by every test), once as the installed console script.
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

from dataforce._spec_diff import BASELINE, USED_OPERATIONS, Change, SpecError, diff
from dataforce.cli import main

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "dfs_" + "s" * 43
ORBITS = "/organizations/{organization_id}/orbits"
ORBIT = "/organizations/{organization_id}/orbits/{orbit_id}"
NULLABLE_INT = {"anyOf": [{"type": "integer"}, {"type": "null"}]}

Document = dict[str, Any]


@pytest.fixture(autouse=True)
def _no_connection_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DFS_BASE_URL", "DFS_API_KEY", "DFS_ORGANIZATION", "DFS_ORBIT"):
        monkeypatch.delenv(name, raising=False)


def baseline() -> Document:
    document: Document = json.loads(BASELINE.read_text(encoding="utf-8"))
    return document


def schemas(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def the_next_change(document: Document) -> Document:
    """The service's real next change: new counters on orbits, tags on orbit details."""
    for name in ("Orbit", "OrbitDetails"):
        properties = schemas(document)[name]["properties"]
        properties["total_satellites"] = {**NULLABLE_INT, "title": "Total Satellites"}
        properties["total_artifacts"] = {**NULLABLE_INT, "title": "Total Artifacts"}
    schemas(document)["OrbitDetails"]["properties"]["collections_tags"] = {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
        "title": "Collections Tags",
    }
    return document


NEXT_CHANGE_LINES = [
    "additive  Orbit.total_satellites: property added (integer|null, optional)",
    "additive  Orbit.total_artifacts: property added (integer|null, optional)",
    "additive  OrbitDetails.total_satellites: property added (integer|null, optional)",
    "additive  OrbitDetails.total_artifacts: property added (integer|null, optional)",
    "additive  OrbitDetails.collections_tags: property added (array[string]|null, optional)",
]


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err
        self.changes = [
            line for line in out.splitlines() if line.startswith(("breaking ", "additive "))
        ]

    def error_line(self) -> str:
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("error: "), self.err
        assert "Traceback" not in self.out + self.err
        return lines[0]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*argv: str) -> Run:
        code = main(["spec", "diff", *argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[Document], str]:
    def write(document: Document) -> str:
        path = tmp_path / f"current-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return str(path)

    return write


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
    assert result.out.splitlines()[-1].startswith("0 breaking, 5 additive")


def _edit(path: str, method: str) -> Callable[[Document], dict[str, Any]]:
    return lambda document: document["paths"][path][method]


def _remove_response_property(document: Document) -> None:
    del schemas(document)["Orbit"]["properties"]["bucket_secret_id"]
    schemas(document)["Orbit"]["required"].remove("bucket_secret_id")


def _new_required_request_property(document: Document) -> None:
    schemas(document)["OrbitCreateIn"]["properties"]["region"] = {"type": "string"}
    schemas(document)["OrbitCreateIn"]["required"].append("region")


def _type_change(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["total_members"] = {"type": "string"}


def _nullable_response_property(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["name"] = {"type": ["string", "null"]}


def _format_change(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["organization_id"] = {"type": "string"}


def _remove_operation(document: Document) -> None:
    del document["paths"][ORBIT]["delete"]


def _move_operation(document: Document) -> None:
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
        ["OrbitCreateIn.region: property added (string, required)"],
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
    "moved operation": (_move_operation, [f"DELETE {ORBIT}: moved to DELETE /orbits/{{orbit_id}}"]),
    "removed status": (_remove_status, [f"GET {ORBITS}: status 403 removed"]),
    "new success status": (_new_success_status, [f"POST {ORBITS}: status 201 added"]),
    "new enum value in a response": (
        _response_enum_value,
        ['OrgRole: enum values added: "guest"'],
    ),
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
    _edit(ORBITS, "get")(document)["responses"]["429"] = {"description": "Too many requests"}


def _new_operation_on_a_used_path(document: Document) -> None:
    document["paths"][ORBIT]["put"] = {"operationId": "replace_orbit", "responses": {}}


def _new_optional_parameter(document: Document) -> None:
    _edit(ORBITS, "get")(document)["parameters"].append(
        {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    )


def _request_property_may_be_null(document: Document) -> None:
    schemas(document)["OrbitCreateIn"]["properties"]["name"] = {"type": ["string", "null"]}


ADDITIVE = {
    "new optional request property": (
        _optional_request_property,
        "OrbitCreateIn.color: property added (string, optional)",
    ),
    "response property no longer nullable": (
        _response_property_narrowed,
        "Orbit.total_members: type integer|null -> integer",
    ),
    "new error status": (_new_error_status, f"GET {ORBITS}: status 429 added"),
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
    # a new value is harmless to send, but a strict client cannot read it.
    document = baseline()
    schemas(document)["OrbitRole"]["enum"].append("viewer")
    assert diff(baseline(), document) == [
        Change("breaking", "OrbitRole", 'enum values added: "viewer"')
    ]


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
    schemas(document)["BucketSecretOut"]["properties"]["extra"] = {"type": "string"}
    result = run(write(document))
    assert (result.code, result.changes) == (0, [])


def test_json_output_lists_the_changes(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    result = run("--json", write(the_next_change(baseline())))
    assert result.code == 1
    report = json.loads(result.out)
    assert [(c["kind"], c["where"]) for c in report["changes"]][:2] == [
        ("additive", "Orbit.total_satellites"),
        ("additive", "Orbit.total_artifacts"),
    ]
    assert len(report["changes"]) == 5


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
    assert "base_url" in result.error_line()


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


def test_the_used_operations_are_the_specs_apart_from_bucket_secrets() -> None:
    """USED_OPERATIONS (the service's operationIds) name exactly openapi.yaml's
    operations, by method and path; bucket secrets are not used by the SDK."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    ours = {
        (method, path)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
        if "bucket-secrets" not in path
    }
    theirs = {
        (method, path)
        for path, item in baseline()["paths"].items()
        for method, operation in item.items()
        if operation.get("operationId") in USED_OPERATIONS
    }
    assert len(theirs) == len(USED_OPERATIONS)
    assert theirs == ours


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def test_any_malformed_document_is_a_spec_error_or_a_diff() -> None:
    """The current document is untrusted: each node of the parts the diff reads, replaced
    by a value of a wrong shape (the shapes taken in turn), gives changes or a SpecError —
    never another exception (which the command would print as a traceback)."""
    text = BASELINE.read_text(encoding="utf-8")
    original = json.loads(text)
    prose = {"title", "description", "summary", "example"}
    relevant = [
        path
        for path in _nodes(original)
        if path and path[0] in ("paths", "components") and not prose & set(path)
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
    assert len(relevant) > 500
