"""``dataforce spec diff`` on a hostile document or server: whatever it is given, the
command ends soon, in little memory, with a diff or one ``error:`` line (status 2) —
never a traceback. Bounded: the fetch's time in all (``--timeout``, default 30 s), the
document's size once decoded (16 MiB) and nesting (64 levels), and the comparison's work
(``MAX_STEPS``; each ``$ref``'s alternatives computed once, operations looked up in an
index).

Servers are raw sockets (``tests/hostile.py``); what would eat the machine's memory
without the bounds runs in a child process under ``RLIMIT_AS``, and every test has a
time limit of its own.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dataforce._spec_diff import BASELINE, MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_SIZE, MAX_STEPS
from tests._paths import template
from tests._spec_diff_cli import CONNECTION_VARIABLES, Document, Run, runner, writer

from .hostile import HostileServer, Received, answer

ORBIT = template("get_orbit")


@pytest.fixture(autouse=True)
def _no_connection_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CONNECTION_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    return runner(capsys)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[Document], str]:
    return writer(tmp_path)


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def baseline() -> Document:
    document: Document = json.loads(BASELINE.read_text(encoding="utf-8"))
    return document


def schemas(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# --------------------------------------------------------------------------- the comparison


def _fanning_out(levels: int) -> Document:
    """``Orbit.x``: A0, where each Ai and Bi is anyOf [A(i+1), B(i+1)]: 2**levels ways
    down to two schemas, in a few KB."""
    document = baseline()
    schemas(document)["Orbit"]["properties"]["x"] = _ref("A0")
    for i in range(levels):
        schemas(document)[f"A{i}"] = {"anyOf": [_ref(f"A{i + 1}"), _ref(f"B{i + 1}")]}
        schemas(document)[f"B{i}"] = {"anyOf": [_ref(f"A{i + 1}"), _ref(f"B{i + 1}")]}
    schemas(document)[f"A{levels}"] = {"type": "string"}
    schemas(document)[f"B{levels}"] = {"type": "integer"}
    return document


@pytest.mark.timeout(20)
def test_refs_that_fan_out_are_followed_once_each(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    # 24 levels: 16 million ways through, which took exponential time (each way was
    # followed, for every label and comparison); 48 levels of anyOf and $ref, within the
    # 50 the comparison allows.
    current = write(_fanning_out(24))
    result = run(current)
    assert (result.code, result.err) == (1, "")
    assert result.changes == ["additive  Orbit.x: property added (A24|B24, optional)"]
    itself = run("--baseline", current, current)
    assert (itself.code, itself.changes, itself.err) == (0, [], "")


def _inlined_fanning_out(document: Document) -> None:
    """``Orbit.x``: allOf [P0, Empty], where each Pi has two properties that are allOf
    [P(i+1), Empty] again. An allOf is compared as the one object it makes, at every
    place that inlines it: 2**40 properties to compare, rightly each on its own."""
    schemas(document)["Empty"] = {"type": "object", "properties": {}}
    schemas(document)["Orbit"]["properties"]["x"] = {"allOf": [_ref("P0"), _ref("Empty")]}
    for i in range(40):
        inlined = {"allOf": [_ref(f"P{i + 1}"), _ref("Empty")]}
        properties = {"p": inlined, "q": copy.deepcopy(inlined)}
        schemas(document)[f"P{i}"] = {"type": "object", "properties": properties}
    schemas(document)["P40"] = {"type": "string"}


def _its_own_alternative(document: Document) -> None:
    schemas(document)["Orbit"]["properties"]["x"] = _ref("A")
    schemas(document)["A"] = {"anyOf": [_ref("A"), _ref("A")]}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            _inlined_fanning_out,
            f"the baseline is too complex to compare (more than {MAX_STEPS:,} steps",
        ),
        (_its_own_alternative, "the baseline: $ref cycle at #/components/schemas/A"),
    ],
    ids=["inlined allOfs", "a schema among its own anyOf"],
)
@pytest.mark.timeout(30)
def test_a_comparison_that_would_not_end_is_one_error_line(
    edit: Callable[[Document], None],
    message: str,
    run: Callable[..., Run],
    write: Callable[[Document], str],
) -> None:
    document = baseline()
    edit(document)
    current = write(document)
    started = time.monotonic()
    result = run("--baseline", current, current)
    assert result.code == 2
    assert result.error_line().startswith(f"error: {message}")
    assert result.out == ""
    assert time.monotonic() - started < 20


def _operations_beneath_the_orbit(prefix: str, count: int) -> Document:
    document = baseline()
    for number in range(count):
        document["paths"][f"{ORBIT}/{prefix}{number}"] = {"get": {"responses": {}}}
    return document


@pytest.mark.timeout(30)
def test_many_operations_cost_their_number_not_its_square(
    run: Callable[..., Run], write: Callable[[Document], str]
) -> None:
    # Each operation beneath the SDK's paths is looked for in the other document; by
    # scanning every operation there, 20,000 on each side took 400 million comparisons.
    count = 20_000
    old = write(_operations_beneath_the_orbit("w", count))
    new = write(_operations_beneath_the_orbit("z", count))
    started = time.monotonic()
    result = run("--baseline", old, new)
    assert (result.code, result.err) == (1, "")
    assert len(result.changes) == count
    assert result.changes[-1] == f"additive  GET {ORBIT}/z{count - 1}: operation added"
    assert time.monotonic() - started < 15


# --------------------------------------------------------------------------- the document


def _nested(levels: int) -> Document:
    """The baseline with a value nested ``levels`` deep where the comparison never looks
    (an example), so that the document nests 6 + ``levels`` deep in all."""
    document = baseline()
    example: Any = []
    for _ in range(levels - 1):
        example = [example]
    schemas(document)["Orbit"]["properties"]["x"] = {"example": example}
    return document


def test_a_document_nested_deeper_than_the_bound_is_refused_before_it_is_parsed(
    run: Callable[..., Run], write: Callable[[Document], str], tmp_path: Path
) -> None:
    at_the_bound = run(write(_nested(MAX_DOCUMENT_DEPTH - 6)))
    assert at_the_bound.changes == ["additive  Orbit.x: property added (any, optional)"]
    deeper = write(_nested(MAX_DOCUMENT_DEPTH - 5))
    message = (
        f"error: {deeper} nests more than {MAX_DOCUMENT_DEPTH} levels deep (arrays and objects)"
    )
    result = run(deeper)
    assert (result.code, result.error_line(), result.out) == (2, message, "")
    # Far deeper than json.loads can recurse: the same bound, the same line.
    bomb = tmp_path / "bomb.json"
    bomb.write_text(json.dumps(baseline())[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = run("--baseline", str(bomb), write(baseline()))
    expected = (
        f"error: {bomb} nests more than {MAX_DOCUMENT_DEPTH} levels deep (arrays and objects)"
    )
    assert (result.code, result.error_line()) == (2, expected)


def test_a_file_larger_than_the_bound_is_refused(run: Callable[..., Run], tmp_path: Path) -> None:
    document = baseline()
    document["info"]["description"] = ""
    padding = MAX_DOCUMENT_SIZE - len(json.dumps(document))
    document["info"]["description"] = "x" * padding
    at_the_bound = tmp_path / "at.json"
    at_the_bound.write_text(json.dumps(document))
    assert at_the_bound.stat().st_size == MAX_DOCUMENT_SIZE
    assert run(str(at_the_bound)).code == 0
    document["info"]["description"] += "x"
    larger = tmp_path / "larger.json"
    larger.write_text(json.dumps(document))
    result = run(str(larger))
    assert result.code == 2
    assert result.error_line() == f"error: cannot read {larger}: the document is larger than 16 MiB"


# --------------------------------------------------------------------------- the server


def _dripping(head: bytes, stop: threading.Event) -> HostileServer:
    """A server that sends ``head``, then one byte every 50 ms for as long as it is read:
    never slow enough to trip a read timeout."""

    def misbehave(connection: socket.socket, request: Received) -> None:
        connection.sendall(head)
        try:
            while not stop.wait(0.05):
                connection.sendall(b" ")
        except OSError:
            pass

    return HostileServer(misbehave)


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-Slow: ",
    ],
    ids=["body", "headers"],
)
@pytest.mark.timeout(30)
def test_a_dripping_server_cannot_stretch_the_fetch(
    head: bytes, run: Callable[..., Run], stop: threading.Event
) -> None:
    server = _dripping(head, stop)
    try:
        url = f"{server.url}/openapi.json"
        started = time.monotonic()
        result = run("--timeout", "1", url)
        elapsed = time.monotonic() - started
        assert result.code == 2
        assert result.error_line() == f"error: cannot fetch {url}: no complete answer within 1 s"
        assert elapsed < 3  # the deadline, plus scheduling slack
        assert server.paths() == [("GET", "/openapi.json")]
    finally:
        server.close()


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "3601", "soon"])
def test_the_timeout_is_a_number_of_seconds(value: str, run: Callable[..., Run]) -> None:
    result = run("--timeout", value, str(BASELINE))
    assert result.code == 2
    assert "not a number of seconds from 0 to 3600" in result.err
    assert "Traceback" not in result.err


# Runs the command in a process of its own whose address space is capped: without the
# bounds, what these servers send ends in a MemoryError traceback there (or with no cap,
# in the machine's memory filling up).
_MEMORY_LIMIT = 256 << 20
_CAPPED = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from dataforce.cli import main
    raise SystemExit(main(["spec", "diff", *sys.argv[2:]]))
    """
)


def _capped(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        env.pop(name, None)
        env.pop(name.lower(), None)
    return subprocess.run(
        [sys.executable, "-c", _CAPPED, str(_MEMORY_LIMIT), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _endless_chunks(connection: socket.socket, stop: threading.Event) -> None:
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    try:
        while not stop.is_set():
            connection.sendall(chunk)
    except OSError:
        pass


def _endless_body(stop: threading.Event) -> HostileServer:
    def misbehave(connection: socket.socket, request: Received) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        _endless_chunks(connection, stop)

    return HostileServer(misbehave)


def _gzip_bomb(stop: threading.Event) -> HostileServer:
    """2 GiB of zeros in about 2 MiB of gzip: one compressed block of 1 MiB of zeros
    repeated (a full flush makes every such block the same), never held inflated."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    blocks = 2047
    length = len(header) + len(first) + blocks * len(block)

    def misbehave(connection: socket.socket, request: Received) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            b"Content-Length: %d\r\n\r\n" % length + header + first
        )
        try:
            for _ in range(blocks):
                if stop.is_set():
                    return
                connection.sendall(block)
        except OSError:
            pass

    return HostileServer(misbehave)


@pytest.mark.parametrize("make", [_endless_body, _gzip_bomb], ids=["endless", "gzip bomb"])
@pytest.mark.timeout(90)
def test_a_body_beyond_the_size_bound_stops_there(
    make: Callable[[threading.Event], HostileServer], stop: threading.Event
) -> None:
    server = make(stop)
    try:
        url = f"{server.url}/openapi.json"
        proc = _capped(url)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == f"error: cannot fetch {url}: the document is larger than 16 MiB\n"
        assert server.paths() == [("GET", "/openapi.json")]
    finally:
        server.close()


@pytest.mark.timeout(90)
def test_a_redirects_body_is_never_read(stop: threading.Event) -> None:
    # httpx reads the body of each redirect it follows in full: endless here.
    document = BASELINE.read_bytes()

    def misbehave(connection: socket.socket, request: Received) -> None:
        if request.path == "/openapi.json":
            connection.sendall(
                b"HTTP/1.1 302 Found\r\nLocation: /v2/openapi.json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            _endless_chunks(connection, stop)
        else:
            answer(connection, 200, document)

    server = HostileServer(misbehave)
    try:
        url = f"{server.url}/openapi.json"
        proc = _capped(url)
        assert (proc.returncode, proc.stderr) == (0, "")
        assert proc.stdout.startswith("no change in the operations and schemas the SDK uses")
        assert server.paths() == [("GET", "/openapi.json"), ("GET", "/v2/openapi.json")]
    finally:
        server.close()


@pytest.mark.timeout(90)
def test_an_endless_file_stops_at_the_size_bound() -> None:
    proc = _capped("/dev/zero")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "error: cannot read /dev/zero: the document is larger than 16 MiB\n"
