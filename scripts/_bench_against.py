"""``bench.py --against REF``: another commit's SDK measured in the same run as this tree's.

The commit is extracted with ``git archive`` to ``bench-results/trees/<sha>/src`` and
installed (not editable) into ``bench-results/trees/<sha>/venv``, a virtualenv of the
driver's Python, together with this tree's runtime requirements (``attrs`` comes with a
commit whose generated layer used attrs models, ...), pinned to the versions the
driver's environment has (httpx above all) wherever they satisfy the requirements. Both
are reused by the next run for the same commit (rebuilt if the Python or the pins
changed).

Every client of the run, this tree's and the other's, runs under that virtualenv with
its tree's two package directories first on ``PYTHONPATH`` (``import_env``): the two
sides differ only in the tree they import, not in their interpreter's site-packages or
start-up (the project's own virtualenv runs an editable-install finder at start-up that
imports ``re``, ``pathlib``, ``urllib.parse``, ...). Each worker reports where it
imported the SDK from and the run stops unless it is its own tree. The workers are *this*
tree's ``_bench_worker.py`` (the measured loop is the same code for both sides; the
public calls it makes, ``DataForceClient(...).orbits.*`` and the generated
``sync_detailed``/``asyncio_detailed``, are the same). The canned server answers this
tree's paths; when the other commit's paths lack a prefix this tree's have (``/v1``),
its workers get a base URL ending in that prefix, which both its facade
(``base_url + path``) and its generated layer (httpx's base URL merge) put in front of
their paths (``_base_path`` finds it from the path the other generated layer sends).
The server counts 404s and the driver stops on any.

Comparison: per operation and round, this tree's CPU per operation over the other's,
from the pair's slices run back to back: the *paired ratio*, median and interquartile
range over rounds. Verdict (``verdict``): ``WORSE`` (``better``) when the paired ratio
is above (below) 1.00 in so many rounds that a fair coin would do it with probability
under ``ALPHA`` (one-sided sign test: 9 rounds of 10, 20 of 30), for memory (counted
exactly) when every sample is beyond ``MEMORY_TOLERANCE``; ``same`` otherwise, with the
number of rounds this tree was slower.

That screening makes some thirty such tests per run, so chance alone flags one now and
then: a run of a commit against itself (``--against HEAD``, identical code) flagged two
rows at 9/10. So each operation flagged ``WORSE`` is measured again, alone, over
``CONFIRM_ROUNDS`` more rounds (same clients, same slices) before the run ends, and the
row is ``WORSE`` only if those rounds say so too (sign test again: 20 of 30); the verdict
shows both counts, ``WORSE 9/10, then 24/30``. A real cost is in every round and comes
back; a chance flag rarely does (p < 0.05 twice). The imports are measured again the
same way (30 more rounds); memory samples are not (counted exactly).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _bench_data as data

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TREES = ROOT / "bench-results" / "trees"

# Compared between the two trees: the facade's rows, and the generated layer's.
COMPARED = ("facade", "generated")

# The path the other tree's generated layer sends for get_orbit, printed by its Python.
_PROBE = """
import sys
from uuid import UUID
from dataforce_openapi.api.orbits import get_orbit
print(get_orbit._get_kwargs(UUID(sys.argv[1]), UUID(sys.argv[2]))["url"])
"""


@dataclass(frozen=True)
class Tree:
    """Another commit, ready to import: its sources, virtualenv and path prefix."""

    ref: str  # as given: a commit, branch, tag, HEAD~3, ...
    sha: str
    short: str
    src: Path
    python: str
    base_path: str  # appended to the server's URL for this tree's workers
    versions: dict[str, str]  # the virtualenv's distributions

    def label(self, kind: str) -> str:
        return f"{kind}@{self.short}"


def child_env() -> dict[str, str]:
    """The environment for the other tree's processes: no ``PYTHONPATH`` (which could
    put this tree's packages first) nor ``PYTHONHOME``."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _git(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[Any]:
    return subprocess.run(["git", *args], cwd=ROOT, stdout=stdout, check=True)


def resolve(ref: str) -> tuple[str, str]:
    """The full and short commit IDs of ``ref``."""
    try:
        sha = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").stdout.decode()
    except subprocess.CalledProcessError:
        raise SystemExit(f"--against {ref}: not a commit git knows here") from None
    sha = sha.strip()
    short = _git("rev-parse", "--short", sha).stdout.decode().strip()
    return sha, short


def _pins() -> list[str]:
    """``name==version`` of every distribution in the driver's environment except the
    SDK's own: the other tree gets the same httpx, msgspec, attrs, ... where it can."""
    pins = set()
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and not name.lower().startswith("dataforce"):
            pins.add(f"{name}=={dist.version}")
    return sorted(pins)


def _extract(sha: str, src: Path) -> None:
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", sha], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert archive.stdout is not None
    with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
        tar.extractall(src, filter="data")
    if archive.wait() != 0:
        raise RuntimeError(f"git archive {sha} failed")


def _head_requirements() -> list[str]:
    """This tree's runtime requirements, from its pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        requirements: list[str] = tomllib.load(file)["project"]["dependencies"]
    return requirements


def import_env(tree: Path) -> dict[str, str]:
    """The environment of a process of the tree at ``tree`` (worker, import timing) in the
    other commit's virtualenv: its two package directories first on ``PYTHONPATH``
    (``dataforce`` at its root, ``dataforce_openapi`` under ``generated/``; an installed
    copy is shadowed), and one hash seed for every process (a random one per process
    gives each its own dict layouts for the whole run, a bias no number of rounds
    averages out)."""
    path = os.pathsep.join((str(tree), str(tree / "generated")))
    return child_env() | {"PYTHONPATH": path, "PYTHONHASHSEED": "0"}


def _build_venv(venv: Path, src: Path, pins: list[str], log: Any) -> bool:
    """The virtualenv with ``src`` installed, and this tree's runtime requirements (its
    imports are timed there too); True if the pins could be honoured."""
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    constraints = venv / "bench-constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    wanted = [str(src), *_head_requirements()]
    pinned = True
    for argv in ([*install, "--constraint", str(constraints), *wanted], [*install, *wanted]):
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return pinned
        log(f"  {' '.join(argv[1:5])} ... failed:\n{done.stdout}{done.stderr}")
        if pinned:
            log("  its requirements conflict with this environment's versions: unpinned")
        pinned = False
    raise SystemExit("--against: could not install that commit in a virtualenv")


def _versions(python: str) -> dict[str, str]:
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    ).stdout
    return {item["name"]: item["version"] for item in json.loads(listed)}


def _base_path(python: str) -> str:
    """What to append to the server's URL so that the other tree's paths are this one's:
    ``""`` when they are the same, ``"/v1"`` when its paths lack that prefix."""
    ids = data.ids_for_workers()
    org, orbit = ids["orgs"]["1"], ids["default_orbit"]["1"]  # type: ignore[index]
    theirs = subprocess.run(
        [python, "-c", _PROBE, org, orbit],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    ).stdout.strip()
    ours = data.PATHS["get_orbit"].format(org, orbit)
    if not ours.endswith(theirs) or not theirs.startswith("/"):
        raise SystemExit(
            f"--against: that commit sends {theirs!r} where the canned server expects "
            f"{ours!r}; no base URL prefix maps one onto the other"
        )
    return ours[: len(ours) - len(theirs)]


def prepare(ref: str, log: Any) -> Tree:
    """``ref``'s tree and virtualenv, from the cache when they are there and current."""
    sha, short = resolve(ref)
    home = TREES / sha
    src, venv = home / "src", home / "venv"
    marker = venv / "bench-ready.json"
    pins = _pins()
    wanted = {
        "python": sys.version,
        "pins": hashlib.sha256("\n".join(pins + _head_requirements()).encode()).hexdigest(),
    }
    cached = json.loads(marker.read_text()) if marker.exists() else {}
    if {k: cached.get(k) for k in wanted} == wanted and src.is_dir():
        log(f"--against {ref}: {short}, cached tree and virtualenv in {home}")
    else:
        log(f"--against {ref}: extracting {short} to {src}, building its virtualenv")
        _extract(sha, src)
        pinned = _build_venv(venv, src, pins, log)
        marker.write_text(json.dumps(wanted | {"pinned": pinned}))
    python = str(venv / "bin" / "python")
    base_path = _base_path(python)
    if base_path:
        log(f"  its paths lack {base_path!r}: its workers' base URL ends in it")
    return Tree(ref, sha, short, src, python, base_path, _versions(python))


def _inside(origin: str | None, tree: Path) -> bool:
    """Whether a module's file is in ``tree`` (this tree: outside the other trees)."""
    if origin is None:
        return False
    path = Path(origin).resolve()
    if tree == ROOT and path.is_relative_to(TREES.resolve()):
        return False
    return path.is_relative_to(tree.resolve())


def check_origins(label: str, origins: dict[str, str | None], tree: Path) -> str | None:
    """A problem with where a worker imported the SDK from, if any: not from ``tree``."""
    for module, origin in origins.items():
        if not _inside(origin, tree):
            return f"{label} imported {module} from {origin}, not from {tree}"
    return None


_ORIGINS = """
import json, sys
print(json.dumps({name: getattr(sys.modules.get(name), "__file__", None)
                  for name in ("dataforce", "dataforce_openapi") if name in sys.modules}))
"""


def check_import(name: str, argv: list[str], env: dict[str, str] | None, tree: Path) -> None:
    """Run an import case once (the warm-up) and fail unless the SDK came from ``tree``."""
    done = subprocess.run(
        [*argv[:-1], argv[-1] + "\n" + _ORIGINS], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"import case {name} failed:\n{done.stderr}")
    for module, origin in json.loads(done.stdout).items():
        if not _inside(origin, tree):
            raise RuntimeError(f"import case {name}: {module} came from {origin}, not {tree}")


# --------------------------------------------------------------------------- report


# A verdict other than "same" needs the paired ratio on the same side of 1.00 in so many
# rounds that a fair coin would land that way that often with probability under ALPHA.
ALPHA = 0.05
# Memory is counted exactly (tracemalloc in a fresh process): a verdict needs every sample
# beyond this tolerance.
MEMORY_TOLERANCE = 0.001


def _tail(k: int, n: int) -> float:
    """P(X >= k) for X ~ Binomial(n, 1/2): the sign test's one-sided p-value."""
    return sum(math.comb(n, i) for i in range(k, n + 1)) / float(2**n)


def verdict(ratio: dict[str, Any], exact: bool = False) -> str:
    """``WORSE``, ``better`` or ``same``, and in how many rounds this tree was slower
    (used more memory): ``WORSE 9/10``."""
    values: list[float] = ratio["values"]
    n = len(values)
    above, below = sum(v > 1 for v in values), sum(v < 1 for v in values)
    if exact:
        above = sum(v > 1 + MEMORY_TOLERANCE for v in values)
        below = sum(v < 1 - MEMORY_TOLERANCE for v in values)
        worse, better = above == n, below == n
    else:
        worse, better = _tail(above, n) < ALPHA, _tail(below, n) < ALPHA
    word = "WORSE" if worse else "better" if better else "same"
    return f"{word} {above}/{n}"


# Rounds of the second look at an operation the screening flagged WORSE.
CONFIRM_ROUNDS = 30


def _paired(ours: list[float], theirs: list[float]) -> list[float]:
    return [a / b for a, b in zip(ours, theirs, strict=True)]


def _cpu(records: dict[str, Any], op: str, kind: str) -> list[float]:
    return [r["cpu"] for r in records[op][kind]]


def _growth(records: dict[str, Any], kind: str) -> list[float]:
    """Per round, a client's construction cost with 10,000 orbits over that with one."""
    small, big = _cpu(records, "construct_1", kind), _cpu(records, "construct_10000", kind)
    return [b / s for s, b in zip(small, big, strict=True)]


def _slower(values: list[float]) -> bool:
    return _tail(sum(v > 1 for v in values), len(values)) < ALPHA


def suspects(records: dict[str, Any], tree: Tree) -> tuple[str, ...]:
    """The operations whose paired ratio the screening finds WORSE, for either kind
    (both construct operations when their cost ratio is): to be measured again."""
    flagged: list[str] = []
    for op in records:
        if any(
            _slower(_paired(_cpu(records, op, k), _cpu(records, op, tree.label(k))))
            for k in COMPARED
        ):
            flagged.append(op)
    if "construct_1" in records and any(
        _slower(_paired(_growth(records, k), _growth(records, tree.label(k)))) for k in COMPARED
    ):
        flagged += [op for op in ("construct_1", "construct_10000") if op not in flagged]
    return tuple(flagged)


def import_suspect(imports: dict[str, Any], tree: Tree) -> bool:
    """Whether the screening finds either kind's import WORSE: to be measured again."""
    above = imports["cpu_above_bare"]
    return any(_slower(_paired(above[k], above[tree.label(k)])) for k in COMPARED)


def _p(s: dict[str, Any]) -> str:
    return f"{s['median']:.3f}x [{s['q1']:.3f}-{s['q3']:.3f}]"


def _r(s: dict[str, Any]) -> str:
    return f"{s['median']:.3f}x [{s['q1']:.2f}-{s['q3']:.2f}]"


def compare(
    results: dict[str, Any], tree: Tree, ops: list[tuple[str, str]], spread: Any
) -> dict[str, Any]:
    """Per row: this tree's and the other's ratio to raw httpx, the paired ratio of the
    two (facade and generated layer) and its verdict, in the order and with the labels
    of the main table (``results["summary"]``). ``ops``: (operation, label) of the slice
    rows, ``spread``: bench.py's summary of a list of values."""
    slices, records = results["slices"], results["raw_records"]
    memory, imports = results["memory"], results["import"]
    second: dict[str, Any] = results.get("confirmation", {}).get("records", {})
    out: list[dict[str, Any]] = []

    def paired(ours: list[float], theirs: list[float]) -> dict[str, Any]:
        result: dict[str, Any] = spread(_paired(ours, theirs))
        return result

    def row(
        label: str,
        head: dict[str, Any],
        ref: dict[str, Any],
        pairs: dict[str, Any],
        req: str,
        exact: bool = False,
        again: dict[str, Any] | None = None,
    ) -> None:
        """``again``: per kind, the paired ratio of the confirmation rounds, if any."""
        verdicts = {kind: verdict(pairs[kind], exact) for kind in COMPARED}
        confirmed = {}
        for kind in COMPARED:
            if again and verdicts[kind].startswith("WORSE"):
                word, _, later = verdict(again[kind]).partition(" ")
                first = verdicts[kind].partition(" ")[2]
                verdicts[kind] = f"{word} {first}, then {later}"  # WORSE 9/10, then 24/30
                confirmed[kind] = again[kind]
        out.append(
            {
                "operation": label,
                "head_ratio": head,
                "ref_ratio": ref,
                "paired": pairs,
                "confirmation": confirmed,
                "verdict": verdicts,
                "requests": req,
            }
        )

    def cpu(op: str, kind: str) -> list[float]:
        return _cpu(records, op, kind)

    def requests(op: str) -> str:
        kinds = slices[op]["kinds"]
        return "/".join(
            f"{kinds[k]['requests_per_op']:.3g}" for k in ("facade", tree.label("facade"))
        )

    for op, label in ops:
        row(
            label,
            slices[op]["cpu_ratio"]["facade"],
            slices[op]["cpu_ratio"][tree.label("facade")],
            {kind: paired(cpu(op, kind), cpu(op, tree.label(kind))) for kind in COMPARED},
            requests(op),
            again={
                kind: paired(_cpu(second, op, kind), _cpu(second, op, tree.label(kind)))
                for kind in COMPARED
            }
            if op in second
            else None,
        )
    for metric, label in (
        ("traced_held", "memory held, list of 10,000 (tracemalloc)"),
        ("traced_peak", "memory peak, list of 10,000 (tracemalloc)"),
    ):
        samples = memory["samples"]
        row(
            label,
            memory[metric]["facade"],
            memory[metric][tree.label("facade")],
            {
                kind: paired(
                    [s[metric] for s in samples[kind]],
                    [s[metric] for s in samples[tree.label(kind)]],
                )
                for kind in COMPARED
            },
            requests("list_10000"),
            exact=True,
        )
    above = imports["cpu_above_bare"]
    import_again = results.get("confirmation", {}).get("import")
    row(
        "import (vs import httpx), CPU",
        imports["cpu"]["ratio"]["facade"],
        imports["cpu"]["ratio"][tree.label("facade")],
        {kind: paired(above[kind], above[tree.label(kind)]) for kind in COMPARED},
        "0/0",
        again={
            kind: paired(
                import_again["cpu_above_bare"][kind],
                import_again["cpu_above_bare"][tree.label(kind)],
            )
            for kind in COMPARED
        }
        if import_again
        else None,
    )

    grown = slices["construct_growth"]
    row(
        "construct: cost 10,000 / 1 orbits (same kind)",
        grown["facade"],
        grown[tree.label("facade")],
        {
            kind: paired(_growth(records, kind), _growth(records, tree.label(kind)))
            for kind in COMPARED
        },
        requests("construct_10000"),
        again={
            kind: paired(_growth(second, kind), _growth(second, tree.label(kind)))
            for kind in COMPARED
        }
        if "construct_1" in second and "construct_10000" in second
        else None,
    )
    order = {r["operation"]: index for index, r in enumerate(results["summary"])}
    out.sort(key=lambda r: order[r["operation"]])  # the main table's order
    return {
        "ref": tree.ref,
        "sha": tree.sha,
        "short": tree.short,
        "tree": str(tree.src),
        "python": tree.python,
        "base_path": tree.base_path,
        "versions": tree.versions,
        "rule": "paired ratio = this tree's CPU (bytes for memory) / the other's, per round "
        f"(memory sample); WORSE (better) when it is above (below) 1.00 in so many rounds "
        f"that the sign test's one-sided p < {ALPHA} (9 of 10, 20 of 30), for memory in "
        f"every sample by more than {MEMORY_TOLERANCE:.1%}; same otherwise; an operation "
        f"or import WORSE is measured again over {CONFIRM_ROUNDS} rounds, and stays WORSE "
        "only if those rounds say so too",
        "confirmed": sorted(second),
        "confirm_rounds": results.get("confirmation", {}).get("rounds", 0),
        "rows": out,
        "worse": [
            f"{r['operation']} ({kind})"
            for r in out
            for kind in COMPARED
            if r["verdict"][kind].startswith("WORSE")
        ],
    }


def render(comparison: dict[str, Any], table: Any) -> list[str]:
    short = comparison["short"]
    lines = [
        "",
        f"Against {comparison['ref']} (commit {short}, its own virtualenv"
        + (f", base URL + {comparison['base_path']!r}" if comparison["base_path"] else "")
        + f"), same rounds: HEAD = this tree, REF = {short}. HEAD/REF is the paired ratio, "
        "per round this tree's CPU (bytes for memory) over the other's, from slices run back "
        "to back, median [interquartile range]. Verdict: WORSE (better) when HEAD was slower "
        f"(faster) in so many rounds that chance would do it with p < {ALPHA} (sign test: "
        "9 of 10 rounds, 20 of 30 for import; memory: every sample, by over "
        f"{MEMORY_TOLERANCE:.1%}), else same; k/n: rounds HEAD was slower. An operation "
        f"or import WORSE is measured again over {CONFIRM_ROUNDS} rounds, and stays WORSE "
        "only if they agree ('WORSE 9/10, then 24/30'). req/op: facade HEAD/REF.",
    ]
    header = (
        "operation",
        "facade HEAD/raw",
        "facade REF/raw",
        "facade HEAD/REF",
        "verdict",
        "generated HEAD/REF",
        "verdict",
        "req/op",
    )
    body = [header]
    for r in comparison["rows"]:
        body.append(
            (
                r["operation"],
                _r(r["head_ratio"]),
                _r(r["ref_ratio"]),
                _p(r["paired"]["facade"]),
                r["verdict"]["facade"],
                _p(r["paired"]["generated"]),
                r["verdict"]["generated"],
                r["requests"],
            )
        )
    lines.extend(table(body))
    worse = comparison["worse"]
    lines.append("Worse than " + short + ": " + (", ".join(worse) if worse else "none") + ".")
    return lines
