"""One client kind of the benchmark, in its own process, fed commands by ``bench.py``.

    python scripts/_bench_worker.py KIND BASE_URL IDS_JSON            # command loop
    python scripts/_bench_worker.py KIND BASE_URL IDS_JSON --memory   # one memory probe

KIND is ``raw`` (bare httpx + ``response.json()``), ``generated`` (``dataforce_openapi``
called directly) or ``facade`` (``dataforce.api``). Only that kind's packages are
imported. Once they are, the worker answers ``{"ready": true, "origins"}`` (the files
``dataforce`` and ``dataforce_openapi`` were imported from, those of the two it loaded).
Commands arrive as JSON lines on stdin and are answered as JSON lines on stdout:

* ``{"cmd": "calibrate", "op", "target"}``: three untimed calls, then run the op until
  ``target`` CPU seconds have been spent (at least twice); answer ``{"cpu_per_call"}``.
* ``{"cmd": "prepare", "op", "warm"}``: ``gc.collect()``, then ``warm`` untimed calls.
* ``{"cmd": "run", "op", "n"}``: time ``n`` calls; answer ``{"cpu", "wall", "gc",
  "gc_full", "units"}``: CPU and wall seconds, CPU seconds spent in the garbage
  collector, full collections, and operations done (1000 per async batch).
* ``{"cmd": "profile", "op", "n", "out"}``: the same loop under cProfile, stats to ``out``.
* ``{"cmd": "sample", "op", "n", "out"}``: the same loop under a sampling profiler.
* ``{"cmd": "quit"}``.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# The spec's path templates, from the driver (see _bench_data.PATHS): a raw-httpx worker
# builds its paths like hand-written code would, without importing the SDK.
_PATHS: dict[str, str] = json.loads(os.environ["DATAFORCE_BENCH_PATHS"])
ORGANIZATIONS = _PATHS["list_my_organizations"]
ORBITS = _PATHS["list_orbits"]
ORBIT = _PATHS["get_orbit"]

ASYNC_TOTAL = 1000
ASYNC_CONCURRENCY = 50

Op = Callable[[], Any]


class Ops:
    """The operations of one client kind: name -> (callable, operations per call)."""

    def __init__(self, base_url: str, ids: dict[str, Any]) -> None:
        self.base_url = base_url
        self.ids = ids
        self.org = ids["orgs"]["1"]
        self.orbit = ids["default_orbit"]["1"]
        self.other = ids["unlisted_orbit"]
        self.secret = ids["bucket_secret"]
        self.key = ids["api_key"]
        self.loop: Any = None

    def table(self) -> dict[str, tuple[Op, int]]:
        ops: dict[str, tuple[Op, int]] = {
            "get_id": (self.get_id, 1),
            "create": (self.create, 1),
            "update": (self.update, 1),
            "delete": (self.delete, 1),
            "get_name_1000": (self.get_name, 1),
            "construct_1": (lambda: self.construct("1"), 1),
            "construct_10000": (lambda: self.construct("10000"), 1),
            "async_get_c50": (self.async_batch, ASYNC_TOTAL),
        }
        for size in ("1", "100", "1000", "10000"):
            ops[f"list_{size}"] = (self.lister(size), 1)
        read = self.read_fields
        for size in ("1000", "10000"):
            lister = ops[f"list_{size}"][0]
            ops[f"list_{size}_read"] = (lambda lister=lister: read(lister()), 1)
        return ops

    # Every field the server sends of a listed orbit (the spec's Orbit).
    FIELDS = (
        "id",
        "name",
        "organization_id",
        "bucket_secret_id",
        "total_members",
        "total_collections",
        "created_at",
        "updated_at",
        "role",
        "permissions",
    )

    def read_fields(self, orbits: Any) -> Any:
        """Read every field of every orbit, as attributes (see RawOps for dicts)."""
        return [tuple(getattr(orbit, field) for field in self.FIELDS) for orbit in orbits]

    def async_batch(self) -> None:
        """1,000 gets from 50 tasks, on a client made for the batch and closed after it.

        A fresh client per batch, because a reused one is not in a repeatable state:
        httpcore's pool keeps 12 to 20 of the 50 connections a batch opened, depending
        on timing, and the next batch's CPU per request moves by ~30% with that number.
        """
        if self.loop is None:
            import asyncio

            self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.async_gather())

    async def async_gather(self) -> None:
        import asyncio

        await self.async_open()
        get = self.async_get

        async def worker(count: int) -> None:
            for _ in range(count):
                await get()

        per_task = ASYNC_TOTAL // ASYNC_CONCURRENCY
        try:
            await asyncio.gather(*(worker(per_task) for _ in range(ASYNC_CONCURRENCY)))
        finally:
            await self.async_close()

    # Each kind defines: get_id, create, update, delete, get_name, construct(size),
    # lister(size), async_open, async_get, async_close.
    def get_id(self) -> Any:
        raise NotImplementedError

    create = update = delete = get_name = get_id

    def construct(self, size: str) -> Any:
        raise NotImplementedError

    def lister(self, size: str) -> Op:
        raise NotImplementedError

    async def async_open(self) -> None:
        raise NotImplementedError

    async def async_get(self) -> Any:
        raise NotImplementedError

    async def async_close(self) -> None:
        raise NotImplementedError


class RawOps(Ops):
    """Bare httpx: build the path, send, ``response.json()``."""

    def __init__(self, base_url: str, ids: dict[str, Any]) -> None:
        super().__init__(base_url, ids)
        import httpx

        self.httpx = httpx
        self.headers = {"Authorization": f"Bearer {self.key}"}
        self.http = httpx.Client(base_url=base_url, headers=self.headers)

    def get_id(self) -> Any:
        return self.http.get(ORBIT.format(self.org, self.orbit)).json()

    def create(self) -> Any:
        body = {"name": "Bench orbit", "bucket_secret_id": self.secret}
        return self.http.post(ORBITS.format(self.org), json=body).json()

    def update(self) -> Any:
        body = {"name": "Renamed orbit"}
        return self.http.patch(ORBIT.format(self.org, self.orbit), json=body).json()

    def delete(self) -> Any:
        # 204 with no body: there is nothing to decode.
        return self.http.delete(ORBIT.format(self.org, self.other)).status_code

    def get_name(self) -> Any:
        org, name = self.ids["orgs"]["1000"], self.ids["name_lookup_target"]
        orbits = self.http.get(ORBITS.format(org)).json()
        return [orbit for orbit in orbits if orbit["name"] == name]

    def read_fields(self, orbits: Any) -> Any:
        return [tuple(orbit[field] for field in self.FIELDS) for orbit in orbits]

    def lister(self, size: str) -> Op:
        path = ORBITS.format(self.ids["orgs"][size])
        get = self.http.get
        return lambda: get(path).json()

    def construct(self, size: str) -> Any:
        org, orbit = self.ids["orgs"][size], self.ids["default_orbit"][size]
        with self.httpx.Client(base_url=self.base_url, headers=self.headers) as http:
            http.get(ORGANIZATIONS).json()
            return http.get(ORBIT.format(org, orbit)).json()

    async def async_open(self) -> None:
        # The same two requests the facade's setup_config makes, so that every kind
        # starts its batch with the same pool: one idle connection.
        self.ahttp = self.httpx.AsyncClient(base_url=self.base_url, headers=self.headers)
        (await self.ahttp.get(ORGANIZATIONS)).json()
        (await self.ahttp.get(ORBIT.format(self.org, self.orbit))).json()

    async def async_get(self) -> Any:
        return (await self.ahttp.get(ORBIT.format(self.org, self.orbit))).json()

    async def async_close(self) -> None:
        await self.ahttp.aclose()


class GeneratedOps(Ops):
    """``dataforce_openapi`` called directly: ``sync_detailed``/``asyncio_detailed``."""

    def __init__(self, base_url: str, ids: dict[str, Any]) -> None:
        super().__init__(base_url, ids)
        from uuid import UUID

        from dataforce_openapi import AuthenticatedClient
        from dataforce_openapi.api.orbits import (
            create_orbit,
            delete_orbit,
            get_orbit,
            list_orbits,
            update_orbit,
        )
        from dataforce_openapi.api.organizations import list_my_organizations
        from dataforce_openapi.models import OrbitCreateIn, OrbitUpdate

        self.AuthenticatedClient = AuthenticatedClient
        self.m_create, self.m_delete, self.m_get = create_orbit, delete_orbit, get_orbit
        self.m_list, self.m_update, self.m_orgs = list_orbits, update_orbit, list_my_organizations
        self.OrbitCreateIn, self.OrbitUpdate = OrbitCreateIn, OrbitUpdate
        self.uuid = UUID
        self.u_org, self.u_orbit = UUID(self.org), UUID(self.orbit)
        self.u_other, self.u_secret = UUID(self.other), UUID(self.secret)
        self.client = AuthenticatedClient(base_url=base_url, token=self.key)

    def get_id(self) -> Any:
        return self.m_get.sync_detailed(self.u_org, self.u_orbit, client=self.client).parsed

    def create(self) -> Any:
        body = self.OrbitCreateIn(name="Bench orbit", bucket_secret_id=self.u_secret)
        return self.m_create.sync_detailed(self.u_org, client=self.client, body=body).parsed

    def update(self) -> Any:
        body = self.OrbitUpdate(name="Renamed orbit")
        return self.m_update.sync_detailed(
            self.u_org, self.u_orbit, client=self.client, body=body
        ).parsed

    def delete(self) -> Any:
        return self.m_delete.sync_detailed(self.u_org, self.u_other, client=self.client).parsed

    def get_name(self) -> Any:
        org, name = self.uuid(self.ids["orgs"]["1000"]), self.ids["name_lookup_target"]
        orbits = self.m_list.sync_detailed(org, client=self.client).parsed
        return [orbit for orbit in orbits if orbit.name == name]

    def lister(self, size: str) -> Op:
        org, sync_detailed, client = self.uuid(self.ids["orgs"][size]), self.m_list, self.client
        return lambda: sync_detailed.sync_detailed(org, client=client).parsed

    def construct(self, size: str) -> Any:
        org, orbit = self.uuid(self.ids["orgs"][size]), self.uuid(self.ids["default_orbit"][size])
        with self.AuthenticatedClient(base_url=self.base_url, token=self.key) as client:
            self.m_orgs.sync_detailed(client=client)
            return self.m_get.sync_detailed(org, orbit, client=client).parsed

    async def async_open(self) -> None:
        # The same two requests as the facade's setup_config (see RawOps.async_open).
        self.aclient = self.AuthenticatedClient(base_url=self.base_url, token=self.key)
        await self.m_orgs.asyncio_detailed(client=self.aclient)
        await self.m_get.asyncio_detailed(self.u_org, self.u_orbit, client=self.aclient)

    async def async_get(self) -> Any:
        response = await self.m_get.asyncio_detailed(self.u_org, self.u_orbit, client=self.aclient)
        return response.parsed

    async def async_close(self) -> None:
        await self.aclient.get_async_httpx_client().aclose()


class FacadeOps(Ops):
    """``dataforce.api``: one client per organization, defaults resolved once at setup."""

    def __init__(self, base_url: str, ids: dict[str, Any]) -> None:
        super().__init__(base_url, ids)
        from dataforce.api import DataForceClient

        self.DataForceClient = DataForceClient
        self.clients: dict[str, Any] = {}
        self.client = self.client_for("1")

    def client_for(self, size: str) -> Any:
        if size not in self.clients:
            self.clients[size] = self.DataForceClient(
                base_url=self.base_url,
                api_key=self.key,
                organization=self.ids["orgs"][size],
                orbit=self.ids["default_orbit"][size],
            )
        return self.clients[size]

    def get_id(self) -> Any:
        return self.client.orbits.get(self.orbit)

    def create(self) -> Any:
        return self.client.orbits.create("Bench orbit", self.secret)

    def update(self) -> Any:
        return self.client.orbits.update(name="Renamed orbit")

    def delete(self) -> Any:
        return self.client.orbits.delete(self.other)

    def get_name(self) -> Any:
        return self.client_for("1000").orbits.get(self.ids["name_lookup_target"])

    def lister(self, size: str) -> Op:
        orbits = self.client_for(size).orbits
        return orbits.list

    def construct(self, size: str) -> Any:
        org, orbit = self.ids["orgs"][size], self.ids["default_orbit"][size]
        self.DataForceClient(
            base_url=self.base_url, api_key=self.key, organization=org, orbit=orbit
        ).close()

    async def async_open(self) -> None:
        from dataforce.api import AsyncDataForceClient

        # Resolving the defaults: 2 requests per batch of 1,000 (made by every kind).
        self.aclient = AsyncDataForceClient(base_url=self.base_url, api_key=self.key)
        await self.aclient.setup_config(organization=self.org, orbit=self.orbit)

    async def async_get(self) -> Any:
        return await self.aclient.orbits.get(self.orbit)

    async def async_close(self) -> None:
        await self.aclient.close()


KINDS: dict[str, type[Ops]] = {"raw": RawOps, "generated": GeneratedOps, "facade": FacadeOps}


class _GCClock:
    """CPU spent in the cyclic garbage collector, and full (generation 2) collections."""

    spent = 0.0
    full = 0
    _started = 0.0

    @classmethod
    def callback(cls, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            cls._started = time.process_time()
        else:
            cls.spent += time.process_time() - cls._started
            cls.full += info["generation"] == 2

    @classmethod
    def reset(cls) -> None:
        cls.spent, cls.full = 0.0, 0


gc.callbacks.append(_GCClock.callback)


def _prepare(op: Op, warm: int) -> None:
    gc.collect()
    # Untimed calls after the collection: it may have handed memory back to the system,
    # which the first call after it would pay to map again, once per slice.
    for _ in range(warm):
        op()


def _run(op: Op, n: int) -> dict[str, float]:
    _GCClock.reset()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        op()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu": cpu, "wall": wall, "gc": _GCClock.spent, "gc_full": _GCClock.full}


def _calibrate(op: Op, target: float) -> float:
    # Untimed first: a first call can import modules or fill caches (the generated
    # layer imports its nested models on first use) and would inflate the estimate.
    for _ in range(3):
        op()
    calls, spent = 0, 0.0
    while calls < 2 or spent < target:
        started = time.process_time()
        op()
        spent += time.process_time() - started
        calls += 1
    return spent / calls


def _profile(op: Op, n: int, out: str) -> None:
    """The loop under cProfile with a CPU clock; stats to ``out`` (pstats format)."""
    import cProfile

    gc.collect()
    profiler = cProfile.Profile(time.process_time)  # CPU, not time spent waiting
    profiler.enable()
    for _ in range(n):
        op()
    profiler.disable()
    profiler.dump_stats(out)


def _sample(op: Op, n: int, out: str) -> None:
    """The loop under a CPU-time sampling profiler; stacks and counts to ``out`` (JSON).

    ``ITIMER_PROF`` fires every ``interval`` of this process's CPU time (in practice at
    the kernel's tick, e.g. 4 ms); the handler records the interrupted Python stack. A C
    function (``json.loads``, a regex, ``socket.send``) shows as the line that called it.
    Time in the garbage collector shows as a ``<gc>`` frame over the line that triggered
    it. Unlike cProfile, the overhead does not grow with the number of calls made.
    """
    import signal
    from collections import Counter

    counts: Counter[tuple[tuple[str, int, str], ...]] = Counter()
    own_code = sys._getframe().f_code

    gc_code = _GCClock.callback.__code__

    def handler(signum: int, frame: Any) -> None:
        stack = []
        if frame.f_code is gc_code:
            # A signal that arrived in C code is handled at the next Python bytecode. If
            # that is the collector's callback: at "stop", the CPU went to the collection;
            # at "start", to the C function (json.loads, ...) whose allocation started it.
            if frame.f_locals.get("phase") == "stop":
                stack.append(("<gc>", 0, "garbage collection"))
            frame = frame.f_back
        while frame is not None and frame.f_code is not own_code:
            code = frame.f_code
            stack.append((code.co_filename, frame.f_lineno, code.co_name))
            frame = frame.f_back
        counts[tuple(stack)] += 1

    gc.collect()
    previous = signal.signal(signal.SIGPROF, handler)
    interval = 0.001
    cpu = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        for _ in range(n):
            op()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        cpu = time.process_time() - cpu
        signal.signal(signal.SIGPROF, previous)
    with open(out, "w") as file:
        json.dump({"cpu": cpu, "n": n, "stacks": [[s, c] for s, c in counts.items()]}, file)


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _memory(ops: Ops) -> dict[str, int]:
    """The list-10,000 call: memory it leaves held by its result, and its peak.

    Measured twice in this fresh process: by RSS (``ru_maxrss`` growth for the peak,
    current RSS growth for what is held) on the first list-10,000 call — warmed up on a
    1-orbit list so code paths are loaded but the heap is small — then by tracemalloc on
    a second call.
    """
    import tracemalloc

    table = ops.table()
    small, _ = table["list_1"]
    big, _ = table["list_10000"]
    small()
    small()
    gc.collect()
    rss0, max0 = _rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = big()
    gc.collect()
    rss1, max1 = _rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert len(result) == 10000
    del result
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    result = big()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(result) == 10000
    return {
        "traced_held": current - base,
        "traced_peak": peak - base,
        "rss_held": rss1 - rss0,
        "rss_peak": (max1 - max0) * 1024,
    }


def main() -> None:
    kind, base_url, ids_json = sys.argv[1:4]
    ids = json.loads(ids_json)
    ops = KINDS[kind](base_url, ids)
    if "--memory" in sys.argv[4:]:
        print(json.dumps(_memory(ops)), flush=True)
        return
    table = ops.table()
    out = sys.stdout
    # Where the SDK's packages came from: the driver checks that a worker for another
    # tree (bench.py --against) imported that tree's code, not this one's.
    origins = {
        name: getattr(sys.modules[name], "__file__", None)
        for name in ("dataforce", "dataforce_openapi")
        if name in sys.modules
    }
    out.write(json.dumps({"ready": True, "origins": origins}) + "\n")
    out.flush()
    for line in sys.stdin:
        command = json.loads(line)
        cmd = command["cmd"]
        if cmd == "quit":
            break
        op, units = table[command["op"]]
        if cmd == "calibrate":
            reply: dict[str, Any] = {"cpu_per_call": _calibrate(op, command["target"])}
        elif cmd == "run":
            n = command["n"]
            reply = _run(op, n) | {"units": n * units}
        elif cmd == "prepare":
            _prepare(op, command["warm"])
            reply = {"done": True}
        elif cmd == "profile":
            _profile(op, command["n"], command["out"])
            reply = {"done": True}
        elif cmd == "sample":
            _sample(op, command["n"], command["out"])
            reply = {"done": True}
        else:
            reply = {"error": f"unknown command {cmd!r}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
