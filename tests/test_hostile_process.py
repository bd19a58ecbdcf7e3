"""Safe after fork and across event loops: a forked child never shares a connection with
its parent, and one async client serves one asyncio.run after another, without warnings.
Each check runs in a subprocess of its own (a real fork; a fresh interpreter whose
warnings are errors)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from .conftest import API_KEY, ORBIT_ID, ORG_ID, OTHER_ORBIT_ID, FakeService

ROOT = str(Path(__file__).resolve().parent.parent)

_FORK = textwrap.dedent(
    """
    import json, os, sys
    sys.path.insert(0, sys.argv[1])
    from tests.hostile import HostileServer
    from dataforce.api import DataForceClient

    org, mine, theirs, key = sys.argv[2:6]
    server = HostileServer()
    dfs = DataForceClient(base_url=server.url, api_key=key, organization=org, orbit=mine)
    assert dfs.orbits.get(mine).id == mine  # the pool now holds a connection
    before = server.received[-1].peer_port

    pid = os.fork()
    if pid == 0:
        answers = [dfs.orbits.get(theirs).id for _ in range(20)]
        os._exit(0 if answers == [theirs] * 20 else 3)
    answers = [dfs.orbits.get(mine).id for _ in range(20)]
    _, status = os.waitpid(pid, 0)
    answers.append(dfs.orbits.get(mine).id)  # the child is gone: the parent carries on
    ports = {
        who: sorted({r.peer_port for r in server.received if r.path.endswith(orbit)})
        for who, orbit in (("parent", mine), ("child", theirs))
    }
    print(json.dumps({
        "child_status": os.waitstatus_to_exitcode(status),
        "parent_ok": answers == [mine] * 21,
        "before": before,
        "ports": ports,
    }))
    """
)


def test_a_forked_child_never_uses_the_parents_connections() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _FORK, ROOT, ORG_ID, ORBIT_ID, OTHER_ORBIT_ID, API_KEY],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["child_status"] == 0  # every answer the child got was its own
    assert result["parent_ok"]
    assert result["before"] not in result["ports"]["child"]
    assert not set(result["ports"]["child"]) & set(result["ports"]["parent"])
    # The parent kept its pooled connection, undisturbed by the child.
    assert result["ports"]["parent"] == [result["before"]]


_LOOPS = textwrap.dedent(
    """
    import asyncio, gc, sys
    from dataforce.api import AsyncDataForceClient

    url, key, org, orbit = sys.argv[1:5]
    client = AsyncDataForceClient(base_url=url, api_key=key)
    client.setup_config(organization=org, orbit=orbit)  # before any loop runs

    async def use():
        # Several calls at once while the defaults are unresolved: they queue on the
        # resolution lock, which therefore waits in this loop.
        listed = await asyncio.gather(*(client.orbits.list() for _ in range(3)))
        return [[o.id for o in orbits] for orbits in listed]

    print(asyncio.run(use()))
    client.setup_config(organization=org, orbit=orbit)  # resolve again, in the next loop
    print(asyncio.run(use()))
    asyncio.run(client.close())
    del client
    gc.collect()
    print("done")
    """
)


def test_one_async_client_serves_two_event_loops_without_warnings(service: FakeService) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",  # ResourceWarning (an unclosed socket or transport) included
            "-c",
            _LOOPS,
            service.url,
            API_KEY,
            ORG_ID,
            ORBIT_ID,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [str([[ORBIT_ID]] * 3)] * 2 + ["done"]
    assert proc.stderr == ""
