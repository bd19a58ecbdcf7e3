"""The facade's own CPU per call, without the network: ``bench.py --overhead``.

Each single-orbit operation is run twice in this process against canned, already-read
responses — bare httpx (``build_request`` + the canned response + ``.json()``) and the
facade (its client's ``send`` replaced by one returning the canned response) — so that
what differs is only the Python each side runs around httpx. Printed per operation: CPU
per call for both (median of interleaved repetitions), the difference, and cProfile's
exact count of extra function calls with the functions they come from.

A diagnostic for working on the facade, not a figure of the benchmark: it relies on the
facade keeping its ``httpx.Client`` in ``client._http``.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _bench_data as data
import httpx

ROOT = Path(__file__).resolve().parent.parent


def _profile(call: Callable[[], Any], n: int) -> dict[Any, Any]:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        call()
    profiler.disable()
    return pstats.Stats(profiler).stats  # type: ignore[attr-defined,no-any-return]


def _name(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    for marker in ("site-packages/", f"{ROOT}/", "/lib/python3.11/"):
        filename = filename.split(marker)[-1]
    return f"{name}" if filename == "~" else f"{filename}:{line}({name})"


def run(base_url: str, top: int) -> None:
    from dataforce.api import DataForceClient

    ids = data.ids_for_workers()
    org = ids["orgs"]["1"]  # type: ignore[index]
    orbit = ids["default_orbit"]["1"]  # type: ignore[index]
    other, secret = ids["unlisted_orbit"], ids["bucket_secret"]
    facade = DataForceClient(base_url=base_url, api_key=data.API_KEY, organization=org, orbit=orbit)
    raw = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {data.API_KEY}"})
    orbit_path, orbits_path = data.PATHS["get_orbit"], data.PATHS["list_orbits"]
    one, many = orbit_path.format(org, orbit), orbits_path.format(org)
    gone = orbit_path.format(org, other)
    create_body = {"name": "Bench orbit", "bucket_secret_id": secret}
    requests = {
        "get_id": ("GET", one, None),
        "create": ("POST", many, create_body),
        "update": ("PATCH", one, {"name": "Renamed orbit"}),
        "delete": ("DELETE", gone, None),
    }
    canned = {}
    for op, (method, path, body) in requests.items():
        response = raw.request(method, path, json=body)
        response.read()
        canned[op] = response
    current = {"op": "get_id"}

    def send(request: httpx.Request, **kwargs: Any) -> httpx.Response:
        return canned[current["op"]]

    raw.send = facade._http.send = send  # type: ignore[method-assign]
    build = raw.build_request
    calls: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "get_id": (
            lambda: send(build("GET", orbit_path.format(org, orbit))).json(),
            lambda: facade.orbits.get(orbit),
        ),
        "create": (
            lambda: send(build("POST", orbits_path.format(org), json=create_body)).json(),
            lambda: facade.orbits.create("Bench orbit", secret),
        ),
        "update": (
            lambda: send(
                build("PATCH", orbit_path.format(org, orbit), json={"name": "Renamed"})
            ).json(),
            lambda: facade.orbits.update(name="Renamed"),
        ),
        "delete": (
            lambda: send(build("DELETE", orbit_path.format(org, other))).status_code,
            lambda: facade.orbits.delete(other),
        ),
    }
    print("CPU per call with canned responses (no I/O), median of 9 interleaved x 3,000 calls")
    for op, pair in calls.items():
        current["op"] = op
        times: list[list[float]] = [[], []]
        for _ in range(9):
            for index, call in enumerate(pair):
                gc.collect()
                started = time.process_time()
                for _ in range(3000):
                    call()
                times[index].append((time.process_time() - started) / 3000 * 1e6)
        raw_us, facade_us = (statistics.median(t) for t in times)
        n = 20000
        raw_stats, facade_stats = _profile(pair[0], n), _profile(pair[1], n)
        raw_calls = sum(s[1] for s in raw_stats.values()) / n
        facade_calls = sum(s[1] for s in facade_stats.values()) / n
        print(
            f"\n{op}: raw {raw_us:.1f} us, facade {facade_us:.1f} us "
            f"(+{facade_us - raw_us:.1f} us); function calls per op: raw {raw_calls:.0f}, "
            f"facade {facade_calls:.0f} (+{facade_calls - raw_calls:.0f}). Extra calls, "
            "by cProfile own time:"
        )
        empty = (0, 0, 0.0, 0.0, {})
        extra = []
        for func in set(raw_stats) | set(facade_stats):
            a, b = raw_stats.get(func, empty), facade_stats.get(func, empty)
            if b[1] > a[1]:
                extra.append((b[2] - a[2], (b[1] - a[1]) / n, func))
        for own, count, func in sorted(extra, key=lambda item: -item[0])[:top]:
            print(f"  +{count:g} x {_name(func)}  ({own / n * 1e6:+.2f} us profiled)")
    facade.close()
    raw.close()
