"""The API reference (docs/reference/, ``make docs``): up to date with the docstrings, it
documents every method each view derives, and every example it shows runs as written.

Each example runs against a local server seeded with the world the reference describes
(``reference.WORLD``), over real HTTP, after the setup the pages show; its output must be
what the example says (``doctest``'s comparison, ``...`` allowed), an exception only where
the example shows its traceback.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import doctest
import inspect
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dataforce.api import _resource
from dataforce.testing import LocalDataForce

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import reference  # noqa: E402

PAGES = reference.walk()
EXAMPLES = list(reference.examples(PAGES))
CHECKER = doctest.OutputChecker()
FLAGS = doctest.ELLIPSIS


def run_example(text: str, namespace: dict[str, Any], runner: asyncio.Runner | None) -> None:
    """Run each ``>>>`` statement of ``text`` as the interactive interpreter would (an
    expression's value printed), ``await`` at the top level in ``runner``'s loop, and
    check what it printed or raised against what the example shows."""
    for example in doctest.DocTestParser().get_examples(text):
        code = compile(example.source, "<example>", "single", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        printed = io.StringIO()
        raised: BaseException | None = None
        with contextlib.redirect_stdout(printed):
            try:
                result = eval(code, namespace)  # the reference's own examples
                if code.co_flags & inspect.CO_COROUTINE:
                    assert runner is not None, f"an await in a sync example: {example.source}"
                    runner.run(result)
            except Exception as error:
                raised = error
        if example.exc_msg is None:
            if raised is not None:
                raise AssertionError(f"{example.source} raised {raised!r}") from raised
            got = printed.getvalue()
            if not CHECKER.check_output(example.want, got, FLAGS):
                raise AssertionError(f"{example.source}shows:\n{example.want}printed:\n{got}")
        else:
            if raised is None:
                raise AssertionError(f"{example.source} raised nothing")
            got = f"{type(raised).__qualname__}: {raised}\n"
            if not CHECKER.check_output(example.exc_msg, got, FLAGS):
                raise AssertionError(f"{example.source}shows:\n{example.exc_msg}raised:\n{got}")


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalDataForce]:
    """A local server holding what the reference says the examples run against."""
    w = reference.WORLD
    server = LocalDataForce(
        organization_id=w.organization_id,
        bucket_secret_id=w.bucket_secret_id,
        orbit_id=w.orbit_id,
        validate_responses=True,
    )
    for name, orbit_id in w.orbits:
        server.add_orbit(w.organization_id, name, orbit_id=orbit_id)
    for name, value in w.orbit_secrets:
        server.add_orbit_secret(w.orbit_id, name, value)
    for variable in ("DFS_ORGANIZATION", "DFS_ORBIT", "DFS_LOG"):
        monkeypatch.delenv(variable, raising=False)
    with server:
        monkeypatch.setenv("DFS_BASE_URL", server.base_url)
        monkeypatch.setenv("DFS_API_KEY", server.api_key)
        yield server
    assert server.spec_violations == []
    assert server.request_violations == []


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.test_id for e in EXAMPLES])
def test_example_runs_as_written(example: reference.Example, world: LocalDataForce) -> None:
    namespace: dict[str, Any] = {}
    if not example.is_async:
        exec(reference.SETUP, namespace)  # the setup the pages show
        with namespace["dfs"]:
            run_example(example.text, namespace, None)
    else:
        with asyncio.Runner() as runner:
            exec(reference.ASYNC_SETUP, namespace)
            try:
                run_example(example.text, namespace, runner)
            finally:
                runner.run(namespace["dfs"].close())


def test_an_example_that_shows_what_does_not_happen_fails(world: LocalDataForce) -> None:
    namespace: dict[str, Any] = {}
    exec(reference.SETUP, namespace)
    with namespace["dfs"] as dfs:
        wrong_output = ">>> dfs.orbits.get(\"Default Orbit\").name\n'Old Orbit'\n"
        with pytest.raises(AssertionError, match="printed:\n'Default Orbit'"):
            run_example(wrong_output, namespace, None)
        unexpected_error = ">>> dfs.orbits.delete(dfs.orbit)\n"
        with pytest.raises(AssertionError, match="DefaultOrbitDeletionError"):
            run_example(unexpected_error, namespace, None)
        missing_error = (
            ">>> dfs.orbits.list()[0].name\n"
            "Traceback (most recent call last):\n    ...\nNotFoundError: nope\n"
        )
        with pytest.raises(AssertionError, match="raised nothing"):
            run_example(missing_error, namespace, None)
        assert dfs.orbits.get(dfs.orbit) is not None  # nothing was deleted


def test_the_pages_are_up_to_date_with_the_docstrings() -> None:
    wanted = reference.pages()
    written = {path: path.read_text(encoding="utf-8") for path in reference.OUT.glob("*.md")}
    stale = sorted(
        str(path.relative_to(ROOT))
        for path in wanted.keys() | written.keys()
        if wanted.get(path) != written.get(path)
    )
    assert not stale, f"out of date (run `make docs`): {stale}"


def _section(page: str, heading: str) -> str:
    text = (reference.OUT / f"{page}.md").read_text(encoding="utf-8")
    _, found, rest = text.partition(f"\n## {heading}\n")
    assert found, f"{page}.md has no section {heading}"
    return rest.split("\n## ", 1)[0]


@pytest.mark.parametrize(
    ("view", "define", "returns"),
    [
        ("OrbitResource", "def", "{}"),
        ("AsyncOrbitResource", "async def", "{}"),
        ("OrbitResourceWithRawResponse", "def", "RawResponse[{}]"),
        ("AsyncOrbitResourceWithRawResponse", "async def", "RawResponse[{}]"),
    ],
)
def test_every_view_documents_every_operation_as_it_is_called(
    view: str, define: str, returns: str
) -> None:
    """The views write out none of their methods: each is derived from a declaration,
    and documented with the signature and an example of that view."""
    from dataforce.api.resources import orbits

    cls = getattr(orbits, view)
    declared = _resource.operations(orbits.OrbitResourceBase)
    assert declared == _resource.operations(cls)
    assert {"get", "list", "create", "update", "delete"} <= set(declared)
    section = _section("orbits", view)
    ids = {e.test_id for e in EXAMPLES}
    for name in declared:
        returned = inspect.signature(getattr(orbits.OrbitResourceBase, name)).return_annotation
        shown = returns.format(str(returned).replace("builtins.", ""))
        assert f"#### {name}\n\n```python\n{define} {name}(" in section
        assert f") -> {shown}\n```" in section, (name, shown)
        assert f"{view}.{name}" in ids, f"{view}.{name} has no example"


def test_every_public_name_is_on_a_page() -> None:
    import dataforce.api

    documented = {entry.name for page in PAGES for entry in page.classes}
    assert set(dataforce.api.__all__) <= documented
    for name in ("DataForceClient", "AsyncDataForceClient", "Orbit", "OrbitDetails"):
        assert name in documented
    assert "#### with_options" in _section("clients", "AsyncDataForceClient")
    orbit = _section("models", "Orbit")
    assert "**Attributes**:\n\n- `" in orbit
    assert "\n- `id`: `UUIDText`" in orbit
