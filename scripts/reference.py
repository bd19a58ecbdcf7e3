"""Write the API reference, docs/reference/*.md, from the package's docstrings.

    python scripts/reference.py           # (make docs) write the pages
    python scripts/reference.py --check   # exit 1, naming the stale pages, if they differ

Built from the runtime objects, not the source text: the package is imported and its
public classes walked with ``inspect``, so the methods a class derives rather than writes
out (the async and raw-response views of each ``@operation``) are documented like any
other, each with the signature and the example of that view. Docstrings are read in the
Google style (Args, Returns, Raises, Example, Note, Warning, Attributes; any other
``Title:`` followed by an indented list is rendered under its own title) and written in
the format of the docs site's pydoc-markdown pages: front matter, ``## Class``,
``#### method``, a ``python`` signature block, **Arguments**, **Returns**, **Raises**,
**Example**. Examples are fenced, so that ``>>>`` is not read as a quote.

Every example is executed by tests/test_reference.py, in the world :data:`WORLD`
describes (the pages say it too), so the reference cannot show a call that does not work.
Standard library only: the package itself is the input.
"""

from __future__ import annotations

import argparse
import ast
import doctest
import functools
import importlib
import inspect
import itertools
import pkgutil
import re
import sys
import textwrap
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "reference"

# -- the world the examples run in ------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """What the examples may name: the local server's seeded organization, bucket secret
    and orbit (the names ``LocalDataForce`` seeds, with these IDs), and more orbits."""

    organization: str
    organization_id: str
    bucket_secret_id: str
    orbit: str
    orbit_id: str
    #: Further orbits of the organization: (name, ID).
    orbits: tuple[tuple[str, str], ...]
    #: The default orbit's secrets: (name, value).
    orbit_secrets: tuple[tuple[str, str], ...]


WORLD = World(
    organization="My Organization",
    organization_id="0199c455-21ec-7c74-8efe-41470e29bae5",
    bucket_secret_id="0199c455-21ef-7d1c-8a3e-6b5f2c9d0e41",
    orbit="Default Orbit",
    orbit_id="0199c455-21ed-7aba-9fe5-5231611220de",
    orbits=(("Old Orbit", "0199c475-8339-70ec-b032-7b3f5d59fdc1"),),
    orbit_secrets=(("MLFLOW_TRACKING_TOKEN", "mlflow-token-for-the-examples"),),
)

#: What runs before each example: the sync one, and the async one for async classes.
SETUP = (
    "from dataforce.api import *\n"
    f'dfs = DataForceClient(organization="{WORLD.organization}", orbit="{WORLD.orbit}")\n'
)
ASYNC_SETUP = SETUP.replace("DataForceClient(", "AsyncDataForceClient(")

# -- the pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    slug: str
    title: str
    intro: str
    #: The modules whose public objects the page documents (a prefix: a package's too).
    modules: tuple[str, ...]


PAGES = (
    PageSpec(
        "clients",
        "dataforce.api: clients",
        "`from dataforce.api import DataForceClient, AsyncDataForceClient`",
        ("dataforce.api._client", "dataforce.api._async_client"),
    ),
    PageSpec(
        "orbits",
        "dataforce.api.resources.orbits",
        "Reached as `client.orbits` (and `client.orbits.with_raw_response`). Each operation "
        "is declared once; the sync, async and raw-response views below derive their "
        "methods from that declaration.",
        ("dataforce.api.resources.orbits", "dataforce.api._resource"),
    ),
    PageSpec(
        "models",
        "dataforce.api: models",
        "What the operations return: generated from `openapi.yaml` (`make generate`), "
        "immutable, hashable, picklable. `UUIDText` is a `str` holding a UUID, as the "
        "service sends it; `Timestamp` a timezone-aware `datetime`.",
        ("dataforce_openapi.models",),
    ),
    PageSpec(
        "responses",
        "dataforce.api: raw responses",
        "What the `with_raw_response` views return.",
        ("dataforce.api._response",),
    ),
    PageSpec(
        "errors",
        "dataforce.api: errors",
        "Everything the SDK raises derives from `DataForceAPIError`; "
        "`from dataforce.api import NotFoundError, ...`.",
        ("dataforce.api._exceptions",),
    ),
)

# -- docstrings -----------------------------------------------------------------------------

#: Google-style section titles, as the pages title them.
SECTIONS = {
    "Args": "Arguments",
    "Arguments": "Arguments",
    "Attributes": "Attributes",
    "Returns": "Returns",
    "Return": "Returns",
    "Raises": "Raises",
    "Example": "Example",
    "Examples": "Example",
    "Note": "Notes",
    "Notes": "Notes",
    "Warning": "Warnings",
    "Warnings": "Warnings",
}
LISTS = {"Arguments", "Attributes", "Raises"}
HEADER = re.compile(r"^([A-Z][A-Za-z -]*?)( \(.*\))?:$")
ITEM = re.compile(r"^(\*{0,2}[\w.]+)(?: \(([^)]*)\))?: (.*)$")
RETURN_TYPE = re.compile(r"^([\w.\[\], |]+): (.*)$")
ROLE = re.compile(r":(?:class|meth|func|attr|data|mod|exc|obj):`~?([^`]+)`")


@dataclass
class Section:
    title: str
    qualifier: str
    lines: list[str]


@dataclass
class Docstring:
    text: list[str]
    sections: list[Section]

    def section(self, title: str) -> Section | None:
        return next((s for s in self.sections if s.title == title), None)


def parse_docstring(doc: str | None) -> Docstring:
    """Split a docstring into its description and its sections. A section is a line
    ``Title:`` (or ``Title (qualifier):``) at the margin followed by indented lines."""
    lines = inspect.cleandoc(doc or "").splitlines()
    text: list[str] = []
    sections: list[Section] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        header = HEADER.match(line)
        following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
        if header and following.startswith(" "):
            body: list[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                body.append(lines[i])
                i += 1
            title = SECTIONS.get(header.group(1), header.group(1))
            qualifier = (header.group(2) or "").strip()
            sections.append(Section(title, qualifier, textwrap.dedent("\n".join(body)).split("\n")))
            continue
        if not sections:
            text.append(line)
        elif sections[-1].title:
            # Text after a section, at the margin: a paragraph of its own.
            sections.append(Section("", "", [line]))
        else:
            sections[-1].lines.append(line)
        i += 1
    return Docstring(_trim(text), [Section(s.title, s.qualifier, _trim(s.lines)) for s in sections])


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def prose(text: str) -> str:
    """reST markup as Markdown: ``code`` and :role:`target` become `code`."""
    return re.sub(r"``(.+?)``", r"`\1`", ROLE.sub(r"``\1``", text))


def render_items(lines: list[str]) -> list[str]:
    """``name: text`` items (continued by indented lines) as a Markdown list."""
    out: list[str] = []
    for line in lines:
        item = ITEM.match(line)
        if item and not line.startswith(" "):
            kind = f" ({item.group(2)})" if item.group(2) else ""
            out.append(f"- `{item.group(1)}`{kind} - {prose(item.group(3))}")
        elif not out:
            raise ValueError(f"a list section must start with 'name: text', not {line!r}")
        else:
            out.append("  " + prose(line.strip()) if line.strip() else "")
    return out


def render_section(section: Section, examples: str | None) -> list[str]:
    if not section.title:
        return [*(prose(line) for line in section.lines), ""]
    qualifier = f" {prose(section.qualifier)}" if section.qualifier else ""
    out = [f"**{section.title}**{qualifier}:", ""]
    if section.title == "Example":
        assert examples is not None
        out += ["```python", *examples.rstrip("\n").split("\n"), "```"]
    elif section.title in LISTS or (
        section.title not in SECTIONS.values() and ITEM.match(section.lines[0])
    ):
        out += render_items(section.lines)
    elif section.title == "Returns" and RETURN_TYPE.match(section.lines[0]):
        first = RETURN_TYPE.match(section.lines[0])
        assert first is not None
        out.append(f"- `{first.group(1)}` - {prose(first.group(2))}")
        out += ["  " + prose(line.strip()) if line.strip() else "" for line in section.lines[1:]]
    else:
        out += ["  " + prose(line) if line.strip() else "" for line in section.lines]
    return [*out, ""]


# -- signatures -----------------------------------------------------------------------------

WIDTH = 88


def annotation(value: Any) -> str:
    """An annotation as written in the source (the package postpones them: strings)."""
    if isinstance(value, typing.ForwardRef):
        value = value.__forward_arg__
    text = value if isinstance(value, str) else inspect.formatannotation(value)
    return text.replace("builtins.", "").replace("typing.", "")


def signature(
    prefix: str, name: str, func: Callable[..., Any], *, bound: bool, returns: str | None = None
) -> str:
    sig = inspect.signature(func)  # follows __wrapped__: a derived method's declaration
    params = list(sig.parameters.values())[1 if bound else 0 :]
    parts: list[str] = []
    for param in params:
        if (
            param.kind is param.KEYWORD_ONLY
            and "*" not in parts
            and not any(p.startswith("*") for p in parts)
        ):
            parts.append("*")
        stars: dict[inspect._ParameterKind, str] = {
            param.VAR_POSITIONAL: "*",
            param.VAR_KEYWORD: "**",
        }
        text = stars.get(param.kind, "") + param.name
        if param.annotation is not param.empty:
            text += f": {annotation(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {param.default!r}"
        parts.append(text)
        if param.kind is param.POSITIONAL_ONLY and (
            param is params[-1] or params[params.index(param) + 1].kind is not param.POSITIONAL_ONLY
        ):
            parts.append("/")
    if returns is None and sig.return_annotation is not sig.empty:
        returns = annotation(sig.return_annotation)
    tail = f" -> {returns}" if returns else ""
    line = f"{prefix} {name}({', '.join(parts)}){tail}"
    if len(line) <= WIDTH:
        return line
    inner = "".join(f"    {part},\n" for part in parts)
    return f"{prefix} {name}(\n{inner}){tail}"


# -- the walk -------------------------------------------------------------------------------


@dataclass
class Member:
    name: str
    signature: str
    doc: Docstring
    examples: str | None = None


@dataclass
class ClassDoc:
    cls: type
    header: str
    doc: Docstring
    is_async: bool
    fields_title: str = ""
    fields: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    examples: str | None = None

    @property
    def name(self) -> str:
        return self.cls.__name__


@dataclass
class Page:
    spec: PageSpec
    classes: list[ClassDoc]


@dataclass(frozen=True)
class Example:
    """An example as the reference shows it, and how the test runs it."""

    test_id: str
    is_async: bool
    text: str


def public_objects() -> list[Any]:
    """What users import: ``dataforce.api.__all__`` and each resource module's."""
    import dataforce.api
    import dataforce.api.resources

    found: dict[int, Any] = {}
    modules = [dataforce.api] + [
        importlib.import_module(f"dataforce.api.resources.{info.name}")
        for info in pkgutil.iter_modules(dataforce.api.resources.__path__)
    ]
    for module in modules:
        for name in module.__all__:
            obj = getattr(module, name)
            found.setdefault(id(obj), obj)
    return list(found.values())


def page_of(obj: Any) -> PageSpec:
    module = obj.__module__
    for spec in PAGES:
        if any(module == m or module.startswith(m + ".") for m in spec.modules):
            return spec
    raise SystemExit(
        f"{module}.{obj.__qualname__} is public but no page documents {module}: "
        "add it to PAGES in scripts/reference.py"
    )


def _ours(klass: type) -> bool:
    return klass.__module__.split(".")[0] in ("dataforce", "dataforce_openapi")


def _base_name(base: Any) -> str:
    return getattr(base, "__name__", None) or re.sub(r"~|typing\.", "", repr(base))


def _is_async(cls: type) -> bool:
    return any(
        inspect.iscoroutinefunction(getattr(cls, name, None))
        for name in dir(cls)
        if not name.startswith("_")
    )


def _view_kind(cls: type) -> tuple[bool, bool] | None:
    """``(is_async, is_raw)`` of a resource view; ``None`` for any other class."""
    from dataforce.api import _resource

    if not _resource.operations(cls):
        return None
    views = (_resource.SyncResource, _resource.AsyncResource, _resource.SyncRawResource)
    if not issubclass(cls, views):
        return None
    raw = issubclass(cls, _resource.SyncRawResource | _resource.AsyncRawResource)
    return issubclass(cls, _resource.AsyncResource), raw


def _member_names(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        if not _ours(klass):
            continue
        for name in klass.__dict__:
            if not name.startswith("_") and name not in names:
                names.append(name)
    return names


def _returned(member: Any) -> str:
    func = member.fget if isinstance(member, property) else member.func
    return annotation(func.__annotations__.get("return", ""))


def access_paths(classes: list[type]) -> dict[type, str]:
    """How an example reaches each class: ``dfs`` is a client; a property whose type is
    another documented class leads to it (``dfs.orbits``, ``dfs.orbits.with_raw_response``)."""
    from dataforce.api._base_client import ClientCore

    by_name = {cls.__name__: cls for cls in classes}
    paths = {cls: "dfs" for cls in classes if issubclass(cls, ClientCore)}
    todo = list(paths)
    while todo:
        cls = todo.pop()
        for name in _member_names(cls):
            member = inspect.getattr_static(cls, name)
            if isinstance(member, property | functools.cached_property):
                target = by_name.get(_returned(member))
                if target is not None and target not in paths:
                    paths[target] = f"{paths[cls]}.{name}"
                    todo.append(target)
    return paths


def derive_example(
    text: str,
    operation: str,
    operations: set[str],
    sync_path: str,
    path: str,
    kind: tuple[bool, bool],
) -> str:
    """The declared example of ``operation`` (written for the sync view, ``sync_path``)
    as the view at ``path`` is called: each call of an operation awaited for an async
    view, ``.parse()`` of a raw one's answer. It must call ``operation`` itself."""
    is_async, raw = kind
    parser = doctest.DocTestParser()
    out: list[str] = []
    calls = 0
    for piece in parser.parse(text):
        if isinstance(piece, str):
            if piece.strip():
                raise SystemExit(f"an Example section holds >>> examples only, not {piece!r}")
            continue
        source = piece.source
        tree = ast.parse(source)
        spans: list[tuple[int, int, str]] = []
        offsets = [0]
        for line in source.splitlines(keepends=True):
            offsets.append(offsets[-1] + len(line.encode()))
        encoded = source.encode()
        statements = {
            id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr | ast.Assign)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            if name not in operations or ast.unparse(node.func.value) != sync_path:
                continue
            calls += name == operation
            start = offsets[node.lineno - 1] + node.col_offset
            end = offsets[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
            call = encoded[start:end].decode().replace(f"{sync_path}.{name}", f"{path}.{name}", 1)
            if is_async:
                call = f"await {call}" if id(node) in statements and not raw else f"(await {call})"
            if raw:
                call = f"{call}.parse()"
            spans.append((start, end, call))
        spans.sort(reverse=True)
        if any(inner[1] > outer[0] for outer, inner in itertools.pairwise(spans)):
            raise SystemExit(f"an operation's call inside another's is not derived: {source!r}")
        for start, end, call in spans:
            encoded = encoded[:start] + call.encode() + encoded[end:]
        out.append(_example_text(encoded.decode(), piece.want, piece.exc_msg))
    if not calls:
        raise SystemExit(f"the example of {operation} never calls {sync_path}.{operation}(...)")
    return "".join(out)


def _example_text(source: str, want: str, exc_msg: str | None) -> str:
    lines = source.rstrip("\n").split("\n")
    shown = [f">>> {lines[0]}", *(f"... {line}".rstrip() for line in lines[1:])]
    if exc_msg is not None and not want:
        want = f"Traceback (most recent call last):\n    ...\n{exc_msg}"
    return "\n".join(shown) + "\n" + want


def _plain_examples(section: Section) -> str:
    """An Example section as written, checked to hold examples only."""
    text = "\n".join(section.lines) + "\n"
    for piece in doctest.DocTestParser().parse(text):
        if isinstance(piece, str) and piece.strip():
            raise SystemExit(f"an Example section holds >>> examples only, not {piece!r}")
    return text


def document(cls: type, paths: dict[type, str]) -> ClassDoc:
    from dataforce.api import _resource

    bases = ", ".join(_base_name(b) for b in getattr(cls, "__orig_bases__", cls.__bases__))
    bases = ", ".join(b for b in bases.split(", ") if b not in ("object", "TypedDict"))
    doc = parse_docstring(cls.__doc__)
    entry = ClassDoc(
        cls,
        f"class {cls.__name__}({bases})" if bases else f"class {cls.__name__}",
        doc,
        _is_async(cls),
    )
    example = doc.section("Example")
    if example is not None:
        entry.examples = _plain_examples(example)
    if typing.is_typeddict(cls):
        entry.fields_title = "Keys"
        entry.fields = [f"- `{name}`: `{annotation(t)}`" for name, t in cls.__annotations__.items()]
    struct_fields = getattr(cls, "__struct_fields__", None)
    if struct_fields is not None:
        import msgspec

        hints: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            hints.update(getattr(klass, "__annotations__", {}))
        entry.fields_title = "Attributes"
        for info in msgspec.structs.fields(cls):
            default = "" if info.required else f" = {info.default!r}"
            entry.fields.append(f"- `{info.name}`: `{annotation(hints[info.name])}{default}`")
    kind = _view_kind(cls)
    if kind is None and _resource.operations(cls):
        return entry  # the declaring class: its views below carry the methods
    operations = set(_resource.operations(cls))
    sync_path = (
        next(
            (
                p
                for c, p in paths.items()
                if _view_kind(c) == (False, False) and issubclass(c, cls.__mro__[1])
            ),
            None,
        )
        if kind
        else None
    )
    names = _member_names(cls)
    if doc.section("Arguments") is not None and "__init__" in cls.__dict__:
        names.insert(0, "__init__")
    for name in names:
        member = inspect.getattr_static(cls, name)
        if isinstance(member, property | functools.cached_property):
            decorator = "@property" if isinstance(member, property) else "@cached_property"
            getter = member.fget if isinstance(member, property) else member.func
            assert getter is not None, f"{cls.__name__}.{name} has no getter"
            sig = f"{decorator}\n" + signature("def", name, getter, bound=True)
            entry.members.append(Member(name, sig, parse_docstring(getter.__doc__)))
            continue
        if isinstance(member, staticmethod | classmethod):
            func, bound = member.__func__, isinstance(member, classmethod)
            prefix = "@classmethod\ndef" if bound else "@staticmethod\ndef"
        elif inspect.isfunction(member):
            func, bound, prefix = member, True, "def"
        else:
            continue  # a constant, a nested class: not part of the reference
        returns = None
        if inspect.iscoroutinefunction(func):
            prefix = "async def"
        if kind is not None and name in operations and kind[1]:
            declared = annotation(inspect.signature(func).return_annotation)
            returns = f"RawResponse[{declared}]"
        mdoc = parse_docstring(func.__doc__)
        sig = signature(prefix, name, func, bound=bound, returns=returns)
        examples = None
        section = mdoc.section("Example")
        if section is not None:
            text = _plain_examples(section)
            if kind is not None and name in operations:
                assert sync_path is not None
                text = derive_example(text, name, operations, sync_path, paths[cls], kind)
            examples = text
        entry.members.append(Member(name, sig, mdoc, examples))
    return entry


def walk() -> list[Page]:
    objects = [obj for obj in public_objects() if isinstance(obj, type)]
    paths = access_paths(objects)
    pages = []
    for spec in PAGES:
        mine = [obj for obj in objects if page_of(obj) is spec]

        def order(cls: type, spec: PageSpec = spec) -> tuple[int, str, int]:
            index = next(i for i, m in enumerate(spec.modules) if cls.__module__.startswith(m))
            return index, cls.__module__, inspect.getsourcelines(cls)[1]

        pages.append(Page(spec, [document(cls, paths) for cls in sorted(mine, key=order)]))
    return pages


def examples(pages: list[Page] | None = None) -> Iterator[Example]:
    """Every example the reference shows, with the test id it runs under."""
    for page in pages or walk():
        for entry in page.classes:
            if entry.examples:
                yield Example(entry.name, entry.is_async, entry.examples)
            for member in entry.members:
                if member.examples:
                    yield Example(f"{entry.name}.{member.name}", entry.is_async, member.examples)


# -- rendering ------------------------------------------------------------------------------


def _world_text() -> list[str]:
    others = ", ".join(f'"{name}" (`{id_}`)' for name, id_ in WORLD.orbits)
    return [
        "Every example runs as written: the test suite runs each one against the local "
        "server (`dataforce.testing.LocalDataForce`, its URL and key exported as "
        "`DFS_BASE_URL` and `DFS_API_KEY`), after",
        "",
        "```python",
        *SETUP.rstrip("\n").split("\n"),
        "```",
        "",
        f"and async ones (the async client's and views') after `dfs = AsyncDataForceClient(...)`"
        ", with top-level `await` as in `python -m asyncio`. The server holds the "
        f'organization "{WORLD.organization}" (`{WORLD.organization_id}`) with the bucket '
        f'secret `{WORLD.bucket_secret_id}` and the orbits "{WORLD.orbit}" '
        f"(`{WORLD.orbit_id}`) and {others}.",
        "",
    ]


def render(page: Page) -> str:
    spec = page.spec
    out = ["---", f"sidebar_label: {spec.slug}", f"title: {spec.title}", "---", ""]
    out += [
        "<!-- Written by `make docs` (scripts/reference.py) from the docstrings; never edited. -->",
        "",
        prose(spec.intro),
        "",
    ]
    if any(e.examples or any(m.examples for m in e.members) for e in page.classes):
        out += _world_text()
    for entry in page.classes:
        out += [f"## {entry.name}", "", "```python", entry.header, "```", ""]
        out += _doc(entry.doc, entry.examples)
        if entry.fields:
            out += [f"**{entry.fields_title}**:", "", *entry.fields, ""]
        for member in entry.members:
            out += [f"#### {member.name}", "", "```python", member.signature, "```", ""]
            out += _doc(member.doc, member.examples)
    return "\n".join(out).rstrip("\n") + "\n"


def _doc(doc: Docstring, examples: str | None) -> list[str]:
    out: list[str] = []
    if doc.text:
        out += [prose(line) for line in doc.text] + [""]
    for section in doc.sections:
        out += render_section(section, examples)
    return out


def pages() -> dict[Path, str]:
    """Every page of the reference, by path."""
    return {OUT / f"{page.spec.slug}.md": render(page) for page in walk()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a page is out of date")
    args = parser.parse_args()
    wanted = pages()
    stale = sorted(
        {p for p, text in wanted.items() if not p.exists() or p.read_text("utf-8") != text}
        | {p for p in OUT.glob("*.md") if p not in wanted}
    )
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        if stale:
            print("run `make docs` and commit docs/reference/", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for path in stale:
        if path in wanted:
            path.write_text(wanted[path], encoding="utf-8")
        else:
            path.unlink()
        print(f"wrote {path.relative_to(ROOT)}" if path in wanted else f"removed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
