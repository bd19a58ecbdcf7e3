"""Benchmark the SDK's client-side cost against bare httpx.

    make bench            # full run, about 2 minutes
    make bench-quick      # smoke run, about 30 seconds
    make bench-against REF=main   # python scripts/bench.py --against main [--quick]
    python scripts/bench.py --profile list_10000 [--kind facade]   # sampled vs raw httpx
    python scripts/bench.py --profile import                       # -X importtime
    python scripts/bench.py --overhead    # facade's own CPU per call, canned responses

A canned HTTP server runs in its own process (``_bench_server.py``); each client kind runs
in its own long-lived process (``_bench_worker.py``): ``raw`` (httpx + ``.json()``),
``generated`` (``dataforce_openapi`` called directly) and ``facade`` (``dataforce.api``).
The driver sends them the same operation in short slices, interleaved (A B C, then another
order, ...) for several rounds, and reads the server's request/connection counters and
CPU around every slice. Each figure is the median over rounds of that round's ratio to
``raw``, with its interquartile range and min-max: this machine's speed drifts by tens of
percent within seconds, and a ratio of two slices taken a fraction of a second apart
cancels most of that drift.

Results: a table on the terminal, and JSON in ``bench-results/`` (timestamped, plus
``latest.json``). ``docs/performance.md`` explains every figure.

``--against REF`` (``_bench_against.py``) adds another commit's facade and generated
layer, ``facade@<sha>`` and ``generated@<sha>``: its tree extracted to
``bench-results/trees/<sha>/`` with a virtualenv (cached) holding both trees' runtime
requirements, in which all five clients then run, each tree's packages first on
``PYTHONPATH``, driven by this tree's worker; the other tree's base URL ends in the path
prefix its spec lacks (``/v1``). Each pair (``facade`` and ``facade@<sha>``, the same
for the generated layer) runs back to back in every round, in half slices A B B A; the
pair also shares the memory samples and the import rounds. After the usual tables comes
one row per table row: this tree's ratio to raw httpx, the other's, and the paired ratio
``facade/facade@<sha>`` (and the generated layer's), per round, median [interquartile
range], with a verdict: ``WORSE`` (``better``) when this tree was slower (faster) in so
many rounds that chance would do it with p < 0.05 (sign test: 9 of 10 rounds), for
memory when every sample is above (below) by more than 0.1%, else ``same``; an operation
or import found ``WORSE`` is measured again over 30 rounds and stays ``WORSE`` only if
they agree (the screening's many tests flag a row of identical code now and then). JSON:
``bench-<mode>-against-<sha>-<stamp>.json`` and ``latest-against.json``. The exit status
is 0 whatever the verdicts, unless ``--fail-if-worse``. Any request the canned server
answers 404 stops the run (with or without ``--against``): a client whose paths are not
the server's would measure an error path.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _bench_against as against  # noqa: E402
import _bench_data as data  # noqa: E402

# The server and the workers take the spec's paths from here, not from the SDK.
os.environ["DATAFORCE_BENCH_PATHS"] = json.dumps(data.PATHS)

KINDS = ("raw", "generated", "facade")
SYNC_OPS = (
    "get_id",
    "create",
    "update",
    "delete",
    "list_1",
    "list_100",
    "list_1000",
    "list_10000",
    "list_1000_read",
    "list_10000_read",
    "get_name_1000",
    "construct_1",
    "construct_10000",
)
ASYNC_OPS = ("async_get_c50",)

IMPORTS = {
    "bare": "pass",
    "httpx": "import httpx",
    "facade": "import dataforce.api",
    "generated": (
        "import dataforce_openapi; "
        "from dataforce_openapi.api.orbits import "
        "create_orbit, delete_orbit, get_orbit, list_orbits, update_orbit"
    ),
}


IMPORT_LABELS = {
    "httpx": "import httpx",
    "facade": "import dataforce.api",
    "generated": "import dataforce_openapi + its 5 orbit op modules",
}


@dataclass(frozen=True)
class Mode:
    name: str
    rounds: int
    slice_cpu: float  # target client CPU seconds per slice
    memory_repeats: int
    import_rounds: int


FULL = Mode("full", rounds=10, slice_cpu=0.15, memory_repeats=3, import_rounds=30)
QUICK = Mode("quick", rounds=3, slice_cpu=0.04, memory_repeats=1, import_rounds=6)


# --------------------------------------------------------------------------- processes


class Server:
    """The canned server's process, and a keep-alive connection to its stats endpoint."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "_bench_server.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.control = http.client.HTTPConnection("127.0.0.1", self.port)

    def stats(self) -> dict[str, float]:
        self.control.request("GET", "/__stats")
        result: dict[str, float] = json.loads(self.control.getresponse().read())
        return result

    def stop(self) -> None:
        self.control.close()
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass(frozen=True)
class Client:
    """A client process to run: the worker's KIND, the interpreter and environment to run
    it with, and the path prefix its base URL gets."""

    label: str  # "facade", or "facade@afa7896" for another commit's
    kind: str  # raw / generated / facade
    python: str = sys.executable
    env: dict[str, str] | None = field(default=None, compare=False)
    base_path: str = ""  # appended to the server's URL (a tree whose paths lack /v1)
    tree: Path = ROOT  # where its SDK's packages must be imported from
    strict: bool = False  # False: only warn when they are not


HEAD_CLIENTS = tuple(Client(kind, kind) for kind in KINDS)


def _clients(tree: against.Tree | None) -> tuple[Client, ...]:
    """This tree's three clients, then, with ``--against``, the other's facade and
    generated layer (raw httpx is the same code in both). With ``--against`` all five run
    under the other commit's virtualenv (it holds both trees' runtime requirements), each
    tree's packages first on ``PYTHONPATH``: the only difference between ``facade`` and
    ``facade@<sha>`` is then the tree they import."""
    if tree is None:
        return HEAD_CLIENTS
    ours, theirs = against.import_env(ROOT), against.import_env(tree.src)
    return tuple(Client(kind, kind, tree.python, ours, strict=True) for kind in KINDS) + tuple(
        Client(tree.label(kind), kind, tree.python, theirs, tree.base_path, tree.src, True)
        for kind in ("generated", "facade")
    )


def _worker_argv(client: Client, base_url: str) -> list[str]:
    ids = json.dumps(data.ids_for_workers())
    worker = str(HERE / "_bench_worker.py")
    return [client.python, worker, client.kind, base_url + client.base_path, ids]


class Worker:
    """One client kind's process, driven by JSON lines."""

    def __init__(self, client: Client, base_url: str, log: Any = None) -> None:
        self.kind = client.label
        self.process = subprocess.Popen(
            _worker_argv(client, base_url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=client.env,
        )
        ready = self._read()
        if not ready.get("ready"):
            raise RuntimeError(f"{self.kind} worker failed to start: {ready}")
        problem = against.check_origins(self.kind, ready.get("origins", {}), client.tree)
        if problem and client.strict:
            raise RuntimeError(problem)
        if problem and log:  # this tree's code from elsewhere: say so, measure anyway
            log(f"warning: {problem}")

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.kind} worker exited (code {self.process.poll()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def ask(self, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        reply = self._read()
        if "error" in reply:
            raise RuntimeError(f"{self.kind}: {reply['error']}")
        return reply

    def stop(self) -> None:
        if self.process.stdin is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):  # BrokenPipeError if it already died
                self.process.stdin.write('{"cmd": "quit"}\n')
                self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --------------------------------------------------------------------------- statistics


def spread(values: list[float]) -> dict[str, Any]:
    ordered = sorted(values)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {
        "median": statistics.median(ordered),
        "q1": q1,
        "q3": q3,
        "min": ordered[0],
        "max": ordered[-1],
        "n": len(ordered),
        "values": values,
    }


# --------------------------------------------------------------------------- phases


def _no_404(before: dict[str, float], after: dict[str, float], what: str) -> None:
    missed = after["not_found"] - before["not_found"]
    if missed:
        raise RuntimeError(
            f"{what}: {missed:.0f} request(s) answered 404: that client's paths are not "
            "the canned server's"
        )


def _measure(server: Server, worker: Worker, op: str, n: int) -> dict[str, float]:
    """One timed run of ``n`` calls, with the server's counters read around it."""
    # gc.collect(), then one untimed call (not for the async batch, which makes its own
    # client): this client's pooled connection may have expired (5 s keep-alive) while it
    # sat idle since the last round.
    worker.ask(cmd="prepare", op=op, warm=0 if op in ASYNC_OPS else 1)
    before = server.stats()
    reply = worker.ask(cmd="run", op=op, n=n)
    after = server.stats()
    _no_404(before, after, f"{worker.kind} {op}")
    return {
        "cpu": reply["cpu"],
        "wall": reply["wall"],
        "gc": reply["gc"],
        "gc_full": reply["gc_full"],
        "requests": after["requests"] - before["requests"],
        "connections": after["connections"] - before["connections"],
        "server_cpu": after["cpu"] - before["cpu"],
        "units": reply["units"],
    }


def _slices(
    server: Server,
    workers: dict[str, Worker],
    op: str,
    group: tuple[str, ...],
    counts: Any,
    flip: bool,
) -> dict[str, dict[str, float]]:
    """One slice per client of ``group``, totals per client. A pair (this tree's client
    and the other commit's, ``--against``) runs back to back in halves, A B B A (B A A B
    when ``flip``): a drift of the machine's speed that is linear over the four halves
    costs both sides the same."""
    if len(group) == 1:
        return {group[0]: _measure(server, workers[group[0]], op, counts[op, group[0]])}
    a, b = group[::-1] if flip else group
    n_a, n_b = counts[op, a], counts[op, b]
    if min(n_a, n_b) < 2:  # one call (an async batch, a slow client's big list): A B
        plan = [(a, n_a), (b, n_b)]
    else:
        plan = [(a, n_a // 2), (b, n_b // 2), (b, n_b - n_b // 2), (a, n_a - n_a // 2)]
    totals: dict[str, dict[str, float]] = {}
    for label, n in plan:
        measured = _measure(server, workers[label], op, n)
        if label in totals:
            for key, value in measured.items():
                totals[label][key] += value
        else:
            totals[label] = measured
    return totals


def run_slices(
    server: Server,
    workers: dict[str, Worker],
    mode: Mode,
    log: Any,
    groups: tuple[tuple[str, ...], ...] | None = None,
    ops: tuple[str, ...] = SYNC_OPS + ASYNC_OPS,
    counts: dict[tuple[str, str], int] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Calibrate every op per kind, then interleave slices for ``mode.rounds`` rounds.

    ``groups``: the clients in the order of ``workers``, with each client of this tree
    grouped with its counterpart of the other commit (``--against``); a round runs the
    three groups in one of their six orders, a pair's slices back to back (``_slices``).
    ``counts``: calls per slice from an earlier run (no calibration). ``seed``: the order
    of the operations in each round. A fixed order would put each operation after the
    same ones in every run, so that whatever one leaves behind (a big list's garbage, a
    cooler cache) would bias the same rows run after run: a new seed per run (``bench``).
    """
    labels = tuple(workers)
    groups = groups or tuple((label,) for label in labels)
    if counts is None:
        counts = _calibrate(server, workers, ops, mode, log)
    records: dict[str, dict[str, list[dict[str, float]]]] = defaultdict(lambda: defaultdict(list))
    orders = list(itertools.permutations(groups))
    shuffle = random.Random(seed).shuffle
    for round_ in range(mode.rounds):
        started = time.perf_counter()
        op_order = list(ops)
        shuffle(op_order)
        for op_index, op in enumerate(op_order):
            for group in orders[(round_ + op_index) % len(orders)]:
                flip = (round_ + op_index) % 2 == 1
                for kind, t in _slices(server, workers, op, group, counts, flip).items():
                    units = t["units"]
                    records[op][kind].append(
                        {
                            "cpu": t["cpu"] / units,
                            "wall": t["wall"] / units,
                            "gc": t["gc"] / units,
                            "gc_full": t["gc_full"] / units,
                            "requests": t["requests"] / units,
                            "connections": t["connections"] / units,
                            "server_cpu_per_request": t["server_cpu"] / max(t["requests"], 1),
                            "units": units,
                        }
                    )
        log(f"round {round_ + 1}/{mode.rounds} done in {time.perf_counter() - started:.1f} s")
    return {"counts": {f"{op}/{kind}": n for (op, kind), n in counts.items()}, "records": records}


def _calibrate(
    server: Server, workers: dict[str, Worker], ops: tuple[str, ...], mode: Mode, log: Any
) -> dict[tuple[str, str], int]:
    """Calls per slice, per op and client: ``mode.slice_cpu`` of CPU (warms them up too)."""
    counts: dict[tuple[str, str], int] = {}
    log(f"calibrating {len(ops)} operations x {len(workers)} clients (also warms them up)")
    for op in ops:
        for kind in workers:
            before = server.stats()
            if op in ASYNC_OPS:  # one batch is already ~1-2 s of CPU: a batch per slice
                workers[kind].ask(cmd="prepare", op=op, warm=1)
                counts[op, kind] = 1
            else:
                per_call = workers[kind].ask(cmd="calibrate", op=op, target=mode.slice_cpu / 2)
                counts[op, kind] = max(1, round(mode.slice_cpu / per_call["cpu_per_call"]))
            _no_404(before, server.stats(), f"{kind} {op}")
    return counts


def summarise_slices(
    records: dict[str, dict[str, list[dict[str, float]]]], labels: tuple[str, ...] = KINDS
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    others = [label for label in labels if label != "raw"]
    for op, by_kind in records.items():
        kinds: dict[str, Any] = {}
        for kind in labels:
            rounds = by_kind[kind]
            kinds[kind] = {
                "cpu_per_op_us": statistics.median(r["cpu"] for r in rounds) * 1e6,
                "wall_per_op_us": statistics.median(r["wall"] for r in rounds) * 1e6,
                "gc_per_op_us": statistics.median(r["gc"] for r in rounds) * 1e6,
                "gc_full_per_op": sum(r["gc_full"] * r["units"] for r in rounds)
                / sum(r["units"] for r in rounds),
                "requests_per_op": sum(r["requests"] * r["units"] for r in rounds)
                / sum(r["units"] for r in rounds),
                "connections_per_op": sum(r["connections"] * r["units"] for r in rounds)
                / sum(r["units"] for r in rounds),
                "server_cpu_per_request_us": statistics.median(
                    r["server_cpu_per_request"] for r in rounds
                )
                * 1e6,
                "ops_per_slice": rounds[0]["units"],
            }
        raw = by_kind["raw"]
        ratios = {
            kind: spread([r["cpu"] / b["cpu"] for r, b in zip(by_kind[kind], raw, strict=True)])
            for kind in others
        }
        wall_ratios = {
            kind: spread([r["wall"] / b["wall"] for r, b in zip(by_kind[kind], raw, strict=True)])
            for kind in others
        }
        result[op] = {"kinds": kinds, "cpu_ratio": ratios, "wall_ratio": wall_ratios}
    for kind in labels:  # construction cost must not grow with the number of orbits
        small, big = records["construct_1"][kind], records["construct_10000"][kind]
        growth = spread([b["cpu"] / s["cpu"] for s, b in zip(small, big, strict=True)])
        result.setdefault("construct_growth", {})[kind] = growth
    return result


def run_memory(
    base_url: str, mode: Mode, log: Any, clients: tuple[Client, ...] = HEAD_CLIENTS
) -> dict[str, Any]:
    """List 10,000 orbits in a fresh process per kind, interleaved, ``memory_repeats`` times."""
    log(f"memory: list of 10,000 orbits, fresh process per client, {mode.memory_repeats} rep(s)")
    samples: dict[str, list[dict[str, int]]] = defaultdict(list)
    labels = tuple(client.label for client in clients)
    for repeat in range(mode.memory_repeats):
        shift = repeat % len(clients)
        for client in clients[shift:] + clients[:shift]:
            done = subprocess.run(
                [*_worker_argv(client, base_url), "--memory"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=True,
                env=client.env,
            )
            samples[client.label].append(json.loads(done.stdout))
    result: dict[str, Any] = {"samples": samples}
    for metric in ("traced_held", "traced_peak", "rss_held", "rss_peak"):
        result[metric] = {
            kind: spread(
                [
                    s[metric] / max(b[metric], 1)
                    for s, b in zip(samples[kind], samples["raw"], strict=True)
                ]
            )
            for kind in labels
            if kind != "raw"
        }
        result[metric + "_bytes"] = {
            kind: statistics.median(s[metric] for s in samples[kind]) for kind in labels
        }
    return result


def _spawn_cpu(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """CPU (user + system) and wall seconds of one child process, from its own rusage."""
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ if env is None else env)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed")
    return usage.ru_utime + usage.ru_stime, wall


def run_imports(mode: Mode, log: Any, tree: against.Tree | None = None) -> dict[str, Any]:
    """Fresh interpreters importing each package, interleaved, minus a bare interpreter.

    With ``--against``, every statement runs in the other commit's virtualenv (which holds
    both trees' runtime requirements), this tree's and then the other's packages first on
    ``PYTHONPATH``, each minus a bare interpreter with the same ``PYTHONPATH``, with
    ``-P`` (the current directory, maybe this tree, not on ``sys.path``): the project's
    own virtualenv is no fair place to compare, its editable install's finder imports
    ``re``, ``pathlib``, ``urllib.parse``, ... at start-up, which the bare run then pays
    instead of the import."""
    # name -> (interpreter and options, statement, the bare run it is measured above,
    # environment, the tree its packages must come from)
    cases: dict[str, tuple[list[str], str, str, dict[str, str] | None, Path | None]] = {
        name: ([sys.executable], statement, "bare", None, None)
        for name, statement in IMPORTS.items()
    }
    if tree is not None:
        python = [tree.python, "-P"]
        head_env, ref_env = against.import_env(ROOT), against.import_env(tree.src)
        cases = {name: (python, s, "bare", head_env, ROOT) for name, s in IMPORTS.items()}
        for name in ("bare", "facade", "generated"):
            cases[tree.label(name)] = (python, IMPORTS[name], tree.label("bare"), ref_env, tree.src)
    names = list(cases)
    log(f"import: {mode.import_rounds} interleaved rounds of {', '.join(names)}")

    def spawn(name: str) -> tuple[float, float]:
        python, statement, _, env, _ = cases[name]
        return _spawn_cpu([*python, "-c", statement], env)

    for name in names:  # warm the page cache and write .pyc files first
        python, statement, _, env, origin = cases[name]
        if origin is None or statement == "pass":
            spawn(name)
        else:  # and check where the SDK's packages come from
            against.check_import(name, [*python, "-c", statement], env, origin)
    rounds: list[dict[str, tuple[float, float]]] = []
    for round_ in range(mode.import_rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        rounds.append({name: spawn(name) for name in order})
    measured = [name for name, (_, _, bare, _, _) in cases.items() if bare != name]
    result: dict[str, Any] = {"statements": {name: cases[name][1] for name in cases}}
    for index, metric in enumerate(("cpu", "wall")):
        above = {
            name: [r[name][index] - r[cases[name][2]][index] for r in rounds] for name in measured
        }
        result[metric] = {
            "bare_ms": statistics.median(r["bare"][index] for r in rounds) * 1e3,
            "above_bare_ms": {name: statistics.median(v) * 1e3 for name, v in above.items()},
            "ratio": {
                name: spread([v / h for v, h in zip(above[name], above["httpx"], strict=True)])
                for name in measured
                if name != "httpx"
            },
        }
        if tree is not None:
            result[metric]["other_bare_ms"] = (
                statistics.median(r[tree.label("bare")][index] for r in rounds) * 1e3
            )
            result[metric + "_above_bare"] = above
    return result


# --------------------------------------------------------------------------- report

ROWS: tuple[tuple[str, str, float | None], ...] = (
    ("get_id", "get by ID", 1.00),
    ("create", "create", 1.00),
    ("update", "update", 1.00),
    ("delete", "delete", 1.00),
    ("list_1", "list of 1 orbit", None),
    ("list_100", "list of 100 orbits", None),
    ("list_1000", "list of 1,000 orbits", 0.80),
    ("list_10000", "list of 10,000 orbits", 0.75),
    ("list_1000_read", "list of 1,000, then read every field", 0.85),
    ("list_10000_read", "list of 10,000, then read every field", 0.80),
    ("get_name_1000", "get by name among 1,000 orbits", 0.80),
    ("async_get_c50", "async get, 1,000 req at concurrency 50", 0.95),
)

LABELS = {op: label for op, label, _ in ROWS} | {
    "construct_1": "construct client, org of 1 orbit",
    "construct_10000": "construct client, org of 10,000 orbits",
}


def _r(s: dict[str, Any]) -> str:
    return f"{s['median']:.3f}x [{s['q1']:.2f}-{s['q3']:.2f}]"


def _mm(s: dict[str, Any]) -> str:
    return f"{s['min']:.2f}-{s['max']:.2f}"


def _req(kinds: dict[str, Any], field: str = "requests_per_op") -> str:
    return "/".join(f"{kinds[k][field]:.3g}" for k in KINDS)


def summary_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    ops, rows = results["slices"], []
    for op, label, goal in ROWS:
        fac, gen = ops[op]["cpu_ratio"]["facade"], ops[op]["cpu_ratio"]["generated"]
        requests = _req(ops[op]["kinds"])
        verdict = "-" if goal is None else ("meets" if fac["median"] <= goal else "MISSES")
        if op == "get_name_1000" and ops[op]["kinds"]["facade"]["requests_per_op"] != 1:
            verdict = "MISSES"
        rows.append(
            {
                "operation": label,
                "goal": "-" if goal is None else f"<= {goal:.2f}x",
                "facade": _r(fac),
                "facade_min_max": _mm(fac),
                "generated": _r(gen),
                "requests": requests,
                "verdict": verdict,
            }
        )
    memory = results["memory"]
    for metric, label, goal in (
        ("traced_held", "memory held, list of 10,000 (tracemalloc)", 0.70),
        ("traced_peak", "memory peak, list of 10,000 (tracemalloc)", None),
    ):
        fac, gen = memory[metric]["facade"], memory[metric]["generated"]
        rows.append(
            {
                "operation": label,
                "goal": "-" if goal is None else f"<= {goal:.2f}x",
                "facade": _r(fac),
                "facade_min_max": _mm(fac),
                "generated": _r(gen),
                "requests": _req(ops["list_10000"]["kinds"]),
                "verdict": "-"
                if goal is None
                else ("meets" if fac["median"] <= goal else "MISSES"),
            }
        )
    imp = results["import"]["cpu"]["ratio"]
    rows.append(
        {
            "operation": "import (vs import httpx), CPU",
            "goal": "<= 1.30x",
            "facade": _r(imp["facade"]),
            "facade_min_max": _mm(imp["facade"]),
            "generated": _r(imp["generated"]),
            "requests": "0/0/0",
            "verdict": "meets" if imp["facade"]["median"] <= 1.30 else "MISSES",
        }
    )
    growth = ops["construct_growth"]
    for op in ("construct_1", "construct_10000"):
        fac_requests = ops[op]["kinds"]["facade"]["requests_per_op"]
        rows.append(
            {
                "operation": LABELS[op] + " (vs httpx + same GETs)",
                "goal": "<= 2 req",
                "facade": _r(ops[op]["cpu_ratio"]["facade"]),
                "facade_min_max": _mm(ops[op]["cpu_ratio"]["facade"]),
                "generated": _r(ops[op]["cpu_ratio"]["generated"]),
                "requests": _req(ops[op]["kinds"]),
                "verdict": "meets" if fac_requests <= 2 else "MISSES",
            }
        )
    requests_ok = all(
        ops[op]["kinds"]["facade"]["requests_per_op"] <= 2 for op in LABELS if "construct" in op
    )
    rows.append(
        {
            "operation": "construct: cost 10,000 / 1 orbits (same kind)",
            "goal": "no growth",
            "facade": _r(growth["facade"]),
            "facade_min_max": _mm(growth["facade"]),
            "generated": _r(growth["generated"]),
            "requests": _req(ops["construct_10000"]["kinds"]),
            "verdict": "meets" if requests_ok and growth["facade"]["median"] <= 1.10 else "MISSES",
        }
    )
    return rows


def render(results: dict[str, Any]) -> str:
    lines: list[str] = []
    rows = results["summary"]
    meta = results["meta"]
    labels = tuple(results["slices"]["get_id"]["kinds"])  # this tree's, then --against's
    lines.append(
        f"dataforce bench ({meta['mode']}) {meta['started']}  python {meta['python']}  "
        f"httpx {meta['httpx']}  {meta['cpus']} CPUs  commit {meta['commit']}"
        + ("" if not meta["dirty"] else " (+ uncommitted changes)")
    )
    lines.append(
        "Client CPU per operation as a multiple of bare httpx doing the same request and "
        ".json(): median of per-round ratios [interquartile range]; requests/op seen by "
        "the server for raw/generated/facade."
    )
    header = ("operation", "goal", "facade", "facade min-max", "generated layer", "req/op", "")
    table = [header] + [
        (
            r["operation"],
            r["goal"],
            r["facade"],
            r["facade_min_max"],
            r["generated"],
            r["requests"],
            r["verdict"],
        )
        for r in rows
    ]
    lines.extend(_table(table))
    lines.append("")
    lines.append(
        "Per operation, medians over rounds: client CPU and wall time per op (us), of which "
        "in the garbage collector, requests and connections opened per op (server's "
        "counters), server CPU per request."
    )
    detail = [
        (
            "operation",
            "client",
            "CPU us/op",
            "wall us/op",
            "GC us/op",
            "req/op",
            "conn/op",
            "srv us/req",
        )
    ]
    for op in SYNC_OPS + ASYNC_OPS:
        for kind in labels:
            k = results["slices"][op]["kinds"][kind]
            detail.append(
                (
                    LABELS[op] if kind == "raw" else "",
                    kind,
                    f"{k['cpu_per_op_us']:.1f}",
                    f"{k['wall_per_op_us']:.1f}",
                    f"{k['gc_per_op_us']:.1f}",
                    f"{k['requests_per_op']:.3g}",
                    f"{k['connections_per_op']:.3g}",
                    f"{k['server_cpu_per_request_us']:.1f}",
                )
            )
    lines.extend(_table(detail))
    slices = results["slices"]
    shares = []
    for op in ("get_id", "list_1000", "list_10000"):
        server_us = statistics.median(
            slices[op]["kinds"][kind]["server_cpu_per_request_us"] for kind in KINDS
        )
        shares.append(
            f"{LABELS[op]} {server_us:.0f} us "
            f"({server_us / slices[op]['kinds']['raw']['cpu_per_op_us']:.0%} of raw client CPU)"
        )
    lines.append("Server CPU per request: " + "; ".join(shares) + ".")
    memory = results["memory"]
    lines.append("")
    lines.append("Memory, list of 10,000 orbits (median bytes; fresh process per sample):")
    mem = [("client", "held (tracemalloc)", "peak (tracemalloc)", "held (RSS)", "peak (maxrss)")]
    for kind in labels:
        mem.append(
            (
                kind,
                *(
                    f"{memory[m + '_bytes'][kind] / 2**20:.2f} MiB"
                    for m in ("traced_held", "traced_peak", "rss_held", "rss_peak")
                ),
            )
        )
    lines.extend(_table(mem))
    imp = results["import"]
    lines.append("")
    where, other_bare = "", ""
    if "other_bare_ms" in imp["cpu"]:
        where = " in the other commit's virtualenv, each tree's packages first on PYTHONPATH"
        other_bare = (
            f"; with the other tree's PYTHONPATH {imp['cpu']['other_bare_ms']:.1f} ms CPU, "
            f"{imp['wall']['other_bare_ms']:.1f} ms wall"
        )
    lines.append(
        f"Import, fresh interpreter{where}, median over {meta['import_rounds']} interleaved "
        f"rounds (bare interpreter: {imp['cpu']['bare_ms']:.1f} ms CPU, "
        f"{imp['wall']['bare_ms']:.1f} ms wall{other_bare}, subtracted):"
    )
    im = [("statement", "CPU ms", "wall ms", "CPU ratio to httpx", "wall ratio to httpx")]
    for name in imp["cpu"]["above_bare_ms"]:
        kind, _, commit = name.partition("@")
        im.append(
            (
                IMPORT_LABELS[kind] + (f" @{commit}" if commit else ""),
                f"{imp['cpu']['above_bare_ms'][name]:.1f}",
                f"{imp['wall']['above_bare_ms'][name]:.1f}",
                "1.00x" if name == "httpx" else _r(imp["cpu"]["ratio"][name]),
                "1.00x" if name == "httpx" else _r(imp["wall"]["ratio"][name]),
            )
        )
    lines.extend(_table(im))
    lines.append("")
    lines.append(
        f"{meta['rounds']} rounds, ~{meta['slice_cpu'] * 1e3:.0f} ms client CPU per slice; "
        f"total {meta['duration_s']:.0f} s."
    )
    return "\n".join(lines)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for index, row in enumerate(rows):
        out.append(
            "  ".join(
                cell.ljust(w) if i == 0 or not cell[:1].isdigit() else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _git() -> tuple[str, bool]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "dataforce", "generated"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout.strip()
    except OSError:
        return "unknown", False
    return commit or "unknown", bool(dirty)


# --------------------------------------------------------------------------- main


def bench(
    mode: Mode, out_dir: Path, ref: str | None = None, seed: int | None = None
) -> dict[str, Any]:
    """One run; with ``ref``, that commit's facade and generated layer in the same rounds.
    ``seed``: the order of operations in the rounds (default: a new one, saved)."""

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    import httpx

    commit, dirty = _git()
    tree = against.prepare(ref, log) if ref is not None else None
    clients = _clients(tree)
    labels = tuple(client.label for client in clients)
    server = Server()
    workers: dict[str, Worker] = {}
    try:
        log(f"server on {server.base_url} (pid {server.process.pid})")
        for client in clients:
            workers[client.label] = Worker(client, server.base_url, log)
        groups = None
        if tree is not None:
            pairs = [(kind, tree.label(kind)) for kind in ("generated", "facade")]
            groups = (("raw",), *pairs)
        counts = _calibrate(server, workers, SYNC_OPS + ASYNC_OPS, mode, log)
        if seed is None:
            seed = random.SystemRandom().randrange(1 << 32)
        log(f"seed {seed} (--seed {seed} runs the operations in this run's order)")
        slices = run_slices(server, workers, mode, log, groups, counts=counts, seed=seed)
        confirmation: dict[str, Any] = {}
        if tree is not None:
            suspects = against.suspects(slices["records"], tree)
            if suspects:
                again = replace(mode, rounds=against.CONFIRM_ROUNDS)
                log(f"measuring again, over {again.rounds} rounds: {', '.join(suspects)}")
                confirmation = run_slices(
                    server, workers, again, log, groups, suspects, counts, seed + 1
                )
                confirmation["rounds"] = again.rounds
        for worker in workers.values():
            worker.stop()
        workers.clear()
        memory = run_memory(server.base_url, mode, log, clients)
    finally:
        for worker in workers.values():
            worker.stop()
        server.stop()
    imports = run_imports(mode, log, tree)
    if tree is not None and against.import_suspect(imports, tree):
        again = replace(mode, import_rounds=against.CONFIRM_ROUNDS)
        log(f"measuring the imports again, over {again.import_rounds} rounds")
        confirmation["import"] = run_imports(again, log, tree)
    results: dict[str, Any] = {
        "meta": {
            "mode": mode.name,
            "started": started,
            "python": platform.python_version(),
            "httpx": httpx.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "commit": commit,
            "dirty": dirty,
            "rounds": mode.rounds,
            "seed": seed,
            "slice_cpu": mode.slice_cpu,
            "memory_repeats": mode.memory_repeats,
            "import_rounds": mode.import_rounds,
        },
        "slices": summarise_slices(slices["records"], labels),
        "ops_per_slice": slices["counts"],
        "raw_records": slices["records"],
        "memory": memory,
        "import": imports,
    }
    if confirmation:
        results["confirmation"] = confirmation  # records and rounds; import: the second run
    results["summary"] = summary_rows(results)
    results["meta"]["duration_s"] = time.perf_counter() - t0
    text = render(results)
    name = mode.name
    if tree is not None:
        ops = [(op, label) for op, label, _ in ROWS]
        ops += [
            (op, LABELS[op] + " (vs httpx + same GETs)")
            for op in ("construct_1", "construct_10000")
        ]
        results["against"] = against.compare(results, tree, ops, spread)
        text += "\n" + "\n".join(against.render(results["against"], _table))
        name = f"{mode.name}-against-{tree.short}"
    results["table"] = text
    print(text)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    body = json.dumps(results, indent=1, default=str)
    latest = "latest.json" if tree is None else "latest-against.json"
    (out_dir / f"bench-{name}-{stamp}.json").write_text(body)
    (out_dir / latest).write_text(body)
    log(f"wrote {out_dir / f'bench-{name}-{stamp}.json'} and {latest}")
    return results


def profile(op: str, kind: str, seconds: float, top: int, use_cprofile: bool) -> None:
    """Profile ``op`` in a ``kind`` worker and in a ``raw`` one; print where they differ.

    By default a CPU-time sampling profiler (``_bench_worker._sample``): per operation,
    CPU by *owner* — the innermost frame that is not the standard library, so that
    ``urllib.parse.quote`` called by the facade counts as the facade's — then the lines
    and functions whose CPU per operation grew the most against raw httpx. JSON decoding
    is its own row whoever calls it. ``--cprofile`` prints cProfile's cumulative table
    instead (exact call counts, but its overhead grows with the number of calls).
    """
    if op == "import":
        _profile_import(top)
        return
    kinds = [kind] if kind == "raw" else [kind, "raw"]
    server = Server()
    outs: dict[str, tuple[Path, int, float]] = {}
    suffix = "pstats" if use_cprofile else "samples.json"
    try:
        for name in kinds:
            worker = Worker(Client(name, name), server.base_url)
            out = ROOT / "bench-results" / f"profile-{name}-{op}.{suffix}"
            out.parent.mkdir(exist_ok=True)
            try:
                per_call = worker.ask(cmd="calibrate", op=op, target=0.3)["cpu_per_call"]
                n = max(1, round(seconds / per_call))
                command = "profile" if use_cprofile else "sample"
                worker.ask(cmd=command, op=op, n=n, out=str(out))
            finally:
                worker.stop()
            outs[name] = (out, n, per_call)
            print(f"{name} {op}: {n} calls profiled, {per_call * 1e6:.1f} us CPU/call unprofiled")
    finally:
        server.stop()
    if use_cprofile:
        for name, (out, n, _) in outs.items():
            print(f"\n{name}: top functions by cumulative time ({n} calls)")
            pstats.Stats(str(out)).sort_stats("cumulative").print_stats(top)
        return
    profiles = {name: _load_samples(out) for name, (out, _, _) in outs.items()}
    names = list(outs)
    for title, key in (
        ("CPU per operation by owner (us)", lambda s: _owner(s)[0]),
        ("CPU per operation by owner function (us)", lambda s: _where(_owner(s)[1], False)),
        ("CPU per operation by owner line (us)", lambda s: _where(_owner(s)[1], True)),
    ):
        tables = {name: _tally(profile, key) for name, profile in profiles.items()}
        keys = set().union(*tables.values())
        if len(names) == 2:
            ordered = sorted(
                keys, key=lambda k: tables[names[1]].get(k, 0) - tables[names[0]].get(k, 0)
            )
        else:
            ordered = sorted(keys, key=lambda k: -tables[names[0]].get(k, 0))
        limit = None if "owner (us)" in title else top
        rows = [
            (title.split(" by ")[1].split(" (")[0], *names, *(["difference"] * (len(names) == 2)))
        ]
        for k in ordered[:limit]:
            values = [tables[name].get(k, 0.0) for name in names]
            rows.append((k, *(f"{v:.1f}" for v in values), *_difference(values)))
        if limit is None:
            totals = [sum(tables[name].values()) for name in names]
            rows.append(("total", *(f"{v:.1f}" for v in totals), *_difference(totals)))
        suffix_note = ", most grown first" if len(names) == 2 else ""
        print(f"\n{title}{suffix_note}:")
        print("\n".join(_table(rows)))


Stack = tuple[tuple[str, int, str], ...]


def _load_samples(path: Path) -> tuple[list[tuple[Stack, int]], float]:
    """Stacks with counts, and the CPU microseconds per operation each sample stands for."""
    loaded = json.loads(path.read_text())
    stacks = [(tuple(tuple(f) for f in s), c) for s, c in loaded["stacks"]]
    samples = sum(c for _, c in stacks) or 1
    return stacks, loaded["cpu"] / samples / loaded["n"] * 1e6  # type: ignore[return-value]


def _tally(profile: tuple[list[tuple[Stack, int]], float], key: Any) -> dict[str, float]:
    stacks, weight = profile
    result: dict[str, float] = defaultdict(float)
    for stack, count in stacks:
        if stack:
            result[key(stack)] += count * weight
    return result


_AREAS = (
    ("/dataforce_openapi/", "dataforce_openapi (generated)"),
    ("/dataforce/", "dataforce.api (facade)"),
    ("/httpx/", "httpx"),
    ("/httpcore/", "httpcore"),
    ("/h11/", "h11"),
    ("/anyio/", "anyio"),
    ("/attr/", "attrs"),
    ("_bench_worker", "bench harness"),
)


def _is_stdlib(filename: str) -> bool:
    return filename.startswith("<") or (
        "/lib/python3" in filename and "site-packages" not in filename
    )


def _owner(stack: Stack) -> tuple[str, tuple[str, int, str]]:
    """Who a sample's CPU belongs to: the garbage collector (shown at the line whose
    allocation triggered it) or JSON decoding wherever they are called from, else the
    innermost frame outside the standard library (the stdlib's own work, e.g. the event
    loop, when there is none)."""
    if stack[0][0] == "<gc>":
        return "garbage collector", stack[1] if len(stack) > 1 else stack[0]
    if "/json/" in stack[0][0]:
        return "json decoding", stack[0]
    for frame in stack:
        if not _is_stdlib(frame[0]):
            for marker, area in _AREAS:
                if marker in frame[0]:
                    return area, frame
            return "other", frame
    return "standard library only", stack[0]


def _difference(values: list[float]) -> list[str]:
    return [f"{values[0] - values[1]:+.1f}"] if len(values) == 2 else []


def _where(func: tuple[str, int, str], with_line: bool = True) -> str:
    filename, line, name = func
    for marker in ("site-packages/", "/lib/python3.11/", str(ROOT) + "/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line} ({name})" if with_line else f"{filename} ({name})"


def _profile_import(top: int) -> None:
    """Self time per module of ``import dataforce.api`` that ``import httpx`` does not pay."""

    def self_times(statement: str) -> dict[str, list[int]]:
        times: dict[str, list[int]] = defaultdict(list)
        for _ in range(15):
            done = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", statement],
                capture_output=True,
                text=True,
                check=True,
            )
            for line in done.stderr.splitlines():
                if not line.startswith("import time:") or "self [us]" in line:
                    continue
                own, _, name = line[len("import time:") :].split("|", 2)
                times[name.strip()].append(int(own))
        return times

    httpx_modules = self_times(IMPORTS["httpx"])
    facade = self_times(IMPORTS["facade"])
    extra = {
        name: statistics.median(values)
        for name, values in facade.items()
        if name not in httpx_modules
    }
    total = sum(extra.values())
    base = sum(statistics.median(v) for v in httpx_modules.values())
    print(f"import httpx: {base / 1e3:.1f} ms of module self time (median of 15, -X importtime)")
    print(f"import dataforce.api adds {len(extra)} modules, {total / 1e3:.1f} ms:")
    for name, value in sorted(extra.items(), key=lambda item: -item[1])[:top]:
        print(f"  {value / 1e3:7.2f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, under a minute")
    parser.add_argument("--rounds", type=int, help="override the number of rounds")
    parser.add_argument(
        "--seed", type=int, help="order of the operations in the rounds (default: a new one)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    parser.add_argument(
        "--profile",
        metavar="OP",
        help="cProfile one operation instead ("
        + ", ".join((*SYNC_OPS, *ASYNC_OPS, "import"))
        + ")",
    )
    parser.add_argument("--kind", default="facade", choices=KINDS, help="client to profile")
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="CPU seconds to profile, per client"
    )
    parser.add_argument("--cprofile", action="store_true", help="cProfile, not sampling")
    parser.add_argument(
        "--overhead",
        action="store_true",
        help="the facade's own CPU per single-orbit call, with canned responses (no I/O)",
    )
    parser.add_argument("--top", type=int, default=30, help="rows of profile output")
    parser.add_argument(
        "--against",
        metavar="REF",
        help="also run commit REF's facade and generated layer in the same rounds, and "
        "compare them with this tree's row by row (see scripts/_bench_against.py)",
    )
    parser.add_argument(
        "--fail-if-worse",
        action="store_true",
        help="with --against: exit with status 1 if any row's verdict is WORSE",
    )
    args = parser.parse_args()
    if args.fail_if_worse and not args.against:
        parser.error("--fail-if-worse needs --against REF")
    if args.against and (args.profile or args.overhead):
        parser.error("--against runs the benchmark: not with --profile or --overhead")
    if args.profile:
        profile(args.profile, args.kind, args.seconds, args.top, args.cprofile)
        return
    if args.overhead:
        import _bench_overhead

        server = Server()
        try:
            _bench_overhead.run(server.base_url, args.top)
        finally:
            server.stop()
        return
    mode = QUICK if args.quick else FULL
    if args.rounds:
        mode = Mode(mode.name, args.rounds, mode.slice_cpu, mode.memory_repeats, mode.import_rounds)
    results = bench(mode, args.out, args.against, args.seed)
    if args.fail_if_worse and results["against"]["worse"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
