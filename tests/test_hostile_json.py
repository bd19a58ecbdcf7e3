"""Hostile JSON: a body nested deeper than the SDK's limit, or holding NaN / Infinity,
is a typed error on every decoding path — a list, a get, a client's construction, an
error status's body, the command line — never a RecursionError, never a model whose
``to_dict()`` is not JSON. Sync and async."""

from __future__ import annotations

import json

import pytest

from dataforce.api import APIResponseValidationError, BadRequestError

from .conftest import (
    ORBIT_ID,
    ORBIT_PATH,
    ORBITS_PATH,
    ORGS_PATH,
    Connect,
    FakeService,
    configure_and_use,
    orbit_json,
)
from .test_hostile_cli import _env, _one_error_line, _run

MAX_DEPTH = 64  # the README's limit: deeper is refused, this deep is accepted


def _nested(levels: int) -> str:
    """JSON arrays ``levels`` deep."""
    return "[" * levels + "]" * levels


def _orbit_with(field: str, raw_json: str) -> str:
    """An orbit as the service sends it, plus ``field`` holding ``raw_json`` verbatim."""
    return json.dumps(orbit_json())[:-1] + f', "{field}": {raw_json}}}'


# A 10 KB body 5,000 levels deep, in a field the SDK ignores: msgspec and the json module
# both raise RecursionError on it.
BOMB = "[" + _orbit_with("ignored", _nested(5000)) + "]"


def _respond(service: FakeService, path: str, body: str, status: int = 200, times: int = 1) -> None:
    for _ in range(times):
        service.once(path).respond_with_data(body, status=status, content_type="application/json")


def test_a_nesting_bomb_in_a_list_is_a_validation_error(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    _respond(service, ORBITS_PATH, BOMB)
    with pytest.raises(APIResponseValidationError, match=f"nested more than {MAX_DEPTH} levels"):
        dfs.orbits.list()


def test_a_nesting_bomb_in_a_get_is_a_validation_error(
    connect: Connect, service: FakeService
) -> None:
    dfs = connect()
    body = _orbit_with("members", "[]")[:-1] + f', "ignored": {_nested(5000)}}}'
    _respond(service, ORBIT_PATH, body)
    with pytest.raises(APIResponseValidationError, match="nested more than"):
        dfs.orbits.get(ORBIT_ID)


def test_a_nesting_bomb_while_the_client_resolves_its_defaults(
    connect: Connect, service: FakeService
) -> None:
    bomb = json.dumps([{"id": ORBIT_ID, "name": "x"}])[:-2] + f', "x": {_nested(5000)}}}]'
    _respond(service, ORGS_PATH, bomb)
    with pytest.raises(APIResponseValidationError, match="nested more than"):
        configure_and_use(connect)


@pytest.mark.parametrize("before", [0, 200], ids=["alone", "after-80-KB"])
@pytest.mark.parametrize("where", ["ignored", "permissions", "objects"])
def test_the_limit_is_exact_wherever_the_depth_is(
    connect: Connect, service: FakeService, where: str, before: int
) -> None:
    # A list (1) of orbits (2): what a field holds adds its own levels. After 200 plain
    # orbits, the deep one lies beyond the pieces the body's braces are counted in.
    dfs = connect()
    plain = json.dumps(orbit_json()) + ", "

    def body(levels: int) -> str:
        if where == "ignored":
            value = _nested(levels)
        elif where == "permissions":
            value = '{"a": ' + _nested(levels - 1) + "}"
        else:  # objects only: no array beyond the list's own
            value = '{"a": ' * levels + "1" + "}" * levels
        return "[" + plain * before + _orbit_with(where, value) + "]"

    inner = MAX_DEPTH - 2
    _respond(service, ORBITS_PATH, body(inner))
    assert len(dfs.orbits.list()) == before + 1  # MAX_DEPTH deep: accepted
    _respond(service, ORBITS_PATH, body(inner + 1))
    with pytest.raises(APIResponseValidationError, match="nested more than"):
        dfs.orbits.list()


def test_brackets_inside_strings_do_not_count(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    name = '[{"\\' * 40
    orbits = [orbit_json(name=name, permissions={"note": "]" * 300 + "[" * 300})] * 3
    _respond(service, ORBITS_PATH, json.dumps(orbits))
    assert [orbit.name for orbit in dfs.orbits.list()] == [name] * 3


@pytest.mark.parametrize("text", ["]" * 100, "[" * 100, "[]" * 100])
def test_brackets_inside_strings_hide_no_depth(
    connect: Connect, service: FakeService, text: str
) -> None:
    """A name of brackets before a value one level too deep: the depth is still found
    (the strings are taken out before the brackets are counted)."""
    dfs = connect()
    deep = _nested(MAX_DEPTH - 2 + 1)  # one level beyond, in an ignored field
    body = json.dumps([orbit_json(name=text)])[:-2] + f', "ignored": {deep}}}]'
    _respond(service, ORBITS_PATH, body)
    with pytest.raises(APIResponseValidationError, match="nested more than"):
        dfs.orbits.list()


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5000])
def test_a_deep_error_body_is_kept_as_text(
    connect: Connect, service: FakeService, levels: int
) -> None:
    dfs = connect()
    body = '{"detail": ' + _nested(levels) + "}"
    _respond(service, ORBITS_PATH, body, status=400)
    with pytest.raises(BadRequestError) as caught:
        dfs.orbits.list()
    assert caught.value.body == body


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_are_contract_errors(
    connect: Connect, service: FakeService, constant: str
) -> None:
    # msgspec refuses NaN; the json module, which reads what msgspec cannot (a lone
    # surrogate escape), must too. The lone surrogate sends the body down that path.
    dfs = connect()
    body = "[" + _orbit_with("permissions", '{"n": "\\ud800", "score": ' + constant + "}") + "]"
    _respond(service, ORBITS_PATH, body)
    with pytest.raises(APIResponseValidationError):
        dfs.orbits.list()


def test_to_dict_is_always_strict_json(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    body = "[" + _orbit_with("permissions", '{"score": 1.5e300, "n": "\\ud800"}') + "]"
    _respond(service, ORBITS_PATH, body)
    (orbit,) = dfs.orbits.list()
    json.dumps(orbit.to_dict(), allow_nan=False)


def test_a_nan_error_body_is_kept_as_text(connect: Connect, service: FakeService) -> None:
    dfs = connect()
    _respond(service, ORBITS_PATH, '{"detail": NaN}', status=400)
    with pytest.raises(BadRequestError) as caught:
        dfs.orbits.list()
    assert caught.value.body == '{"detail": NaN}'


@pytest.mark.parametrize(
    "body",
    [BOMB, "[" + _orbit_with("permissions", '{"x": NaN, "n": "\\ud800"}') + "]"],
    ids=["nesting-bomb", "nan"],
)
def test_the_command_line_prints_one_error_line(service: FakeService, body: str) -> None:
    _respond(service, ORBITS_PATH, body, times=2)
    proc = _run(["--json", "orbits", "list"], _env(service))
    assert proc.returncode == 1
    assert "NaN" not in proc.stdout
    _one_error_line(proc)
