"""A walk through every example of the orbits reference documentation, with both clients.

    python examples/demo.py            # against an embedded local server (offline)
    DFS_API_KEY=dfs_... python examples/demo.py            # a real service, read-only
    DFS_API_KEY=dfs_... python examples/demo.py --write    # ... creating and updating too

Without ``DFS_API_KEY`` and ``DFS_BASE_URL`` in the environment, a ``LocalDataForce``
stand-in server is started in this process and every step runs against it: list, get
by name and by ID, create, update (name, then name and bucket secret), the error on a
duplicate name, the refusal to delete the default orbit, and delete. First with
``DataForceClient``, then with ``AsyncDataForceClient``.

With ``DFS_API_KEY`` or ``DFS_BASE_URL`` set it talks to that service instead, using
``DFS_ORGANIZATION`` and ``DFS_ORBIT`` when set. It only reads (list, get) unless
``--write`` is given; then it creates orbits, deletes them again, and puts the default
orbit's name and bucket secret back as they were.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from dataforce.api import (
    AsyncDataForceClient,
    DataForceAPIError,
    DataForceClient,
    MultipleResourcesFoundError,
    Orbit,
)

# The collection the reference documentation's examples pass (kept as given by the client).
EXAMPLE_COLLECTION = "0199c455-21ee-74c6-b747-19a82f1a1e75"


@dataclass
class Target:
    """Where the demo runs and what it may do there."""

    base_url: str | None
    api_key: str | None
    organization: str | None
    orbit: str | None
    bucket_secret_id: str | None
    write: bool
    description: str


# --------------------------------------------------------------------------- printing

#: Every line the demo prints fits a terminal this wide (IDs make messages and reprs long).
WIDTH = 100


def say(*values: object, file: TextIO | None = None) -> None:
    """``print``, with each line longer than :data:`WIDTH` wrapped, its continuation
    indented."""
    lines = " ".join(str(value) for value in values).split("\n")
    wrapped = [
        textwrap.fill(
            line,
            WIDTH,
            subsequent_indent="    ",
            break_long_words=True,
            break_on_hyphens=False,
            drop_whitespace=True,
        )
        if len(line) > WIDTH
        else line
        for line in lines
    ]
    print("\n".join(wrapped), file=file)


def heading(title: str) -> None:
    say(f"\n=== {title} ===")


def step(title: str, code: str) -> None:
    say(f"\n--- {title}")
    for number, line in enumerate(code.splitlines()):
        say(f"{'>>>' if number == 0 else '...'} {line}")


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        text = value.isoformat()
        return repr(text[:-6] + "Z" if text.endswith("+00:00") else text)
    return repr(value)


def pretty(orbit: Orbit | None) -> str:
    """An orbit laid out one field per line, as the reference documentation shows it."""
    if orbit is None:
        return "None"
    fields = (
        "id",
        "name",
        "organization_id",
        "bucket_secret_id",
        "total_members",
        "total_collections",
        "created_at",
        "updated_at",
    )
    lines = [f"    {field}={_shown(getattr(orbit, field))}," for field in fields]
    return "Orbit(\n" + "\n".join(lines) + "\n)"


def show(value: Orbit | list[Orbit] | None) -> None:
    if isinstance(value, list):
        say("[")
        for orbit in value:
            # The whole repr is 400 characters: `get` below shows every field.
            say(f"    Orbit(id={orbit.id!r}, name={orbit.name!r}, ...),")
        say(f"]  # {len(value)} orbit{'s' if len(value) != 1 else ''}")
    else:
        say(pretty(value))


def show_error(error: Exception) -> None:
    say(f"raised {type(error).__name__}: {error}")


def writable(target: Target, default_orbit: str | None) -> bool:
    if not target.write:
        say("\n(read-only: pass --write to create, update and delete orbits)")
        return False
    if default_orbit is None:
        say("\n(no default orbit: set DFS_ORBIT to try create, update and delete)")
        return False
    return True


# --------------------------------------------------------------------------- sync


def sync_walkthrough(target: Target) -> None:
    heading("DataForceClient (sync)")
    step(
        "Create the client (organization and orbit are resolved now)",
        "dfs = DataForceClient(\n"
        '    api_key="dfs_...",\n'
        f"    organization={target.organization!r},\n"
        f"    orbit={target.orbit!r},\n"
        f"    collection={EXAMPLE_COLLECTION!r},\n"
        ")",
    )
    with DataForceClient(
        base_url=target.base_url,
        api_key=target.api_key,
        organization=target.organization,
        orbit=target.orbit,
        collection=EXAMPLE_COLLECTION,
    ) as dfs:
        say(repr(dfs))

        step("List the orbits of the organization", "dfs.orbits.list()")
        orbits = dfs.orbits.list()
        show(orbits)

        default = dfs.orbits.get() if dfs.orbit else (orbits[0] if orbits else None)
        if default is None:
            say("\nThe organization has no orbit: nothing more to show.")
            return
        step("Get an orbit by name", f"dfs.orbits.get({default.name!r})")
        try:
            show(dfs.orbits.get(default.name))
        except MultipleResourcesFoundError as error:  # names are not unique
            show_error(error)

        step("Get an orbit by ID", f"dfs.orbits.get({default.id!r})")
        show(dfs.orbits.get(default.id))

        if not writable(target, dfs.orbit):
            return

        secret = target.bucket_secret_id or default.bucket_secret_id
        created: list[str] = []
        try:
            step(
                "Create an orbit",
                f'orbit = dfs.orbits.create(\n    name="ML Models",\n'
                f"    bucket_secret_id={secret!r},\n)",
            )
            orbit = dfs.orbits.create(name="ML Models", bucket_secret_id=secret)
            created.append(orbit.id)
            show(orbit)

            step(
                "Update the default orbit's name",
                'dfs.orbits.update(name="New Orbit Name")',
            )
            show(dfs.orbits.update(name="New Orbit Name"))

            step(
                "Update the default orbit's name and bucket secret",
                f'dfs.orbits.update(\n    name="New Orbit Name",\n'
                f"    bucket_secret_id={secret!r},\n)",
            )
            show(dfs.orbits.update(name="New Orbit Name", bucket_secret_id=secret))

            step(
                "Names are not unique: a second orbit named 'ML Models', then get by name",
                'dfs.orbits.create(name="ML Models", bucket_secret_id=...)\n'
                'dfs.orbits.get("ML Models")',
            )
            twin = dfs.orbits.create(name="ML Models", bucket_secret_id=secret)
            created.append(twin.id)
            try:
                dfs.orbits.get("ML Models")
                say("unexpected: no MultipleResourcesFoundError")
            except MultipleResourcesFoundError as error:
                show_error(error)

            step("The default orbit cannot be deleted", f"dfs.orbits.delete({dfs.orbit!r})")
            try:
                dfs.orbits.delete(default.id)
                say("unexpected: the default orbit was deleted")
            except DataForceAPIError as error:
                show_error(error)

            step("Delete the orbits created above", f"dfs.orbits.delete({orbit.id!r})")
            for orbit_id in list(created):
                dfs.orbits.delete(orbit_id)
                created.remove(orbit_id)
                found = dfs.orbits.get(orbit_id)
                say(f"deleted {orbit_id}; dfs.orbits.get({orbit_id!r}) -> {found}")
        finally:
            # Leave the service as it was found, whatever happened above.
            for orbit_id in created:
                dfs.orbits.delete(orbit_id)
            restored = dfs.orbits.update(
                name=default.name, bucket_secret_id=default.bucket_secret_id
            )
            say(f"\n(default orbit restored: name={restored.name!r})")


# --------------------------------------------------------------------------- async


async def async_walkthrough(target: Target) -> None:
    heading("AsyncDataForceClient (async)")
    step(
        "Create the client, then set its defaults (resolved at the first call)",
        'dfs = AsyncDataForceClient(api_key="dfs_...")\n'
        "dfs.setup_config(\n"
        f"    organization={target.organization!r},\n"
        f"    orbit={target.orbit!r},\n"
        f"    collection={EXAMPLE_COLLECTION!r},\n"
        ")",
    )
    dfs = AsyncDataForceClient(base_url=target.base_url, api_key=target.api_key)
    # As the reference documentation does: not awaited, the first call resolves it.
    dfs.setup_config(
        organization=target.organization,
        orbit=target.orbit,
        collection=EXAMPLE_COLLECTION,
    )
    try:
        step("List the orbits of the organization", "await dfs.orbits.list()")
        orbits = await dfs.orbits.list()
        show(orbits)

        default = await dfs.orbits.get() if dfs.orbit else (orbits[0] if orbits else None)
        if default is None:
            say("\nThe organization has no orbit: nothing more to show.")
            return
        step("Get an orbit by name", f"await dfs.orbits.get({default.name!r})")
        try:
            show(await dfs.orbits.get(default.name))
        except MultipleResourcesFoundError as error:
            show_error(error)

        step("Get an orbit by ID", f"await dfs.orbits.get({default.id!r})")
        show(await dfs.orbits.get(default.id))

        if not writable(target, dfs.orbit):
            return

        secret = target.bucket_secret_id or default.bucket_secret_id
        created: list[str] = []
        try:
            step(
                "Create an orbit",
                f'orbit = await dfs.orbits.create(\n    name="ML Models",\n'
                f"    bucket_secret_id={secret!r},\n)",
            )
            orbit = await dfs.orbits.create(name="ML Models", bucket_secret_id=secret)
            created.append(orbit.id)
            show(orbit)

            step(
                "Update the default orbit's name",
                'await dfs.orbits.update(name="New Orbit Name")',
            )
            show(await dfs.orbits.update(name="New Orbit Name"))

            step(
                "Update the default orbit's name and bucket secret",
                f'await dfs.orbits.update(\n    name="New Orbit Name",\n'
                f"    bucket_secret_id={secret!r},\n)",
            )
            show(await dfs.orbits.update(name="New Orbit Name", bucket_secret_id=secret))

            step(
                "Names are not unique: a second orbit named 'ML Models', then get by name",
                'await dfs.orbits.create(name="ML Models", bucket_secret_id=...)\n'
                'await dfs.orbits.get("ML Models")',
            )
            twin = await dfs.orbits.create(name="ML Models", bucket_secret_id=secret)
            created.append(twin.id)
            try:
                await dfs.orbits.get("ML Models")
                say("unexpected: no MultipleResourcesFoundError")
            except MultipleResourcesFoundError as error:
                show_error(error)

            step(
                "The default orbit cannot be deleted",
                f"await dfs.orbits.delete({dfs.orbit!r})",
            )
            try:
                await dfs.orbits.delete(default.id)
                say("unexpected: the default orbit was deleted")
            except DataForceAPIError as error:
                show_error(error)

            step(
                "Delete the orbits created above",
                f"await dfs.orbits.delete({orbit.id!r})",
            )
            for orbit_id in list(created):
                await dfs.orbits.delete(orbit_id)
                created.remove(orbit_id)
                found = await dfs.orbits.get(orbit_id)
                say(f"deleted {orbit_id}; await dfs.orbits.get({orbit_id!r}) -> {found}")
        finally:
            for orbit_id in created:
                await dfs.orbits.delete(orbit_id)
            restored = await dfs.orbits.update(
                name=default.name, bucket_secret_id=default.bucket_secret_id
            )
            say(f"\n(default orbit restored: name={restored.name!r})")
    finally:
        await dfs.close()


# --------------------------------------------------------------------------- main


@contextmanager
def local_target() -> Iterator[Target]:
    try:
        from dataforce.testing import LocalDataForce
    except ImportError as error:
        raise SystemExit(
            f"the local server is not available ({error}); pip install 'dataforce-sdk[local]'"
        ) from None
    with LocalDataForce() as server:
        yield Target(
            base_url=server.base_url,
            api_key=server.api_key,
            organization=server.organization_id,
            orbit=server.orbit_id,
            bucket_secret_id=server.bucket_secret_id,
            write=True,
            description=f"the embedded local server at {server.base_url}",
        )


@contextmanager
def remote_target(write: bool) -> Iterator[Target]:
    base_url = os.environ.get("DFS_BASE_URL") or None
    yield Target(
        base_url=base_url,
        api_key=None,  # the clients read DFS_API_KEY themselves
        organization=os.environ.get("DFS_ORGANIZATION") or None,
        orbit=os.environ.get("DFS_ORBIT") or None,
        bucket_secret_id=os.environ.get("DFS_BUCKET_SECRET") or None,
        write=write,
        description=(
            f"{base_url or 'https://api.dataforce.studio'} (from DFS_BASE_URL/DFS_API_KEY), "
            + ("read-write" if write else "read-only")
        ),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="against a real service, also create, update and delete (default: read-only)",
    )
    args = parser.parse_args(argv)
    remote = bool(os.environ.get("DFS_API_KEY") or os.environ.get("DFS_BASE_URL"))
    target_context = remote_target(args.write) if remote else local_target()
    try:
        with target_context as target:
            say(f"DataForce SDK demo against {target.description}")
            sync_walkthrough(target)
            asyncio.run(async_walkthrough(target))
    except DataForceAPIError as error:
        say(f"\nerror: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    say("\nDone.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
